// The App's Octokit: Probot's own (its retry and throttling plugins, its request log), with every
// wait logged the way the Action logs it — route and delay, one wording (core/domain/github-waits.ts):
// 5xx retried with plugin-retry's backoff, primary rate limits waited out until the reset, and
// secondary ones (which Probot's default only warns about) waited out for GitHub's retry-after.
import { ProbotOctokit } from 'probot';
import { rateLimitHandlers, retryWaitLogging } from '../core/domain/github-waits.ts';

interface Logger {
  warn(message: string): void;
}

/** Logs each retry plugin-retry schedules (Probot lists that plugin before this one). */
function logRetryWaits(octokit: { log: Logger }): void {
  retryWaitLogging((line) => octokit.log.warn(line)).install(octokit as never);
}

const handlers = (octokit: unknown) => rateLimitHandlers((line) => (octokit as { log: Logger }).log.warn(line));

/**
 * Probot merges its own throttle options (a warning, and no retry for secondary limits) into every
 * instance's; these handlers are applied last, so they are the ones in effect.
 */
export const FactoryOctokit = ProbotOctokit.plugin(logRetryWaits).defaults((instance: Record<string, unknown>) => {
  const throttle = (instance.throttle ?? {}) as Record<string, unknown>;
  if (throttle.enabled === false) return instance;
  return {
    ...instance,
    throttle: {
      ...throttle,
      onRateLimit: (retryAfter: number, options: { method?: string; url?: string }, octokit: unknown, retryCount: number) => handlers(octokit).onRateLimit(retryAfter, options, octokit, retryCount),
      onSecondaryRateLimit: (retryAfter: number, options: { method?: string; url?: string }, octokit: unknown, retryCount: number) => handlers(octokit).onSecondaryRateLimit(retryAfter, options, octokit, retryCount),
    },
  };
});
