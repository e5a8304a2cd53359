// The Action's GitHub client (getOctokit + plugin-retry + plugin-throttling) against nock-served
// GitHub answers. The plugins' own waits are observed through what they log (the delay GitHub's
// headers name, in seconds) and what they send; the wait itself is shrunk (msPerSecond: 1), so no
// test sleeps for GitHub's seconds or measures time.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createGitHubClient } from '../../action/github-client.ts';
import { describeWait, rateLimitHandlers } from '../../core/domain/github-waits.ts';

const API = 'https://api.github.com';
const REPO = { name: 'widgets', full_name: 'acme/widgets', default_branch: 'main' };

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

/** What happened, in order: the requests nock served and the lines the client logged. */
function recorder() {
  const events: string[] = [];
  const octokit = createGitHubClient({ token: 'ghs_test-token', baseUrl: API, log: (line) => events.push(`log: ${line}`), fetch: globalThis.fetch, msPerSecond: 1 });
  const served = (what: string) => events.push(`served: ${what}`);
  return { octokit, events, served };
}

describe('the Action’s GitHub client', () => {
  it('waits out a primary rate limit until the reset GitHub names (3 s ahead), retries once, and says so', async () => {
    const { octokit, events, served } = recorder();
    let wait = 0;
    nock(API)
      .get('/repos/acme/widgets')
      .reply(() => {
        served('403 rate limit');
        // In whole seconds, as GitHub sends it: about 3 s ahead, and at least 0.1 s past the
        // second boundary the plugin rounds up from (it reads the clock a moment later).
        const now = Date.now() / 1000;
        const resetAt = Math.floor(now) + (now % 1 > 0.9 ? 4 : 3);
        // What the plugin waits: until one second past the reset (GitHub's guidance).
        wait = Math.ceil(resetAt - now) + 1;
        return [403, { message: 'API rate limit exceeded for installation ID 1.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '5000', 'x-ratelimit-reset': String(resetAt) }];
      })
      .get('/repos/acme/widgets')
      .reply(() => {
        served('200');
        return [200, REPO];
      });
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' });
    expect(data.default_branch).toBe('main');
    expect(events).toEqual([
      'served: 403 rate limit',
      `log: ${describeWait({ kind: 'rate_limit', route: 'GET /repos/{owner}/{repo}', seconds: wait, retry: 1 })}`,
      'served: 200',
    ]);
    expect(events[1]).toMatch(/^log: GitHub API GET \/repos\/\{owner\}\/\{repo\}: rate limit exhausted; waiting [45] s for the reset GitHub names, then retry 1$/);
  });

  it('retries a 502 with backoff (1 s, then 4 s), logging each wait with its route', async () => {
    const { octokit, events, served } = recorder();
    const scope = nock(API);
    for (const status of [502, 502, 200]) {
      scope.patch('/repos/acme/widgets/check-runs/77').reply(() => {
        served(String(status));
        return status === 200 ? [200, { id: 77, status: 'in_progress' }] : [status, { message: 'Bad Gateway' }];
      });
    }
    expect((await octokit.rest.checks.update({ owner: 'acme', repo: 'widgets', check_run_id: 77, status: 'in_progress' })).data.id).toBe(77);
    expect(events).toEqual([
      'served: 502',
      'log: GitHub API PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: HTTP 502; retry 1 of 3 in 1 s',
      'served: 502',
      'log: GitHub API PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: HTTP 502; retry 2 of 3 in 4 s',
      'served: 200',
    ]);
  });

  it('gives up on a 5xx after three retries (1 s, 4 s, 9 s) and lets the error through', async () => {
    const { octokit, events, served } = recorder();
    const scope = nock(API);
    for (let i = 0; i < 4; i++) {
      scope.get('/repos/acme/widgets').reply(() => {
        served('503');
        return [503, { message: 'Service Unavailable' }];
      });
    }
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' })).rejects.toMatchObject({ status: 503 });
    expect(events.filter((event) => event.startsWith('log: ')).map((line) => line.replace(/.*: HTTP 503; /, ''))).toEqual(['retry 1 of 3 in 1 s', 'retry 2 of 3 in 4 s', 'retry 3 of 3 in 9 s']);
    expect(events.filter((event) => event.startsWith('served: '))).toHaveLength(4);
  });

  it('waits a secondary rate limit for the retry-after GitHub sends', async () => {
    const { octokit, events, served } = recorder();
    nock(API)
      .get('/repos/acme/widgets')
      .reply(() => {
        served('403 secondary');
        return [403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '7' }];
      })
      .get('/repos/acme/widgets')
      .reply(() => {
        served('200');
        return [200, REPO];
      });
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' })).data.name).toBe('widgets');
    expect(events).toEqual([
      'served: 403 secondary',
      'log: GitHub API GET /repos/{owner}/{repo}: secondary rate limit; waiting 7 s as GitHub asks (retry-after), then retry 1',
      'served: 200',
    ]);
  });

  it('does not retry what retrying cannot fix (404, 422, a 403 that is no rate limit), and logs nothing for it', async () => {
    const { octokit, events } = recorder();
    nock(API)
      .get('/repos/acme/widgets').reply(404, { message: 'Not Found' })
      .patch('/repos/acme/widgets/check-runs/5').reply(422, { message: 'Validation Failed' })
      .get('/repos/acme/gadgets').reply(403, { message: 'Resource not accessible by integration' }, { 'x-ratelimit-remaining': '4999' });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.checks.update({ owner: 'acme', repo: 'widgets', check_run_id: 5, status: 'completed' })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'gadgets' })).rejects.toMatchObject({ status: 403 });
    expect(events).toEqual([]);
  });
});

describe('rate-limit handlers', () => {
  it('retry twice per request, then let the error through, saying so', () => {
    const lines: string[] = [];
    const { onRateLimit } = rateLimitHandlers((line) => lines.push(line));
    const options = { method: 'GET', url: '/repos/{owner}/{repo}' };
    expect([0, 1, 2].map((retryCount) => onRateLimit(60, options, undefined, retryCount))).toEqual([true, true, false]);
    expect(lines.at(-1)).toBe('GitHub API GET /repos/{owner}/{repo}: rate limit still exhausted after 2 waits; giving up');
  });
});
