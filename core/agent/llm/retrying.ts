// The one retry policy for model calls (the SDKs' own retries are off): retryable LlmErrors are
// retried with jittered exponential backoff, or after exactly the provider's Retry-After.
import { systemClock, type Clock, type Random } from '../../engine/clock.ts';
import { delayForAttempt, type BackoffConfig } from '../../engine/run/retry.ts';
import { toLlmError } from './errors.ts';
import type { LlmError, LlmProvider, LlmRequest, LlmResponse, StreamEvent } from './types.ts';

export interface RetryOptions {
  /** Total attempts including the first; at least 1. */
  maxAttempts?: number;
  backoff?: BackoffConfig;
  clock?: Clock;
  random?: Random;
  /** Called before each wait, e.g. to log or emit an event. */
  onRetry?: (error: LlmError, attempt: number, delayMs: number) => void;
}

/** unified-llm-spec.md §6.6 defaults: 2 retries, 1 s base, ×2, capped at 60 s, jittered. */
export const DEFAULT_LLM_BACKOFF: BackoffConfig = { initial_delay_ms: 1000, backoff_factor: 2, max_delay_ms: 60_000, jitter: true };
export const DEFAULT_LLM_MAX_ATTEMPTS = 3;

/**
 * Wraps a provider so each `complete` call is retried on retryable errors. A Retry-After longer
 * than the backoff cap is not waited out: the error is raised at once (§6.6), carrying
 * `retryAfterMs` for the caller. Stream deltas of a failed attempt have already been delivered;
 * listeners treat them as progress only, the returned response is what counts.
 */
export function withRetries(provider: LlmProvider, options: RetryOptions = {}): LlmProvider {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_LLM_MAX_ATTEMPTS));
  const backoff = options.backoff ?? DEFAULT_LLM_BACKOFF;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;

  async function complete(request: LlmRequest, onEvent?: (event: StreamEvent) => void): Promise<LlmResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await provider.complete(request, onEvent);
      } catch (thrown) {
        const error = toLlmError(thrown, provider.name, { now: clock.now });
        if (!error.retryable || attempt >= maxAttempts) throw error;
        if (error.retryAfterMs !== undefined && error.retryAfterMs > backoff.max_delay_ms) throw error;
        const delay = error.retryAfterMs ?? delayForAttempt(attempt, backoff, random);
        options.onRetry?.(error, attempt, delay);
        try {
          await clock.sleep(delay, request.signal);
        } catch (aborted) {
          throw toLlmError(aborted, provider.name);
        }
      }
    }
  }

  return { name: provider.name, complete };
}
