import { beforeEach, describe, expect, it } from '@jest/globals';
import { checkRun, fileContent, mockToken, NO_CHECKS, repoPath, useHarness, type Harness } from './harness.ts';
import { example, override, type PayloadOf } from '../support/github-payloads.ts';

type Loose = Record<string, unknown>;
type RunPayload = PayloadOf<'workflow_run.completed'>;
const PR_HEAD = '9'.repeat(40);

function runCompleted(patch: Loose): RunPayload {
  const base = example('workflow_run.completed', (payload) => (payload.workflow_run as Loose | undefined)?.path !== undefined) as unknown as Loose;
  return override<Loose>(base, patch) as unknown as RunPayload;
}

describe('workflow_run completed: nothing left hanging', () => {
  const current = useHarness();
  let harness: Harness;
  beforeEach(() => {
    harness = current();
  });

  it('concludes the open checks of a run that died as failure, with a link', async () => {
    const payload = runCompleted({ workflow_run: { path: '.github/workflows/validate.yml', conclusion: 'failure' } });
    const run = payload.workflow_run;
    const repo = repoPath(payload.repository.full_name);
    const closed: Array<Record<string, unknown>> = [];
    mockToken(harness.github())
      .get(`${repo}/contents/.github%2Ffactory.yml`).query({ ref: payload.repository.default_branch }).reply(200, fileContent('.github/factory.yml', 'version: 1\n'))
      .get(`${repo}/pulls`).query({ state: 'open', per_page: 100 }).reply(200, [
        { number: 9, head: { ref: 'factory/abc', sha: PR_HEAD, repo: { full_name: payload.repository.full_name } }, base: { repo: { full_name: payload.repository.full_name } } },
        { number: 10, head: { ref: 'feature', sha: '1'.repeat(40), repo: { full_name: payload.repository.full_name } }, base: { repo: { full_name: payload.repository.full_name } } }])
      .get(`${repo}/commits/${run.head_sha}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .get(`${repo}/commits/${run.head_sha}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .get(`${repo}/commits/${PR_HEAD}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .get(`${repo}/commits/${PR_HEAD}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, { total_count: 3, check_runs: [
        checkRun(91, { name: 'factory/satisfaction', status: 'in_progress', external_id: JSON.stringify({ pr: 9, round: 1, request: 'r', run: run.id }) }),
        checkRun(92, { name: 'factory/satisfaction', status: 'queued', external_id: JSON.stringify({ pr: 9, round: 1, request: 'r', run: 1 }) }),
        checkRun(93, { name: 'factory/satisfaction', status: 'completed', conclusion: 'success', external_id: JSON.stringify({ pr: 9, round: 1, request: 'r', run: run.id }) })] })
      .patch(`${repo}/check-runs/91`, (body) => { closed.push(body); return true; }).reply(200, checkRun(91));
    await harness.receive('workflow_run', payload);
    expect(closed[0]).toMatchObject({ status: 'completed', conclusion: 'failure', details_url: run.html_url });
    expect(JSON.stringify(closed[0])).toContain(run.html_url);
  });

  it('concludes them as cancelled when the run was cancelled', async () => {
    const payload = runCompleted({ workflow_run: { path: '.github/workflows/factory.yml', conclusion: 'cancelled' } });
    const run = payload.workflow_run;
    const repo = repoPath(payload.repository.full_name);
    let conclusion = '';
    mockToken(harness.github())
      .get(`${repo}/contents/.github%2Ffactory.yml`).query(true).reply(404, { message: 'Not Found' })
      .get(`${repo}/pulls`).query(true).reply(200, [])
      .get(`${repo}/commits/${run.head_sha}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, { total_count: 1, check_runs: [
        checkRun(94, { status: 'queued', external_id: JSON.stringify({ round: 1, request: 'push:x', run: run.id }) })] })
      .get(`${repo}/commits/${run.head_sha}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .patch(`${repo}/check-runs/94`, (body) => { conclusion = body.conclusion; return true; }).reply(200, checkRun(94));
    await harness.receive('workflow_run', payload);
    expect(conclusion).toBe('cancelled');
  });

  it('ignores other workflows', async () => {
    await harness.receive('workflow_run', runCompleted({ workflow_run: { path: '.github/workflows/test.yml' } }));
  });
});
