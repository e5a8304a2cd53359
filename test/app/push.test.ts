import { beforeEach, describe, expect, it } from '@jest/globals';
import type nock from 'nock';
import { checkRun, fileContent, MINIMAL_CONFIG, mockToken, REPO_PATH, useHarness, type Harness } from './harness.ts';
import { example, override, type DeepPartial, type PayloadOf } from '../support/github-payloads.ts';

type PushPayload = PayloadOf<'push'>;

const BEFORE = '1'.repeat(40);
const AFTER = '2'.repeat(40);

function specPush(files: string[], patch: DeepPartial<PushPayload> = {}): PushPayload {
  const base = example('push', (payload) => payload.ref === 'refs/heads/master' && Array.isArray(payload.commits) && payload.commits.length > 0);
  const commit = { ...base.commits[0]!, id: AFTER, added: [], removed: [], modified: files };
  return override<PushPayload>(override<PushPayload>(base, { before: BEFORE, after: AFTER, created: false, commits: [commit] }), patch);
}

function expectConfig(scope: nock.Scope, text: string | null): void {
  const path = `${REPO_PATH}/contents/.github%2Ffactory.yml`;
  if (text === null) scope.get(path).query({ ref: AFTER }).reply(404, { message: 'Not Found' });
  else scope.get(path).query({ ref: AFTER }).reply(200, fileContent('.github/factory.yml', text));
}

describe('spec merged (push to the default branch)', () => {
  const current = useHarness();
  let harness: Harness;
  beforeEach(() => {
    harness = current();
  });

  it('creates the factory check, dispatches factory.yml with run details, links the run and comments on the PR', async () => {
    const bodies: Record<string, Record<string, unknown>> = {};
    const order: string[] = [];
    const seen = (step: string) => (body: Record<string, unknown>): boolean => {
      bodies[step] = body;
      order.push(step);
      return true;
    };
    const scope = mockToken(harness.github());
    expectConfig(scope, MINIMAL_CONFIG);
    scope.get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO_PATH}/contents/spec%2FREADME.md`).query({ ref: AFTER }).reply(200, fileContent('spec/README.md', '# spec'))
      .get(`${REPO_PATH}/commits/${BEFORE}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO_PATH}/commits/${AFTER}/pulls`).reply(200, [{ number: 5, merged_at: '2026-01-01T00:00:00Z' }])
      .post(`${REPO_PATH}/check-runs`, seen('create')).reply(201, checkRun(11, { head_sha: AFTER }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`, seen('dispatch'))
      .reply(200, { workflow_run_id: 900, run_url: 'https://api.github.com/repos/Codertocat/Hello-World/actions/runs/900', html_url: 'https://github.com/Codertocat/Hello-World/actions/runs/900' })
      .patch(`${REPO_PATH}/check-runs/11`, seen('link')).reply(200, checkRun(11))
      .post(`${REPO_PATH}/issues/5/comments`, seen('comment')).reply(201, { id: 1 });

    await harness.receive('push', specPush(['spec/api.md']));

    // The check exists before the dispatch that names it; the link and the comment follow the dispatch, in either order.
    expect(order.slice(0, 2)).toEqual(['create', 'dispatch']);
    expect(order.slice(2).sort()).toEqual(['comment', 'link']);
    expect(bodies.create).toMatchObject({ name: 'factory', head_sha: AFTER, status: 'queued', external_id: JSON.stringify({ round: 1, request: `push:${AFTER}` }) });
    expect(bodies.dispatch).toEqual({
      ref: 'master', return_run_details: true,
      inputs: { spec_sha: AFTER, reason: 'spec-merge', request_id: `push:${AFTER}`, check_run_id: '11', round: '1' },
    });
    expect(bodies.link).toMatchObject({ details_url: 'https://github.com/Codertocat/Hello-World/actions/runs/900', external_id: JSON.stringify({ round: 1, request: `push:${AFTER}`, run: 900 }) });
    expect(bodies.comment?.body).toMatch(/actions\/runs\/900/);
  });

  it('comments nothing and leaves the check failed when GitHub refuses the dispatch', async () => {
    let update: Record<string, unknown> = {};
    const scope = mockToken(harness.github());
    expectConfig(scope, 'version: 1\n');
    scope.get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO_PATH}/commits/${BEFORE}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO_PATH}/commits/${AFTER}/pulls`).reply(200, [{ number: 5, merged_at: '2026-01-01T00:00:00Z' }])
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(13, { head_sha: AFTER }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`).reply(422, { message: 'Workflow does not have workflow_dispatch trigger' })
      .patch(`${REPO_PATH}/check-runs/13`, (body) => { update = body; return true; }).reply(200, checkRun(13));
    await harness.receive('push', specPush(['spec/api.md']));
    expect(update).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('still starts the run when the merged-PR lookup fails (the comment is a courtesy)', async () => {
    const scope = mockToken(harness.github());
    expectConfig(scope, 'version: 1\n');
    scope.get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO_PATH}/commits/${BEFORE}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO_PATH}/commits/${AFTER}/pulls`).reply(500, { message: 'Server Error' })
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(14, { head_sha: AFTER }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`).reply(200, { workflow_run_id: 902, run_url: 'https://api.github.com/x', html_url: 'https://github.com/x/902' })
      .patch(`${REPO_PATH}/check-runs/14`).reply(200, checkRun(14));
    await harness.receive('push', specPush(['spec/api.md']));
  });

  it('does nothing when the push does not touch spec paths', async () => {
    expectConfig(mockToken(harness.github()), MINIMAL_CONFIG);
    await harness.receive('push', specPush(['src/index.ts']));
  });

  it('ignores pushes to other branches and tags without calling GitHub', async () => {
    await harness.receive('push', specPush(['spec/api.md'], { ref: 'refs/heads/feature' }));
    await harness.receive('push', example('push', (payload) => String(payload.ref).startsWith('refs/tags/')));
  });

  it('gives a failing factory check naming the key path for an invalid config, and no dispatch', async () => {
    let summary = '';
    const scope = mockToken(harness.github());
    expectConfig(scope, 'version: 1\nfactory:\n  budget: { max_rounds: "three" }\n');
    scope.get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`, (body) => { summary = body.output.summary; return body.conclusion === 'failure' && body.status === 'completed'; })
      .reply(201, checkRun(12));
    await harness.receive('push', specPush(['spec/api.md']));
    expect(summary).toContain('`factory.budget.max_rounds` expected number');
  });

  it('gives a failing factory check when the config is missing', async () => {
    let title = '';
    const scope = mockToken(harness.github());
    expectConfig(scope, null);
    scope.get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`, (body) => { title = body.output.title; return body.conclusion === 'failure'; }).reply(201, checkRun(12));
    await harness.receive('push', specPush(['spec/api.md']));
    expect(title).toBe('No factory config');
  });

  it('refuses to start when a spec.ready file is missing', async () => {
    let summary = '';
    const scope = mockToken(harness.github());
    expectConfig(scope, MINIMAL_CONFIG);
    scope.get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO_PATH}/contents/spec%2FREADME.md`).query({ ref: AFTER }).reply(404, { message: 'Not Found' })
      .get(`${REPO_PATH}/commits/${BEFORE}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO_PATH}/commits/${AFTER}/pulls`).reply(200, [])
      .post(`${REPO_PATH}/check-runs`, (body) => { summary = body.output.summary; return body.conclusion === 'failure'; }).reply(201, checkRun(12));
    await harness.receive('push', specPush(['spec/api.md']));
    expect(summary).toContain('`spec/README.md`');
  });

  it('asks the compare API for a forced push and pages through a huge one', async () => {
    const page1 = Array.from({ length: 300 }, (_, i) => ({ filename: `src/file${i}.ts` }));
    const scope = mockToken(harness.github());
    expectConfig(scope, MINIMAL_CONFIG);
    scope.get(`${REPO_PATH}/compare/${BEFORE}...${AFTER}`).query({ per_page: 300, page: 1 }).reply(200, { files: page1 })
      .get(`${REPO_PATH}/compare/${BEFORE}...${AFTER}`).query({ per_page: 300, page: 2 }).reply(200, { files: [{ filename: 'docs/x.md' }] });
    await harness.receive('push', specPush([], { forced: true }));
  });

  it('starts a run for a push with more commits than the payload lists when compare shows a spec change', async () => {
    const scope = mockToken(harness.github());
    expectConfig(scope, MINIMAL_CONFIG);
    scope.get(`${REPO_PATH}/compare/${BEFORE}...${AFTER}`).query({ per_page: 300, page: 1 }).reply(200, { files: [{ filename: 'spec/a.md' }] })
      .get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true)
      .reply(200, { total_count: 1, check_runs: [checkRun(3, { head_sha: AFTER, external_id: JSON.stringify({ round: 1, request: `push:${AFTER}` }) })] })
      // Read alongside the lookup above, so they are asked even when it finds the push handled.
      .get(`${REPO_PATH}/contents/spec%2FREADME.md`).query({ ref: AFTER }).reply(200, fileContent('spec/README.md', '# spec'))
      .get(`${REPO_PATH}/commits/${BEFORE}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO_PATH}/commits/${AFTER}/pulls`).reply(200, []);
    const base = specPush([]);
    const commits = Array.from({ length: 20 }, () => ({ ...base.commits[0]!, modified: ['src/x.ts'] }));
    // The check already exists (another replica handled this push): no second dispatch.
    await harness.receive('push', { ...base, commits });
  });

  it('acts once on a delivery received twice', async () => {
    const scope = mockToken(harness.github());
    expectConfig(scope, MINIMAL_CONFIG);
    const payload = specPush(['src/index.ts']);
    await harness.receive('push', payload, 'same-id');
    await harness.receive('push', payload, 'same-id');
  });

  it('concludes an older open factory check as cancelled when a newer spec push supersedes it', async () => {
    let supersede: Record<string, unknown> = {};
    const scope = mockToken(harness.github());
    expectConfig(scope, 'version: 1\n');
    scope.get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(21, { head_sha: AFTER }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`).reply(200, { workflow_run_id: 901, run_url: 'https://api.github.com/x', html_url: 'https://github.com/x/901' })
      .patch(`${REPO_PATH}/check-runs/21`).reply(200, checkRun(21))
      .get(`${REPO_PATH}/commits/${BEFORE}/check-runs`).query(true)
      .reply(200, { total_count: 1, check_runs: [checkRun(20, { head_sha: BEFORE, status: 'in_progress', external_id: JSON.stringify({ round: 1, request: `push:${BEFORE}`, run: 800 }) })] })
      .patch(`${REPO_PATH}/check-runs/20`, (body) => { supersede = body; return true; }).reply(200, checkRun(20))
      .get(`${REPO_PATH}/commits/${AFTER}/pulls`).reply(200, []);
    await harness.receive('push', specPush(['spec/api.md']));
    expect(supersede).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(JSON.stringify(supersede)).toContain('runs/21');
  });
});
