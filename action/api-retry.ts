// GitHub answered 5xx, 429 or a secondary rate limit: try again with backoff (honouring
// Retry-After), a few times, before the failure reaches the run. Other errors pass straight through.
import type { Octokit } from '@octokit/rest';

export interface ApiRetryOptions {
  retries: number;
  /** Delay before retry n (1-based) when GitHub does not say. */
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_API_RETRY: Omit<ApiRetryOptions, 'sleep'> = { retries: 3, baseDelayMs: 1000 };

interface HttpFailure {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** Milliseconds to wait before retrying, or null when the failure is not worth retrying. Pure. */
export function retryDelay(error: unknown, attempt: number, baseDelayMs: number): number | null {
  const failure = error as HttpFailure;
  const status = failure.status;
  if (status === undefined) return null;
  const retryAfter = Number(failure.response?.headers?.['retry-after']);
  const limited = status === 429 || (status === 403 && failure.response?.headers?.['x-ratelimit-remaining'] === '0') || (status === 403 && Number.isFinite(retryAfter));
  if (status < 500 && !limited) return null;
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter, 60) * 1000;
  return baseDelayMs * 2 ** (attempt - 1);
}

export function installApiRetry(octokit: Octokit, options: ApiRetryOptions): void {
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const delay = attempt > options.retries ? null : retryDelay(error, attempt, options.baseDelayMs);
        if (delay === null) throw error;
        await options.sleep(delay);
      }
    }
  });
}
