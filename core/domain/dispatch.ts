// Dispatch inputs (contracts.md §4): what the App sends to `factory.yml` and `validate.yml`. GitHub
// takes at most 25 inputs, all strings; the Action parses the same schemas on its side.
import { z } from 'zod';
import { FeedbackSchema } from './feedback.ts';

export const FACTORY_WORKFLOW = 'factory.yml';
export const VALIDATE_WORKFLOW = 'validate.yml';
/** Interactive shift: the spec-readiness review (spec and config only) and the scenario drafts (holdouts side). */
export const REVIEW_WORKFLOW = 'review.yml';
export const SCENARIOS_WORKFLOW = 'scenarios.yml';
export const MAX_DISPATCH_INPUTS = 25;

export const DISPATCH_REASONS = ['spec-merge', 'rerun', 'resume', 'feedback', 'command'] as const;
export type DispatchReason = (typeof DISPATCH_REASONS)[number];

const sha = z.string().regex(/^[0-9a-f]{40}$/, 'a full commit sha');
const positiveInt = z.string().regex(/^[1-9][0-9]*$/, 'a positive integer as a string');
const requestId = z.string().min(1).max(200);
const model = z.string().regex(/^[\w.-]+\/[\w.:-]+$/, 'provider/model');
const feedbackJson = z.string().refine((text) => {
  try {
    return FeedbackSchema.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}, 'a leak-safe feedback block as JSON');

export const FactoryDispatchInputsSchema = z.strictObject({
  spec_sha: sha,
  reason: z.enum(DISPATCH_REASONS),
  request_id: requestId,
  pr_number: positiveInt.optional(),
  /** `/factory run` on an issue: where the run asks a parked gate's question when it has no PR. */
  issue_number: positiveInt.optional(),
  check_run_id: positiveInt.optional(),
  resume_run_id: positiveInt.optional(),
  feedback: feedbackJson.optional(),
  round: positiveInt.optional(),
  /** A `/factory run model=…` override, only where the config allows it. */
  model: model.optional(),
  /** `/factory answer <key>`: the choice for the parked human gate the resumed run waits at. */
  answer: z.string().regex(/^[\w.-]{1,40}$/, 'a gate choice key').optional(),
  /** `/factory rerun --max-usd N` (resume issue): a writer's budget for this run, above the config's if need be. */
  max_usd: z.string().regex(/^[0-9]{1,6}(?:\.[0-9]{1,2})?$/, 'an amount in USD').refine((text) => Number(text) > 0, 'an amount above 0').optional(),
});

export const ValidateDispatchInputsSchema = z.strictObject({
  pr_number: positiveInt,
  head_sha: sha,
  check_run_id: positiveInt,
  request_id: requestId,
  round: positiveInt,
  /** `/factory validate trials=… model=…` overrides, only where the config allows them. */
  trials: positiveInt.optional(),
  model: model.optional(),
});

export type FactoryDispatchInputs = z.output<typeof FactoryDispatchInputsSchema>;
export type ValidateDispatchInputs = z.output<typeof ValidateDispatchInputsSchema>;

function compact<T extends Record<string, string | undefined>>(inputs: T): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Validated, undefined-free inputs ready for the dispatch API; throws on a contract violation. */
export function factoryInputs(inputs: FactoryDispatchInputs): Record<string, string> {
  return compact(FactoryDispatchInputsSchema.parse(inputs));
}

export function validateInputs(inputs: ValidateDispatchInputs): Record<string, string> {
  return compact(ValidateDispatchInputsSchema.parse(inputs));
}

// ── interactive shift (issue 19) ──
/** `review.yml`: the spec PR, its head and base, and the `factory/spec` check the review concludes. */
export const ReviewDispatchInputsSchema = z.strictObject({
  pr_number: positiveInt,
  head_sha: sha,
  base_sha: sha,
  check_run_id: positiveInt,
  request_id: requestId,
});

/** `scenarios.yml` (holdouts side): the spec PR whose changes the drafts cover. */
export const ScenariosDispatchInputsSchema = z.strictObject({
  pr_number: positiveInt,
  head_sha: sha,
  base_sha: sha,
  request_id: requestId,
});

export type ReviewDispatchInputs = z.output<typeof ReviewDispatchInputsSchema>;
export type ScenariosDispatchInputs = z.output<typeof ScenariosDispatchInputsSchema>;

export function reviewInputs(inputs: ReviewDispatchInputs): Record<string, string> {
  return compact(ReviewDispatchInputsSchema.parse(inputs));
}

export function scenariosInputs(inputs: ScenariosDispatchInputs): Record<string, string> {
  return compact(ScenariosDispatchInputsSchema.parse(inputs));
}
