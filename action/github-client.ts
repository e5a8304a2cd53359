// The Action's GitHub client: @actions/github's Octokit (proxy-aware, the runner's user agent) with
// Octokit's own retry and throttling plugins. 5xx are retried with backoff, primary rate limits wait
// until the reset GitHub names, secondary ones for GitHub's retry-after; each wait is logged with
// its route and delay (core/domain/github-waits.ts, the wording the App uses too).
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { GITHUB_RETRY, rateLimitHandlers, retryWaitLogging } from '../core/domain/github-waits.ts';

export type Octokit = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** GITHUB_API_URL (github.com, GHE.com or a GitHub Enterprise Server). */
  baseUrl: string;
  /** Where every wait is reported (the step log). */
  log: (line: string) => void;
  /**
   * No request log at all, not even debug lines (validate/aggregate: the request paths name
   * scenario files). Waits are still logged, by route template, which names no file.
   */
  quiet?: boolean;
  /** Replaces @actions/github's proxy-aware fetch (tests: the global fetch, which nock intercepts). */
  fetch?: typeof globalThis.fetch;
  /**
   * Milliseconds the plugins wait per second of delay (their `retryAfterBaseValue`, 1000 by
   * default). Logged delays stay in GitHub's seconds; tests shrink the wait without changing them.
   */
  msPerSecond?: number;
}

const silent = (): void => undefined;
const QUIET_LOG = { debug: silent, info: silent, warn: silent, error: silent };

export function createGitHubClient(options: GitHubClientOptions): Octokit {
  const waits = retryWaitLogging(options.log);
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      userAgent: 'spec-factory-action',
      ...(options.quiet ? { log: QUIET_LOG } : {}),
      // Only when given: a `request` option replaces @actions/github's proxy-aware defaults whole.
      ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
      retry: { retries: GITHUB_RETRY.retries, doNotRetry: [...GITHUB_RETRY.doNotRetry], ...(options.msPerSecond !== undefined ? { retryAfterBaseValue: options.msPerSecond } : {}) },
      throttle: { enabled: true, ...rateLimitHandlers(options.log), ...(options.msPerSecond !== undefined ? { retryAfterBaseValue: options.msPerSecond } : {}) },
    },
    // Listed before the retry plugin, so its error hook sees a failed request first.
    waits.remember as never,
    retry,
    throttling,
  );
  waits.install(octokit as unknown as Parameters<typeof waits.install>[0]);
  return octokit;
}
