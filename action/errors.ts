// One named error per failure category of the Action, each with a stable code. The message is what
// the step log shows: located (file, key path, line) and saying what was expected. The code is the
// step's `error-code` output, so later workflow steps can branch on it; README lists every code.
export const ACTION_ERROR_CODES = {
  input: 'an input or the runner environment is missing or malformed',
  config: '`.github/factory.yml` on the default branch is missing or invalid',
  graph: 'the pipeline graph is missing, is not the DOT subset, or has lint errors',
  model: 'no usable model: a bad stylesheet or model name, or a provider key missing',
  git: 'a git operation failed (checkout, commit, push, missing spec commit)',
  protected_paths: 'a stage changed `factory.protected_paths`; nothing of it was pushed',
  artifact_corrupt: 'the run artifact to resume from could not be downloaded or unpacked, or its digest does not match',
  artifact_too_large: 'the run artifact to resume from is larger than the size cap',
  github_api: 'a GitHub API request failed after the client’s retries',
  budget: 'the run stopped at `factory.budget` (max_usd or max_minutes) or `max-usd`',
  pipeline_failed: 'the pipeline ran and reached a failing result',
  cancelled: 'the runner cancelled the job',
  gate_failed: 'validate/aggregate: the satisfaction gate failed',
  harness: 'validate: no trial could be judged, or a shard’s partial result could not be recorded',
  internal: 'an unexpected error (a bug: the message carries the stack)',
} as const;

export type FailureCode = keyof typeof ACTION_ERROR_CODES;

/** The codes an ActionError is thrown with (the rest describe how a run or validation ended). */
export type ActionErrorCode = Extract<FailureCode, 'input' | 'config' | 'graph' | 'model' | 'git' | 'protected_paths' | 'artifact_corrupt' | 'artifact_too_large'>;

export class ActionError extends Error {
  readonly code: ActionErrorCode;
  constructor(code: ActionErrorCode, message: string) {
    super(message);
    this.name = 'ActionError';
    this.code = code;
  }
}

/** The code of an error that ended the step: its own, a GitHub request's, or `internal`. Pure. */
export function codeOfError(error: unknown): FailureCode {
  if (error instanceof ActionError) return error.code;
  const failure = error as { name?: unknown; status?: unknown; request?: unknown };
  if (failure?.name === 'HttpError' && typeof failure.status === 'number' && failure.request !== undefined) return 'github_api';
  return 'internal';
}
