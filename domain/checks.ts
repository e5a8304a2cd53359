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

export const ExternalIdSchema = z.strictObject({
  /** The factory PR, absent for a `factory` check on a spec commit. */
  pr: z.number().int().positive().optional(),
  round: z.number().int().min(1),
  /** Idempotency key of the request that created the check (delivery id, comment id, push sha). */
  request: z.string().min(1).max(200),
  /** The workflow run dispatched for this check, once known. */
  run: z.number().int().positive().optional(),
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
