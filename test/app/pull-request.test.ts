import { beforeEach, describe, expect, it } from '@jest/globals';
import type nock from 'nock';
import { checkRun, dispatched, fileContent, mockToken, NO_CHECKS, REPO_PATH, useHarness, type Harness } from './harness.ts';
import { example, override, type DeepPartial, type PayloadOf } from '../support/github-payloads.ts';

const HEAD = '3'.repeat(40);
const CONFIG = 'version: 1\nfactory:\n  graph: factory/pipeline.dot\n';

type PullPayload = PayloadOf<'pull_request.opened'>;
type Loose = Record<string, unknown>;

function pull(event: 'pull_request.opened' | 'pull_request.synchronize', patch: DeepPartial<PullPayload> | Loose): PullPayload {
  const base = example(event, (payload) => payload.installation !== undefined) as unknown as Loose;
  return override<Loose>(base, patch as Loose) as unknown as PullPayload;
}

function factoryPull(event: 'pull_request.opened' | 'pull_request.synchronize' = 'pull_request.opened', before?: string): PullPayload {
  return pull(event, { pull_request: { head: { ref: 'factory/abc1234', sha: HEAD } }, ...(before ? { before } : {}) });
}

function configOnDefaultBranch(scope: nock.Scope, text: string | null = CONFIG): nock.Scope {
  const interceptor = scope.get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: 'master' });
  if (text === null) return interceptor.reply(404, { message: 'Not Found' });
  return interceptor.reply(200, fileContent('.github/factory.yml', text));
}

/** The neutral `factory/satisfaction` every same-repository PR that is not the factory's gets. */
function noHoldoutGate(scope: nock.Scope, seen: Array<Record<string, unknown>> = []): nock.Scope {
  return scope.get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
    .get(`${REPO_PATH}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: 'Tidy the README\n' } })
    .post(`${REPO_PATH}/check-runs`, (body) => {
    if (body.name !== 'factory/satisfaction') return false;
    seen.push(body);
    return true;
  }).reply(201, checkRun(50, { name: 'factory/satisfaction', status: 'completed', conclusion: 'neutral' }));
}

describe('pull requests', () => {
  const current = useHarness();
  let harness: Harness;
  beforeEach(() => {
    harness = current();
  });

  it('queues factory/satisfaction on a factory PR head at once and dispatches validate.yml', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    const scope = mockToken(harness.github());
    configOnDefaultBranch(scope)
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .post(`${REPO_PATH}/check-runs`, (body) => { bodies.push(body); return true; }).reply(201, checkRun(31, { name: 'factory/satisfaction', head_sha: HEAD }))
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`, (body) => { bodies.push(body); return true; }).reply(200, dispatched(501))
      .patch(`${REPO_PATH}/check-runs/31`).reply(200, checkRun(31));
    await harness.receive('pull_request', factoryPull());
    expect(bodies[0]).toMatchObject({ name: 'factory/satisfaction', head_sha: HEAD, status: 'queued' });
    expect(bodies[1]).toEqual({
      ref: 'master', return_run_details: true,
      inputs: { pr_number: '2', head_sha: HEAD, check_run_id: '31', request_id: `pr:2:${HEAD}`, round: '1' },
    });
  });

  it('counts the round up on synchronize after a failed validation of the previous head', async () => {
    const before = '4'.repeat(40);
    let inputs: Record<string, string> = {};
    const scope = mockToken(harness.github());
    configOnDefaultBranch(scope)
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query(true).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${before}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [
        checkRun(30, { name: 'factory/satisfaction', status: 'completed', conclusion: 'failure', external_id: JSON.stringify({ pr: 2, round: 1, request: 'x' }) })] })
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(32, { name: 'factory/satisfaction' }))
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(502))
      .patch(`${REPO_PATH}/check-runs/32`).reply(200, checkRun(32));
    await harness.receive('pull_request', factoryPull('pull_request.synchronize', before));
    expect(inputs.round).toBe('2');
  });

  it('does not queue a second check for the same head (another replica already did)', async () => {
    const scope = mockToken(harness.github());
    configOnDefaultBranch(scope)
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [
        checkRun(31, { name: 'factory/satisfaction', external_id: JSON.stringify({ pr: 2, round: 1, request: `pr:2:${HEAD}` }) })] });
    await harness.receive('pull_request', factoryPull());
  });

  it('ignores a fork PR without any API call', async () => {
    await harness.receive('pull_request', pull('pull_request.opened', {
      pull_request: { head: { ref: 'factory/abc1234', sha: HEAD, repo: { full_name: 'mallory/Hello-World' } } },
    }));
  });

  it('gives a spec PR a factory/spec check with lint annotations in batches of 50 and the config result', async () => {
    // 60 nodes with no path from start: 60 reachability findings, so two annotation requests.
    const nodes = Array.from({ length: 60 }, (_, i) => `  orphan${i} [shape=box, prompt="x"]`).join('\n');
    const graph = `digraph G {\n  goal="g"\n  start [shape=Mdiamond]\n  exit [shape=Msquare]\n  start -> exit\n${nodes}\n}\n`;
    const created: Array<Record<string, unknown>> = [];
    const scope = mockToken(harness.github());
    noHoldoutGate(configOnDefaultBranch(scope))
      .get(`${REPO_PATH}/pulls/2/files`).query(true).reply(200, [{ filename: 'factory/pipeline.dot' }, { filename: 'README.md' }])
      .get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: HEAD }).reply(200, fileContent('.github/factory.yml', CONFIG))
      .get(`${REPO_PATH}/contents/factory%2Fpipeline.dot`).query({ ref: HEAD }).reply(200, fileContent('factory/pipeline.dot', graph))
      .post(`${REPO_PATH}/check-runs`, (body) => { created.push(body); return true; }).reply(201, checkRun(41, { name: 'factory/spec' }))
      .patch(`${REPO_PATH}/check-runs/41`, (body) => { created.push(body); return true; }).reply(200, checkRun(41));
    await harness.receive('pull_request', pull('pull_request.opened', { pull_request: { head: { sha: HEAD } } }));
    const [first, second] = created as Array<{ conclusion?: string; output: { annotations: unknown[]; summary: string } }>;
    expect(first?.conclusion).toBe('failure');
    expect(first?.output.annotations).toHaveLength(50);
    expect(second?.output.annotations.length).toBeGreaterThan(0);
    expect(first?.output.summary).toContain('`.github/factory.yml` is valid');
  });

  it('reports an invalid config in a spec PR by key path', async () => {
    let summary = '';
    const scope = mockToken(harness.github());
    noHoldoutGate(configOnDefaultBranch(scope, null))
      .get(`${REPO_PATH}/pulls/2/files`).query(true).reply(200, [{ filename: '.github/factory.yml' }])
      .get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: HEAD }).reply(200, fileContent('.github/factory.yml', 'version: 1\nspec:\n  path: [x]\n'))
      .post(`${REPO_PATH}/check-runs`, (body) => { summary = body.output.summary; return body.conclusion === 'failure'; }).reply(201, checkRun(42, { name: 'factory/spec' }));
    await harness.receive('pull_request', pull('pull_request.opened', { pull_request: { head: { sha: HEAD } } }));
    expect(summary).toContain('`spec.path` expected no such key');
  });

  it('passes any other PR of the repository with a neutral factory/satisfaction, so the required check does not hold it', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const scope = mockToken(harness.github());
    noHoldoutGate(configOnDefaultBranch(scope), seen).get(`${REPO_PATH}/pulls/2/files`).query(true).reply(200, [{ filename: 'src/app.ts' }]);
    await harness.receive('pull_request', pull('pull_request.opened', { pull_request: { head: { sha: HEAD } } }));
    expect(seen).toEqual([expect.objectContaining({
      name: 'factory/satisfaction', head_sha: HEAD, status: 'completed', conclusion: 'neutral',
      output: expect.objectContaining({ title: 'Not a factory pull request: no holdout gate' }),
    })]);
    expect(seen[0]).not.toHaveProperty('external_id');
  });

  it('gives no neutral check to a commit the holdout gate already judges (a second PR from a factory head)', async () => {
    const scope = mockToken(harness.github());
    configOnDefaultBranch(scope)
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [
        checkRun(31, { name: 'factory/satisfaction', head_sha: HEAD, external_id: JSON.stringify({ pr: 3, round: 1, request: `pr:3:${HEAD}` }) })] })
      .get(`${REPO_PATH}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: 'Tidy the README\n' } })
      .get(`${REPO_PATH}/pulls/2/files`).query(true).reply(200, [{ filename: 'src/app.ts' }]);
    await harness.receive('pull_request', pull('pull_request.opened', { pull_request: { head: { ref: 'not-factory', sha: HEAD } } }));
  });

  it('gives no neutral check to a commit the factory made, even where no config names its branch prefix', async () => {
    const scope = mockToken(harness.github());
    configOnDefaultBranch(scope, null)
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query(true).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `factory: implement (implement)\n\nFactory-Spec: ${'7'.repeat(40)}\n` } })
      .get(`${REPO_PATH}/pulls/2/files`).query(true).reply(200, [{ filename: 'src/app.ts' }]);
    await harness.receive('pull_request', pull('pull_request.opened', { pull_request: { head: { ref: 'bots/abc1234', sha: HEAD } } }));
  });

  it('still passes people\'s PRs when the default branch has no valid config, so the PR that fixes it can merge', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const scope = mockToken(harness.github());
    noHoldoutGate(configOnDefaultBranch(scope, null), seen).get(`${REPO_PATH}/pulls/2/files`).query(true).reply(200, [{ filename: 'src/app.ts' }]);
    await harness.receive('pull_request', pull('pull_request.opened', { pull_request: { head: { sha: HEAD } } }));
    expect(seen).toHaveLength(1);
  });

  it('never passes a fork PR that way: a fork gets nothing', async () => {
    await harness.receive('pull_request', pull('pull_request.opened', {
      pull_request: { head: { ref: 'feature', sha: HEAD, repo: { full_name: 'mallory/Hello-World' } } },
    }));
  });
});
