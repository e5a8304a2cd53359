import { beforeEach, describe, expect, it } from '@jest/globals';
import type nock from 'nock';
import { checkRun, dispatched, fileContent, mockToken, NO_CHECKS, REPO_PATH, useHarness, type Harness } from './harness.ts';
import { example, override, type PayloadOf } from '../support/github-payloads.ts';

type CommentPayload = PayloadOf<'issue_comment.created'>;
const HEAD = '5'.repeat(40);
const SPEC = '6'.repeat(40);
const COMMENT_ID = 492700400;

function commentOn(body: string, options: { pr?: boolean; login?: string; bot?: boolean } = {}): CommentPayload {
  const base = example('issue_comment.created', (payload) => payload.installation !== undefined) as unknown as Record<string, unknown>;
  const login = options.login ?? 'Codertocat';
  const user = { login, type: options.bot ? 'Bot' : 'User' };
  return override<Record<string, unknown>>(base, {
    comment: { body, user },
    sender: user,
    issue: options.pr ? { pull_request: { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' } } : {},
  }) as unknown as CommentPayload;
}

function withConfig(scope: nock.Scope, text = 'version: 1\n'): nock.Scope {
  return scope.get(`${REPO_PATH}/contents/.github%2Ffactory.yml`).query({ ref: 'master' }).reply(200, fileContent('.github/factory.yml', text));
}

function acknowledged(scope: nock.Scope, login: string, permission: string, roleName = permission): nock.Scope {
  return scope.post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: 'eyes' }).reply(201, { id: 1, content: 'eyes' })
    .get(`${REPO_PATH}/collaborators/${encodeURIComponent(login)}/permission`).reply(200, { permission, role_name: roleName, user: { login } });
}

function finished(scope: nock.Scope, reaction: 'rocket' | 'confused', reply: (body: string) => boolean): nock.Scope {
  return scope.post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: reaction }).reply(201, { id: 2, content: reaction })
    .post(`${REPO_PATH}/issues/1/comments`, (body) => reply(body.body)).reply(201, { id: 3 });
}

/** The exactly-once lookup: no check on `sha` carries this comment's request yet. */
function noEarlierCheck(scope: nock.Scope, sha: string, name = 'factory'): nock.Scope {
  return scope.get(`${REPO_PATH}/commits/${sha}/check-runs`).query({ check_name: name, filter: 'all', per_page: 100 }).reply(200, NO_CHECKS);
}

function factoryPullLookup(scope: nock.Scope, headRepo = 'Codertocat/Hello-World'): nock.Scope {
  return scope.get(`${REPO_PATH}/pulls/1`).reply(200, {
    number: 1, state: 'open', head: { ref: 'factory/6666666', sha: HEAD, repo: { full_name: headRepo } }, base: { repo: { full_name: 'Codertocat/Hello-World' } },
  });
}

describe('/factory commands', () => {
  const current = useHarness();
  let harness: Harness;
  beforeEach(() => {
    harness = current();
  });

  it('ignores ordinary comments without any API call', async () => {
    await harness.receive('issue_comment', commentOn('Nice work!\n/factory rerun'));
  });

  it('lets a writer rerun a factory PR: 👀, a new factory check, a dispatch, 🚀 and a reply', async () => {
    let inputs: Record<string, string> = {};
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    factoryPullLookup(scope)
      .get(`${REPO_PATH}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `factory: build\n\nFactory-Run: 77\nFactory-Spec: ${SPEC}\n` } });
    noEarlierCheck(noEarlierCheck(noEarlierCheck(scope, HEAD), HEAD), SPEC)
      .post(`${REPO_PATH}/check-runs`, (body) => body.name === 'factory' && body.head_sha === HEAD).reply(201, checkRun(51, { head_sha: HEAD }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(601))
      .patch(`${REPO_PATH}/check-runs/51`).reply(200, checkRun(51));
    finished(scope, 'rocket', (body) => body.includes('actions/runs/601'));
    await harness.receive('issue_comment', commentOn('/factory rerun', { pr: true }));
    expect(inputs).toEqual({ spec_sha: SPEC, reason: 'rerun', request_id: `comment:${COMMENT_ID}`, check_run_id: '51', round: '1', pr_number: '1' });
  });

  describe('/factory rerun resumes an unfinished run by default (resume issue)', () => {
    const lastRun = (conclusion: string, status = 'completed') => ({ total_count: 1, check_runs: [
      checkRun(58, { status, conclusion, head_sha: HEAD, external_id: JSON.stringify({ round: 2, request: 'push:x', run: 444 }) })] });
    function rerunScope(latest: object): { scope: nock.Scope; inputs: () => Record<string, string> } {
      let inputs: Record<string, string> = {};
      const scope = mockToken(harness.github());
      acknowledged(withConfig(scope), 'Codertocat', 'write');
      factoryPullLookup(scope)
        .get(`${REPO_PATH}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `factory: build\n\nFactory-Spec: ${SPEC}\n` } });
      noEarlierCheck(scope, HEAD)
        .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, latest);
      noEarlierCheck(scope, SPEC)
        .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(60))
        .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(605))
        .patch(`${REPO_PATH}/check-runs/60`).reply(200, checkRun(60));
      return { scope, inputs: () => inputs };
    }

    it.each(['failure', 'cancelled', 'timed_out'])('a last run that ended %s resumes from its artifact, with a raised --max-usd', async (conclusion) => {
      const { scope, inputs } = rerunScope(lastRun(conclusion));
      scope.get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS);
      finished(scope, 'rocket', (body) => body.includes('resuming run 444 from its checkpoint with a budget of $80') && body.includes('--fresh'));
      await harness.receive('issue_comment', commentOn('/factory rerun --max-usd 80', { pr: true }));
      expect(inputs()).toEqual({
        spec_sha: SPEC, reason: 'resume', request_id: `comment:${COMMENT_ID}`, check_run_id: '60', round: '1', pr_number: '1', resume_run_id: '444', max_usd: '80',
      });
    });

    it('a last run that succeeded starts over', async () => {
      const { scope, inputs } = rerunScope(lastRun('success'));
      finished(scope, 'rocket', (body) => body.includes('a fresh factory run') && body.includes('ended success'));
      await harness.receive('issue_comment', commentOn('/factory rerun', { pr: true }));
      expect(inputs()).toMatchObject({ reason: 'rerun', round: '1' });
      expect(inputs().resume_run_id).toBeUndefined();
    });

    it('--fresh starts over without looking for the last run', async () => {
      let inputs: Record<string, string> = {};
      const scope = mockToken(harness.github());
      acknowledged(withConfig(scope), 'Codertocat', 'write');
      factoryPullLookup(scope)
        .get(`${REPO_PATH}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `factory: build\n\nFactory-Spec: ${SPEC}\n` } });
      noEarlierCheck(scope, HEAD)
        .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(61))
        .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(606))
        .patch(`${REPO_PATH}/check-runs/61`).reply(200, checkRun(61));
      finished(scope, 'rocket', (body) => body.includes('a fresh factory run') && body.includes('`--fresh` was given'));
      await harness.receive('issue_comment', commentOn('/factory rerun --fresh', { pr: true }));
      expect(inputs).toMatchObject({ reason: 'rerun' });
    });

    it('refuses a budget that is not an amount, saying what is accepted', async () => {
      const scope = mockToken(harness.github());
      acknowledged(withConfig(scope), 'Codertocat', 'write');
      finished(scope, 'confused', (body) => body.includes('`max-usd` must be an amount in USD'));
      await harness.receive('issue_comment', commentOn('/factory rerun --max-usd lots', { pr: true }));
    });
  });

  it('refuses a reader with 😕 and says why', async () => {
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'read');
    finished(scope, 'confused', (body) => body.includes('write, maintain or admin'));
    await harness.receive('issue_comment', commentOn('/factory rerun', { pr: true }));
  });

  it('refuses an outsider the permission API does not know', async () => {
    const scope = mockToken(harness.github());
    withConfig(scope)
      .post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: 'eyes' }).reply(201, { id: 1 })
      .get(`${REPO_PATH}/collaborators/stranger/permission`).reply(404, { message: 'Not Found' });
    finished(scope, 'confused', (body) => body.includes('write, maintain or admin'));
    await harness.receive('issue_comment', commentOn('/factory run', { login: 'stranger' }));
  });

  it('ignores a bot unless the config lists it, and obeys a listed one', async () => {
    withConfig(mockToken(harness.github()));
    await harness.receive('issue_comment', commentOn('/factory help', { login: 'renovate[bot]', bot: true }));

    const scope = harness.github();
    acknowledged(withConfig(scope, 'version: 1\ncommands:\n  bots: ["renovate[bot]"]\n'), 'renovate[bot]', 'write');
    finished(scope, 'rocket', (body) => body.includes('/factory validate'));
    await harness.receive('issue_comment', commentOn('/factory help', { login: 'renovate[bot]', bot: true }));
  });

  it('answers an unknown command and a malformed argument with what is accepted', async () => {
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'admin');
    finished(scope, 'confused', (body) => body.includes('Unknown command `deploy`') && body.includes('`rerun`'));
    await harness.receive('issue_comment', commentOn('/factory deploy'));

    const again = harness.github();
    acknowledged(withConfig(again), 'Codertocat', 'admin');
    finished(again, 'confused', (body) => body.includes('Unknown argument `force`'));
    await harness.receive('issue_comment', commentOn('/factory validate force=1', { pr: true }));
  });

  it('says where a command belongs when used in the wrong place', async () => {
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    finished(scope, 'confused', (body) => body.includes('works on factory PRs'));
    await harness.receive('issue_comment', commentOn('/factory rerun'));
  });

  it('refuses an override the config does not allow', async () => {
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    finished(scope, 'confused', (body) => body.includes('`model=` is not allowed'));
    await harness.receive('issue_comment', commentOn('/factory run model=openai/gpt-5'));
  });

  it('runs the factory from an issue at the default branch head', async () => {
    let inputs: Record<string, string> = {};
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope, 'version: 1\ncommands:\n  overrides: [model]\n'), 'Codertocat', 'maintain', 'maintain')
      .get(`${REPO_PATH}/branches/master`).reply(200, { name: 'master', commit: { sha: SPEC } });
    noEarlierCheck(scope, SPEC)
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(52, { head_sha: SPEC }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(602))
      .patch(`${REPO_PATH}/check-runs/52`).reply(200, checkRun(52));
    finished(scope, 'rocket', (body) => body.includes('started a factory run'));
    await harness.receive('issue_comment', commentOn('/factory run model=openai/gpt-5'));
    // From an issue, not a PR: the run asks a parked gate's question on this issue.
    expect(inputs).toMatchObject({ spec_sha: SPEC, reason: 'command', model: 'openai/gpt-5', issue_number: '1' });
    expect(inputs.pr_number).toBeUndefined();
  });

  it('validates a factory PR with trials when allowed', async () => {
    let inputs: Record<string, string> = {};
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope, 'version: 1\ncommands:\n  overrides: [trials]\n'), 'Codertocat', 'write');
    noEarlierCheck(factoryPullLookup(scope), HEAD, 'factory/satisfaction')
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [
        checkRun(53, { name: 'factory/satisfaction', status: 'completed', conclusion: 'failure', external_id: JSON.stringify({ pr: 1, round: 2, request: 'r' }) })] })
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(54, { name: 'factory/satisfaction' }))
      .post(`${REPO_PATH}/actions/workflows/validate.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(603))
      .patch(`${REPO_PATH}/check-runs/54`).reply(200, checkRun(54));
    finished(scope, 'rocket', (body) => body.includes('validation round 2'));
    await harness.receive('issue_comment', commentOn('/factory validate trials=5', { pr: true }));
    expect(inputs).toMatchObject({ pr_number: '1', head_sha: HEAD, round: '2', trials: '5' });
  });

  it('cancels the PR\'s workflow runs and closes its open checks as cancelled', async () => {
    const closed: number[] = [];
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    factoryPullLookup(scope)
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, { total_count: 1, check_runs: [
        checkRun(55, { name: 'factory/satisfaction', status: 'in_progress', external_id: JSON.stringify({ pr: 1, round: 1, request: 'r', run: 700 }) })] })
      .post(`${REPO_PATH}/actions/runs/700/cancel`).reply(202, {})
      .patch(`${REPO_PATH}/check-runs/55`, (body) => { closed.push(55); return body.conclusion === 'cancelled'; }).reply(200, checkRun(55));
    finished(scope, 'rocket', (body) => body.includes('cancelled 1 workflow run(s) and closed 1 check(s)'));
    await harness.receive('issue_comment', commentOn('/factory cancel', { pr: true }));
    expect(closed).toEqual([55]);
  });

  it('replies with the status built from the check runs', async () => {
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    factoryPullLookup(scope)
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ filter: 'latest', per_page: 100 }).reply(200, { total_count: 2, check_runs: [
        checkRun(56, { name: 'factory/satisfaction', status: 'completed', conclusion: 'failure', details_url: 'https://github.com/x/runs/9', external_id: JSON.stringify({ pr: 1, round: 1, request: 'r', run: 9 }) }),
        checkRun(57, { name: 'factory', status: 'queued', external_id: JSON.stringify({ pr: 1, round: 1, request: 'q' }) }),
        checkRun(58, { name: 'ci/lint', status: 'completed', conclusion: 'success' })] })
      .get(`${REPO_PATH}/actions/runs/9`).reply(200, { id: 9, status: 'completed', conclusion: 'failure', html_url: 'https://github.com/x/actions/runs/9' });
    finished(scope, 'rocket', (body) => body.includes('| `factory/satisfaction` | failure | 1 | [run 9](https://github.com/x/actions/runs/9): failure |')
      && body.includes('| `factory` | queued | 1 | — |') && !body.includes('ci/lint'));
    await harness.receive('issue_comment', commentOn('/factory status', { pr: true }));
  });

  it('resumes the last recorded run, and answers a parked gate through a resume', async () => {
    let inputs: Record<string, string> = {};
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    factoryPullLookup(scope)
      .get(`${REPO_PATH}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `x\n\nFactory-Spec: ${SPEC}` } });
    noEarlierCheck(scope, HEAD)
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .get(`${REPO_PATH}/commits/${SPEC}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, { total_count: 1, check_runs: [
        checkRun(58, { status: 'completed', conclusion: 'failure', external_id: JSON.stringify({ round: 1, request: 'push:x', run: 444 }) })] })
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .post(`${REPO_PATH}/check-runs`).reply(201, checkRun(59))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(604))
      .patch(`${REPO_PATH}/check-runs/59`).reply(200, checkRun(59));
    finished(scope, 'rocket', (body) => body.includes('the answer `approve`'));
    await harness.receive('issue_comment', commentOn('/factory answer approve', { pr: true }));
    expect(inputs).toMatchObject({ reason: 'resume', resume_run_id: '444', answer: 'approve', spec_sha: SPEC });
  });

  it('answers a gate parked by a run started from an issue, found through the check the question names', async () => {
    let inputs: Record<string, string> = {};
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write')
      .get(`${REPO_PATH}/check-runs/70`).reply(200, checkRun(70, {
        head_sha: SPEC, status: 'completed', conclusion: 'action_required', external_id: JSON.stringify({ round: 1, request: 'comment:1', run: 4242, issue: 1 }) }));
    noEarlierCheck(scope, SPEC)
      .post(`${REPO_PATH}/check-runs`, (body) => body.head_sha === SPEC && JSON.parse(body.external_id).issue === 1).reply(201, checkRun(71, { head_sha: SPEC }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(605))
      .patch(`${REPO_PATH}/check-runs/71`).reply(200, checkRun(71));
    finished(scope, 'rocket', (body) => body.includes('run 4242 again with the answer `Y`'));
    await harness.receive('issue_comment', commentOn('/factory answer Y check=70'));
    expect(inputs).toMatchObject({ reason: 'resume', resume_run_id: '4242', answer: 'Y', spec_sha: SPEC, issue_number: '1' });
    expect(inputs.pr_number).toBeUndefined();
  });

  it('answers on a factory PR with the check its question names: the resumed run belongs to that PR', async () => {
    let inputs: Record<string, string> = {};
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    // The spec merge's run parked with its check on the spec commit, after opening factory PR #1.
    factoryPullLookup(scope)
      .get(`${REPO_PATH}/check-runs/72`).reply(200, checkRun(72, {
        head_sha: SPEC, status: 'completed', conclusion: 'action_required', external_id: JSON.stringify({ round: 1, request: `push:${SPEC}`, run: 4250 }) }));
    noEarlierCheck(scope, HEAD)
      .post(`${REPO_PATH}/check-runs`, (body) => body.head_sha === HEAD && JSON.parse(body.external_id).pr === 1).reply(201, checkRun(73, { head_sha: HEAD }))
      .post(`${REPO_PATH}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(606))
      .patch(`${REPO_PATH}/check-runs/73`).reply(200, checkRun(73));
    finished(scope, 'rocket', (body) => body.includes('run 4250 again with the answer `N`'));
    await harness.receive('issue_comment', commentOn('/factory answer N check=72', { pr: true }));
    expect(inputs).toMatchObject({ reason: 'resume', resume_run_id: '4250', answer: 'N', spec_sha: SPEC, pr_number: '1' });
  });

  it('on an issue, asks for the check an answer is for, and refuses one that is not a parked factory run', async () => {
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    finished(scope, 'confused', (body) => body.includes('`/factory answer <key> check=<id>`'));
    await harness.receive('issue_comment', commentOn('/factory answer Y'));

    const unknown = harness.github();
    acknowledged(withConfig(unknown), 'Codertocat', 'write')
      .get(`${REPO_PATH}/check-runs/9`).reply(404, { message: 'Not Found' });
    finished(unknown, 'confused', (body) => body.includes('there is no check run 9 in this repository'));
    await harness.receive('issue_comment', commentOn('/factory answer Y check=9'));

    const other = harness.github();
    acknowledged(withConfig(other), 'Codertocat', 'write')
      .get(`${REPO_PATH}/check-runs/10`).reply(200, checkRun(10, { name: 'factory/satisfaction', head_sha: SPEC, external_id: JSON.stringify({ pr: 1, round: 1, request: 'x' }) }));
    finished(other, 'confused', (body) => body.includes('check run 10 is not a factory run\'s check'));
    await harness.receive('issue_comment', commentOn('/factory answer Y check=10'));

    const done = harness.github();
    acknowledged(withConfig(done), 'Codertocat', 'write')
      .get(`${REPO_PATH}/check-runs/11`).reply(200, checkRun(11, { head_sha: SPEC, status: 'completed', conclusion: 'success', external_id: JSON.stringify({ round: 1, request: 'x', run: 5 }) }));
    finished(done, 'confused', (body) => body.includes('check run 11 is not waiting for an answer (it is success)'));
    await harness.receive('issue_comment', commentOn('/factory answer Y check=11'));
  });

  it('refuses to act on a fork PR', async () => {
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    factoryPullLookup(scope, 'mallory/Hello-World');
    finished(scope, 'confused', (body) => body.includes('forks'));
    await harness.receive('issue_comment', commentOn('/factory validate', { pr: true }));
  });

  it('dispatches once when the same comment arrives again under another delivery id', async () => {
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    factoryPullLookup(scope)
      .get(`${REPO_PATH}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `factory: build\n\nFactory-Spec: ${SPEC}\n` } })
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, { total_count: 1, check_runs: [
        checkRun(51, { head_sha: HEAD, external_id: JSON.stringify({ pr: 1, round: 1, request: `comment:${COMMENT_ID}` }) })] });
    // No check is created, nothing is dispatched, and no second 🚀 or reply is posted.
    await harness.receive('issue_comment', commentOn('/factory rerun', { pr: true }), 'redelivered-2');
  });

  it('acts once on a duplicate delivery', async () => {
    const scope = mockToken(harness.github());
    acknowledged(withConfig(scope), 'Codertocat', 'write');
    finished(scope, 'rocket', (body) => body.includes('the factory accepts'));
    const payload = commentOn('/factory help');
    await harness.receive('issue_comment', payload, 'dup-1');
    await harness.receive('issue_comment', payload, 'dup-1');
  });
});
