// Check runs (contracts.md §5): names users pin as required checks, the buttons, and the
// `external_id` payload that lets a re-request find its context.
import { z } from 'zod';

export const CHECK_NAMES = {
  factory: 'factory',
  satisfaction: 'factory/satisfaction',
  spec: 'factory/spec',
} as const;

export type CheckName = (typeof CHECK_NAMES)[keyof typeof CHECK_NAMES];

export const CHECK_ACTION_IDS = ['rerun', 'revalidate', 'resume'] as const;
export type CheckActionId = (typeof CHECK_ACTION_IDS)[number];

/** Button definitions (GitHub: ≤ 3 actions, label ≤ 20, description ≤ 40, identifier ≤ 20). */
export const CHECK_ACTIONS: Readonly<Record<CheckActionId, { label: string; description: string; identifier: CheckActionId }>> = {
  rerun: { label: 'Re-run factory', description: 'Fresh factory run for this spec commit', identifier: 'rerun' },
  revalidate: { label: 'Re-validate', description: 'Run the holdout validation again', identifier: 'revalidate' },
  resume: { label: 'Resume run', description: 'Continue from the last checkpoint', identifier: 'resume' },
};

export function isCheckActionId(value: string): value is CheckActionId {
  return (CHECK_ACTION_IDS as readonly string[]).includes(value);
}

/** A parked human gate's choice as a button: `answer:<key>`, within GitHub's 20-character identifier. */
const ANSWER_ACTION_PREFIX = 'answer:';
export const MAX_ANSWER_BUTTON_KEY = 20 - ANSWER_ACTION_PREFIX.length;

/** The button identifier for a gate choice, or null when the key is too long to fit one. */
export function answerActionId(key: string): string | null {
  return key.length > 0 && key.length <= MAX_ANSWER_BUTTON_KEY ? `${ANSWER_ACTION_PREFIX}${key}` : null;
}

/** The gate choice an `answer:<key>` button carries, or null for any other identifier. */
export function answerKeyOf(identifier: string): string | null {
  if (!identifier.startsWith(ANSWER_ACTION_PREFIX)) return null;
  const key = identifier.slice(ANSWER_ACTION_PREFIX.length);
  return key.length > 0 ? key : null;
}

export const ExternalIdSchema = z.strictObject({
  /** The factory PR, absent for a `factory` check on a spec commit. */
  pr: z.number().int().positive().optional(),
  /** The issue a `/factory run` came from, so a resume still asks a parked gate's question there. */
  issue: z.number().int().positive().optional(),
  round: z.number().int().min(1),
  /** Idempotency key of the request that created the check (delivery id, comment id, push sha). */
  request: z.string().min(1).max(200),
  /** The workflow run dispatched for this check, once known. */
  run: z.number().int().positive().optional(),
  /** What the run cost, written by the Action when it concludes a `factory` check (feeds the budget of later rounds). */
  spent: z.strictObject({ usd: z.number().min(0), minutes: z.number().min(0) }).optional(),
});

export type ExternalId = z.output<typeof ExternalIdSchema>;

export function encodeExternalId(value: ExternalId): string {
  return JSON.stringify(ExternalIdSchema.parse(value));
}

/** Null for anything that is not ours (other apps' checks, hand-made ones). */
export function decodeExternalId(text: string | null | undefined): ExternalId | null {
  if (!text) return null;
  try {
    const result = ExternalIdSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** GitHub rejects more than 50 annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
