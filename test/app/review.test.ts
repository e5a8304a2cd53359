// The interactive shift on the App side: spec PRs get a readiness review dispatched with their
// `factory/spec` check in progress; with review.required a merge whose last review blocked starts
// no run (the `factory` check says why) until `/factory run force=true`; `/factory scenarios`
// dispatches the holdouts-side workflow.
import { beforeEach, describe, expect, it } from '@jest/globals';
import type nock from 'nock';
import { embedReviewReport, lintFailedIn, reviewReport } from '../../core/domain/review.ts';
import { checkRun, dispatched, fileContent, mockToken, NO_CHECKS, REPO_PATH, useHarness, type Harness } from './harness.ts';
import { example, override, type PayloadOf } from '../support/github-payloads.ts';

const HEAD = '3'.repeat(40);
const BASE = '4'.repeat(40);
const AFTER = '2'.repeat(40);
const BEFORE = '1'.repeat(40);
const COMMENT_ID = 492700400;
const CONFIG = 'version: 1\nspec:\n  paths: ["spec/**"]\nreview:\n  enabled: true\n  models: ["anthropic/claude-test"]\n  required: true\nvalidation:\n  scenarios_repo: acme/holdouts\n';

type Loose = Record<string, unknown>;

function specPull(): PayloadOf<'pull_request.opened'> {
  const base = example('pull_request.opened', (payload) => payload.installation !== undefined) as unknown as Loose;
  return override<Loose>(base, { pull_request: { head: { sha: HEAD, ref: 'spec-unknown-codes' }, base: { sha: BASE } } }) as unknown as PayloadOf<'pull_request.opened'>;
}

function mergePush(): PayloadOf<'push'> {
  const base = example('push', (payload) => payload.ref === 'refs/heads/master' && Array.isArray(payload.commits) && payload.commits.length > 0);
  const commit = { ...base.commits[0]!, id: AFTER, added: [], removed: [], modified: ['spec/contracts.md'] };
  return override<PayloadOf<'push'>>(base, { before: BEFORE, after: AFTER, created: false, commits: [commit] });
}

function commentOn(body: string, pr: boolean): PayloadOf<'issue_comment.created'> {
  const base = example('issue_comment.created', (payload) => payload.installation !== undefined) as unknown as Loose;
  const user = { login: 'Codertocat', type: 'User' };
  return override<Loose>(base, { comment: { body, user }, sender: user, issue: pr ? { pull_request: { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' } } : {} }) as unknown as PayloadOf<'issue_comment.created'>;
}

const BLOCKING = reviewReport(HEAD, [
  { file: 'spec/contracts.md', line: 6, kind: 'contradiction', message: 'an unknown code answers 410 here, 404 in intent.md', blocking: true, critics: [] },
  { file: 'spec/constraints.md', line: 4, kind: 'untestable', message: '"fast" has no bar', blocking: false, critics: [] },
]);

/** The reviewed PR's head carries a concluded `factory/spec` check with the review's report. */
function reviewedHead(scope: nock.Scope, pr: number, report = BLOCKING): nock.Scope {
  return scope.get(`${REPO_PATH}/pulls/${pr}`).reply(200, { number: pr, state: 'closed', head: { ref: 'spec-x', sha: HEAD, repo: { full_name: 'Codertocat/Hello-World' } }, base: { sha: BASE, repo: { full_name: 'Codertocat/Hello-World' } } })
    .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory/spec', filter: 'all', per_page: 100 })
    .reply(200, { total_count: 1, check_runs: [checkRun(40, { name: 'factory/spec', head_sha: HEAD, status: 'completed', conclusion: 'failure', output: { title: 'x', summary: 'x', text: embedReviewReport(report) } })] });
}

describe('spec-readiness review (App)', () => {
  const current = useHarness();
  let harness: Harness;
  beforeEach(() => {
    harness = current();
  });

  it('dispatches review.yml for a spec PR with its factory/spec check in progress', async () => {
    const created: Loose[] = [];
    let dispatch: Loose = {};
    const scope = mockToken(harness.github());
    scope.get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: 'master' }).reply(200, fileContent('.github/factory.yml', CONFIG))
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: 'spec: unknown codes\n' } })
      .post(`${REPO_PATH}/check-runs`, (body) => body.name === 'factory/satisfaction').reply(201, checkRun(50, { name: 'factory/satisfaction' }))
      .get(`${REPO_PATH}/pulls/2/files`).query(true).reply(200, [{ filename: 'spec/contracts.md' }])
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory/spec', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: HEAD }).reply(200, fileContent('.github/factory.yml', CONFIG))
      .post(`${REPO_PATH}/check-runs`, (body) => { if (body.name !== 'factory/spec') return false; created.push(body); return true; }).reply(201, checkRun(41, { name: 'factory/spec' }))
      .post(`${REPO_PATH}/actions/workflows/review.yml/dispatches`, (body) => { dispatch = body; return true; }).reply(200, dispatched(777))
      .patch(`${REPO_PATH}/check-runs/41`, (body) => body.details_url === 'https://github.com/Codertocat/Hello-World/actions/runs/777').reply(200, checkRun(41));
    await harness.receive('pull_request', specPull());
    expect(created[0]).toMatchObject({ name: 'factory/spec', head_sha: HEAD, status: 'in_progress', external_id: JSON.stringify({ pr: 2, round: 1, request: `review:2:${HEAD}` }) });
    expect(lintFailedIn((created[0]?.output as { text: string }).text)).toBe(false);
    expect(dispatch).toEqual({ ref: 'master', return_run_details: true, inputs: { pr_number: '2', head_sha: HEAD, base_sha: BASE, check_run_id: '41', request_id: `review:2:${HEAD}` } });
  });

  it('with review.required, a merge whose last review blocked dispatches nothing and the factory check says why', async () => {
    let refusal: Loose = {};
    const scope = mockToken(harness.github());
    scope.get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: AFTER }).reply(200, fileContent('.github/factory.yml', CONFIG))
      .get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${BEFORE}/check-runs`).query(true).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${AFTER}/pulls`).reply(200, [{ number: 5, merged_at: '2026-01-01T00:00:00Z' }]);
    reviewedHead(scope, 5)
      .post(`${REPO_PATH}/check-runs`, (body) => { refusal = body; return true; }).reply(201, checkRun(12, { head_sha: AFTER }));
    await harness.receive('push', mergePush());
    expect(refusal).toMatchObject({ name: 'factory', head_sha: AFTER, status: 'completed', conclusion: 'failure' });
    const output = refusal.output as { title: string; summary: string };
    expect(output.title).toBe('Spec not ready: 1 blocking review finding(s)');
    expect(output.summary).toContain('spec/contracts.md:6 contradiction');
    expect(output.summary).toContain('/factory run force=true');
  });

  it('a merge whose last review had no blocking finding starts the run as usual', async () => {
    const scope = mockToken(harness.github());
    scope.get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: AFTER }).reply(200, fileContent('.github/factory.yml', CONFIG))
      .get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query(true).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${BEFORE}/check-runs`).query(true).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${AFTER}/pulls`).reply(200, [{ number: 5, merged_at: '2026-01-01T00:00:00Z' }]);
    reviewedHead(scope, 5, reviewReport(HEAD, []))
      .post(`${REPO_PATH}/check-runs`, (body) => body.status === 'queued').reply(201, checkRun(12, { head_sha: AFTER }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`).reply(200, dispatched(901))
      .patch(`${REPO_PATH}/check-runs/12`).reply(200, checkRun(12))
      .post(`${REPO_PATH}/issues/5/comments`).reply(201, { id: 1 });
    await harness.receive('push', mergePush());
  });

  function acknowledged(scope: nock.Scope): nock.Scope {
    return scope.get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: 'master' }).reply(200, fileContent('.github/factory.yml', CONFIG))
      .post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: 'eyes' }).reply(201, { id: 1, content: 'eyes' })
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`).reply(200, { permission: 'write', role_name: 'write', user: { login: 'Codertocat' } });
  }

  function finished(scope: nock.Scope, reaction: 'rocket' | 'confused', reply: (body: string) => boolean): nock.Scope {
    return scope.post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: reaction }).reply(201, { id: 2, content: reaction })
      .post(`${REPO_PATH}/issues/1/comments`, (body) => reply(body.body)).reply(201, { id: 3 });
  }

  it('`/factory run` on an issue refuses that spec until force=true, which starts the run', async () => {
    const scope = mockToken(harness.github());
    acknowledged(scope)
      .get(`${REPO_PATH}/branches/master`).reply(200, { name: 'master', commit: { sha: AFTER } })
      .get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${AFTER}/pulls`).reply(200, [{ number: 5, merged_at: '2026-01-01T00:00:00Z' }]);
    reviewedHead(scope, 5);
    finished(scope, 'confused', (body) => body.includes('1 blocking review finding') && body.includes('force=true'));
    await harness.receive('issue_comment', commentOn('/factory run', false));

    let inputs: Record<string, string> = {};
    const again = harness.github();
    acknowledged(again)
      .get(`${REPO_PATH}/branches/master`).reply(200, { name: 'master', commit: { sha: AFTER } })
      .get(`${REPO_PATH}/commits/${AFTER}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(60, { head_sha: AFTER }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(602))
      .patch(`${REPO_PATH}/check-runs/60`).reply(200, checkRun(60));
    finished(again, 'rocket', (body) => body.includes('actions/runs/602'));
    await harness.receive('issue_comment', commentOn('/factory run force=true', false), 'second-delivery');
    expect(inputs.spec_sha).toBe(AFTER);
  });

  it('`/factory scenarios` on a spec PR dispatches the holdouts-side scenarios.yml and replies with no scenario text', async () => {
    let dispatch: Loose = {};
    const scope = mockToken(harness.github());
    acknowledged(scope)
      .get(`${REPO_PATH}/pulls/1`).reply(200, { number: 1, state: 'open', head: { ref: 'spec-x', sha: HEAD, repo: { full_name: 'Codertocat/Hello-World' } }, base: { sha: BASE, repo: { full_name: 'Codertocat/Hello-World' } } })
      .post(`${REPO_PATH}/actions/workflows/scenarios.yml/dispatches`, (body) => { dispatch = body; return true; }).reply(200, dispatched(703));
    finished(scope, 'rocket', (body) => body.includes('holdouts repository') && body.includes('actions/runs/703'));
    await harness.receive('issue_comment', commentOn('/factory scenarios', true));
    expect(dispatch).toEqual({ ref: 'master', return_run_details: true, inputs: { pr_number: '1', head_sha: HEAD, base_sha: BASE, request_id: `comment:${COMMENT_ID}` } });
  });
});
