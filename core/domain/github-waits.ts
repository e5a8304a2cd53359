// How the App and the Action wait on GitHub, and what each wait says in the log — one policy and
// one wording for both hosts. The waiting itself is Octokit's: @octokit/plugin-retry retries 5xx
// with its backoff (1 s, 4 s, 9 s), @octokit/plugin-throttling waits out primary rate limits until
// the reset GitHub names (x-ratelimit-reset) and secondary ones for the retry-after GitHub sends.
// No SDK is imported here: the clients are described by the few members these helpers touch.

/** plugin-retry options: 5xx (and other unlisted statuses) retried; rate limits left to the throttling plugin. */
export const GITHUB_RETRY = { retries: 3, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] } as const;

/** How often one request may wait out a rate limit before its error is let through. */
export const RATE_LIMIT_RETRIES = 2;

export type GitHubWait =
  | { kind: 'rate_limit'; route: string; seconds: number; retry: number }
  | { kind: 'secondary_rate_limit'; route: string; seconds: number; retry: number }
  | { kind: 'server_error'; route: string; seconds: number; retry: number; of: number; status: number | undefined };

/** The log line of one wait: what happened, on which route, how long, which retry. Pure. */
export function describeWait(wait: GitHubWait): string {
  const seconds = `${Number.isInteger(wait.seconds) ? wait.seconds : wait.seconds.toFixed(3)} s`;
  switch (wait.kind) {
    case 'rate_limit':
      return `GitHub API ${wait.route}: rate limit exhausted; waiting ${seconds} for the reset GitHub names, then retry ${wait.retry}`;
    case 'secondary_rate_limit':
      return `GitHub API ${wait.route}: secondary rate limit; waiting ${seconds} as GitHub asks (retry-after), then retry ${wait.retry}`;
    case 'server_error':
      return `GitHub API ${wait.route}: HTTP ${wait.status ?? 'error'}; retry ${wait.retry} of ${wait.of} in ${seconds}`;
  }
}

interface RouteOptions {
  method?: string;
  /** The route template (`/repos/{owner}/{repo}/contents/{path}`): it names no file or id. */
  url?: string;
}

type LimitHandler = (retryAfter: number, options: RouteOptions, octokit: unknown, retryCount: number) => boolean;

/**
 * The throttling plugin's two handlers: log the wait, and retry up to RATE_LIMIT_RETRIES times.
 * `retryAfter` is in seconds; the plugin waits `retryAfter × retryAfterBaseValue` ms.
 */
export function rateLimitHandlers(log: (line: string) => void): { onRateLimit: LimitHandler; onSecondaryRateLimit: LimitHandler } {
  const handler = (kind: 'rate_limit' | 'secondary_rate_limit'): LimitHandler => (retryAfter, options, _octokit, retryCount) => {
    if (retryCount >= RATE_LIMIT_RETRIES) {
      log(`GitHub API ${routeOf(options)}: ${kind === 'rate_limit' ? 'rate limit' : 'secondary rate limit'} still exhausted after ${retryCount} waits; giving up`);
      return false;
    }
    log(describeWait({ kind, route: routeOf(options), seconds: retryAfter, retry: retryCount + 1 }));
    return true;
  };
  return { onRateLimit: handler('rate_limit'), onSecondaryRateLimit: handler('secondary_rate_limit') };
}

function routeOf(options: RouteOptions): string {
  return `${options.method ?? 'GET'} ${options.url ?? '?'}`;
}

interface HookedClient {
  hook: { error(name: 'request', hook: (error: unknown, options: RouteOptions) => unknown): void };
}

interface RetryingClient {
  /** What @octokit/plugin-retry adds: the function its error hook calls to schedule a retry. */
  retry?: { retryRequest(error: unknown, retries: number, retryAfter: number): unknown };
}

interface FailedRequest {
  status?: number;
  request?: { method?: string; url?: string; request?: { retryCount?: number } };
}

/**
 * Logs every retry plugin-retry schedules, with the route and its delay, at the moment it decides
 * (it calls `octokit.retry.retryRequest(error, retries, retryAfter)`; the wait is `retryAfter`
 * seconds at the plugin's default retryAfterBaseValue). `remember`, given to the client as a plugin listed before
 * the retry plugin, keeps each failed request's route template; without it the path is logged.
 */
export function retryWaitLogging(log: (line: string) => void): { remember: (octokit: HookedClient) => void; install: (octokit: RetryingClient) => void } {
  const routes = new WeakMap<object, string>();
  return {
    remember: (octokit) => {
      octokit.hook.error('request', (error, options) => {
        if (typeof error === 'object' && error !== null) routes.set(error, routeOf(options));
        throw error;
      });
    },
    install: (octokit) => {
      const retry = octokit.retry;
      if (!retry) return;
      const scheduleRetry = retry.retryRequest.bind(retry);
      retry.retryRequest = (error, retries, retryAfter) => {
        const failed = error as FailedRequest;
        const retryCount = failed.request?.request?.retryCount ?? 0;
        if (retries > retryCount) {
          const route = routes.get(error as object) ?? `${failed.request?.method ?? 'GET'} ${pathOf(failed.request?.url)}`;
          log(describeWait({ kind: 'server_error', route, seconds: retryAfter, retry: retryCount + 1, of: retries, status: failed.status }));
        }
        return scheduleRetry(error, retries, retryAfter);
      };
    },
  };
}

function pathOf(url: string | undefined): string {
  if (!url) return '?';
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
