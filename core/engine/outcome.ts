// Stage outcomes (Attractor §5.2 and Appendix C).

export const STAGE_STATUSES = ['success', 'partial_success', 'retry', 'fail', 'skipped'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

/** Token usage of an LLM stage, normalised across providers. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
}

export interface Outcome {
  status: StageStatus;
  preferred_label?: string;
  suggested_next_ids?: string[];
  context_updates?: Record<string, unknown>;
  notes?: string;
  failure_reason?: string;
  usage?: Usage;
  /** null when the model's price is unknown (never 0 for unknown). */
  cost_usd?: number | null;
  /** Node where the main loop continues, bypassing edge selection (the parallel handler's join node). */
  continue_at?: string;
}

/**
 * What a handler returns. Besides a plain Outcome, a handler may say "no answer yet" (engine.md §9):
 * the run parks at this node and resumes here later. Handlers that manage traversal themselves
 * (parallel) name the node where the main loop continues.
 */
export type HandlerResult = Outcome | WaitingResult;

export interface WaitingResult {
  status: 'waiting';
  /** What is being waited for, for the host to post where the humans are. */
  question: unknown;
  notes?: string;
}

export function isWaiting(result: HandlerResult): result is WaitingResult {
  return result.status === 'waiting';
}

export function isSuccessful(status: StageStatus): boolean {
  return status === 'success' || status === 'partial_success';
}

export function addUsage(total: Usage | undefined, more: Usage | undefined): Usage | undefined {
  if (!more) return total;
  if (!total) return { ...more };
  return {
    input_tokens: total.input_tokens + more.input_tokens,
    output_tokens: total.output_tokens + more.output_tokens,
    cache_read_tokens: (total.cache_read_tokens ?? 0) + (more.cache_read_tokens ?? 0),
    cache_write_tokens: (total.cache_write_tokens ?? 0) + (more.cache_write_tokens ?? 0),
    reasoning_tokens: (total.reasoning_tokens ?? 0) + (more.reasoning_tokens ?? 0),
  };
}
