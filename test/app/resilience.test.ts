import { beforeEach, describe, expect, it } from '@jest/globals';
import { checkRun, dispatched, fileContent, mockToken, NO_CHECKS, REPO_PATH, useHarness, type Harness } from './harness.ts';
import { example, override, type PayloadOf } from '../support/github-payloads.ts';

type Loose = Record<string, unknown>;
const HEAD = 'b'.repeat(40);

function factoryPull(): PayloadOf<'pull_request.opened'> {
  const base = example('pull_request.opened', (payload) => payload.installation !== undefined) as unknown as Loose;
  return override<Loose>(base, { pull_request: { head: { ref: 'factory/bbbbbbb', sha: HEAD } } }) as unknown as PayloadOf<'pull_request.opened'>;
}

describe('GitHub answering 500 and 403 rate-limited', () => {
  const current = useHarness({ retries: 2 });
  let harness: Harness;
  beforeEach(() => {
    harness = current();
  });

  function upToDispatch(): ReturnType<Harness['github']> {
    return mockToken(harness.github())
      .get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: 'master' }).reply(200, fileContent('.github/factory.yml', 'version: 1\n'))
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query(true).reply(200, NO_CHECKS)
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(61, { name: 'factory/satisfaction' }));
  }

  it('retries a 500 and goes on', async () => {
    upToDispatch()
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`).reply(500, { message: 'Server Error' })
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`).reply(200, dispatched(701))
      .patch(`${REPO_PATH}/check-runs/61`, (body) => body.details_url === dispatched(701).html_url).reply(200, checkRun(61));
    await harness.receive('pull_request', factoryPull());
  });

  it('retries a rate-limited 403 and goes on', async () => {
    const reset = String(Math.floor(Date.now() / 1000));
    upToDispatch()
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`)
      .reply(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset })
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`).reply(200, dispatched(702))
      .patch(`${REPO_PATH}/check-runs/61`).reply(200, checkRun(61));
    await harness.receive('pull_request', factoryPull());
  });

  it('reports on the check when GitHub keeps failing, instead of leaving it queued', async () => {
    let update: { conclusion?: string; output?: { summary: string } } = {};
    upToDispatch()
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`).times(3).reply(500, { message: 'Server Error' })
      .patch(`${REPO_PATH}/check-runs/61`, (body) => { update = body; return true; }).reply(200, checkRun(61));
    await harness.receive('pull_request', factoryPull());
    expect(update.conclusion).toBe('failure');
    expect(update.output?.summary).toContain('Server Error');
  });
});

describe('GitHub retries in the App’s log', () => {
  const warnings: string[] = [];
  const current = useHarness({ retries: 2, warnings });
  beforeEach(() => {
    warnings.length = 0;
  });

  function upToDispatch(harness: Harness): ReturnType<Harness['github']> {
    return mockToken(harness.github())
      .get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: 'master' }).reply(200, fileContent('.github/factory.yml', 'version: 1\n'))
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query(true).reply(200, NO_CHECKS)
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(61, { name: 'factory/satisfaction' }));
  }

  it('logs a 5xx retry and a rate-limit wait with the route and the delay, as the Action does', async () => {
    const harness = current();
    upToDispatch(harness)
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`).reply(502, { message: 'Bad Gateway' })
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`)
      // The reset, 2–3 s ahead when GitHub answers: the plugin waits until a second past it.
      .reply(() => [403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3) }])
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`).reply(200, dispatched(703))
      .patch(`${REPO_PATH}/check-runs/61`).reply(200, checkRun(61));
    await harness.receive('pull_request', factoryPull());
    const waits = warnings.filter((line) => line.startsWith('GitHub API '));
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBe(`GitHub API POST ${REPO_PATH}/actions/workflows/validate.yml/dispatches: HTTP 502; retry 1 of 2 in 1 s`);
    expect(waits[1]).toMatch(/^GitHub API POST \/repos\/\{owner\}\/\{repo\}\/actions\/workflows\/\{workflow_id\}\/dispatches: rate limit exhausted; waiting [34] s for the reset GitHub names, then retry 1$/);
  });

  it('waits out a secondary rate limit (Probot’s default only warns) and logs it', async () => {
    const harness = current();
    upToDispatch(harness)
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`)
      .reply(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '5' })
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`).reply(200, dispatched(704))
      .patch(`${REPO_PATH}/check-runs/61`).reply(200, checkRun(61));
    await harness.receive('pull_request', factoryPull());
    expect(warnings.filter((line) => line.startsWith('GitHub API '))).toEqual(['GitHub API POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches: secondary rate limit; waiting 5 s as GitHub asks (retry-after), then retry 1']);
  });
});

describe('a delivery that failed', () => {
  const current = useHarness();

  it('is not remembered, so GitHub\'s redelivery is acted on', async () => {
    const harness = current();
    const payload = factoryPull();
    mockToken(harness.github())
      .get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: 'master' }).reply(500, { message: 'Server Error' });
    await expect(harness.receive('pull_request', payload, 'redelivered')).rejects.toThrow('Server Error');
    harness.github()
      .get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: 'master' }).reply(200, fileContent('.github/factory.yml', 'version: 1\n'))
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [
        checkRun(62, { name: 'factory/satisfaction', external_id: JSON.stringify({ pr: 2, round: 1, request: `pr:2:${HEAD}` }) })] });
    await harness.receive('pull_request', payload, 'redelivered');
  });
});
