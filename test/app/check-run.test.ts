import { beforeEach, describe, expect, it } from '@jest/globals';
import type nock from 'nock';
import { checkRun, dispatched, fileContent, mockToken, NO_CHECKS, repoPath, useHarness, type Harness } from './harness.ts';
import { example, override, type PayloadOf } from '../support/github-payloads.ts';
import { embedFeedback } from '../../core/domain/feedback.ts';
import { APP_CONCLUSION_MARK } from '../../app/github/checks.ts';

type Loose = Record<string, unknown>;
const HEAD = '7'.repeat(40);
const SPEC = '8'.repeat(40);

function checkEvent<E extends 'check_run.rerequested' | 'check_run.requested_action' | 'check_run.completed'>(event: E, patch: Loose): PayloadOf<E> {
  const base = example(event) as unknown as Loose;
  return override<Loose>(base, patch) as unknown as PayloadOf<E>;
}

function repoOf(payload: { repository: { full_name: string } }): string {
  return repoPath(payload.repository.full_name);
}

function branchOf(payload: { repository: unknown }): string {
  return (payload.repository as { default_branch: string }).default_branch;
}

/** A factory run the App starts: its check, the dispatch (inputs captured), the check linked to the run. */
function startsFactoryRun(scope: nock.Scope, repo: string, checkId: number, runId: number): { inputs: Record<string, string> } {
  const started = { inputs: {} as Record<string, string> };
  scope.post(`${repo}/check-runs`).reply(201, checkRun(checkId))
    .post(`${repo}/actions/workflows/factory.yml/dispatches`, (body) => { started.inputs = body.inputs; return true; }).reply(200, dispatched(runId))
    .patch(`${repo}/check-runs/${checkId}`).reply(200, checkRun(checkId));
  return started;
}

describe('check buttons, re-runs and the feedback loop', () => {
  const current = useHarness();
  let harness: Harness;
  beforeEach(() => {
    harness = current();
  });

  it('re-requesting factory/satisfaction queues a new check and dispatches validate.yml', async () => {
    const payload = checkEvent('check_run.rerequested', { check_run: { name: 'factory/satisfaction', head_sha: HEAD, external_id: JSON.stringify({ pr: 9, round: 2, request: 'r' }) } });
    const repo = repoOf(payload);
    let inputs: Record<string, string> = {};
    mockToken(harness.github())
      .get(`${repo}/commits/${HEAD}/check-runs`).query({ check_name: 'factory/satisfaction', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .post(`${repo}/check-runs`, (body) => body.name === 'factory/satisfaction' && body.head_sha === HEAD).reply(201, checkRun(71, { name: 'factory/satisfaction' }))
      .post(`${repo}/actions/workflows/validate.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(801))
      .patch(`${repo}/check-runs/71`).reply(200, checkRun(71));
    await harness.receive('check_run', payload);
    expect(inputs).toMatchObject({ pr_number: '9', head_sha: HEAD, round: '2', check_run_id: '71' });
  });

  it('the rerun button on a spec commit\'s factory check dispatches factory.yml for that commit', async () => {
    const payload = checkEvent('check_run.requested_action', {
      check_run: { name: 'factory', head_sha: SPEC, external_id: JSON.stringify({ round: 1, request: `push:${SPEC}`, run: 5 }) },
      requested_action: { identifier: 'rerun' },
    });
    const repo = repoOf(payload);
    const started = startsFactoryRun(mockToken(harness.github())
      .get(`${repo}/commits/${SPEC}/check-runs`).query(true).reply(200, NO_CHECKS), repo, 72, 802);
    await harness.receive('check_run', payload);
    expect(started.inputs).toMatchObject({ spec_sha: SPEC, reason: 'rerun' });
  });

  it('the resume button dispatches a resume of the check\'s run', async () => {
    const payload = checkEvent('check_run.requested_action', {
      check_run: { name: 'factory', head_sha: HEAD, external_id: JSON.stringify({ pr: 9, round: 1, request: 'r', run: 4242 }) },
      requested_action: { identifier: 'resume' },
    });
    const repo = repoOf(payload);
    const started = startsFactoryRun(mockToken(harness.github())
      .get(`${repo}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `x\n\nFactory-Spec: ${SPEC}\n` } })
      .get(`${repo}/commits/${HEAD}/check-runs`).query(true).reply(200, NO_CHECKS), repo, 73, 803);
    await harness.receive('check_run', payload);
    expect(started.inputs).toMatchObject({ spec_sha: SPEC, reason: 'resume', resume_run_id: '4242', pr_number: '9' });
  });

  it('ignores buttons and checks that are not ours', async () => {
    await harness.receive('check_run', checkEvent('check_run.requested_action', { requested_action: { identifier: 'lgtm' } }));
    await harness.receive('check_run', checkEvent('check_run.rerequested', { check_run: { name: 'ci', external_id: '' } }));
  });

  /** An open PR 9, as the feedback decision reads it. */
  const OPEN_PULL = { number: 9, state: 'open', head: { ref: 'factory/6666666', sha: HEAD, repo: { full_name: 'Codertocat/Hello-World' } }, base: { repo: { full_name: 'Codertocat/Hello-World' } } };

  /** The reads of a feedback decision: config, this head's factory checks, its spec commit, the PR's commits and state. */
  function feedbackReads(repo: string, branch: string, config: string, commits: Array<{ sha: string; run: string }> = [{ sha: HEAD, run: 'https://github.com/o/r/actions/runs/1' }],
    pull: Record<string, unknown> = OPEN_PULL) {
    return mockToken(harness.github())
      .get(`${repo}/pulls/9`).reply(200, pull)
      .get(`${repo}/contents/.github%2Ffactory.yml`).query({ ref: branch }).reply(200, fileContent('.github/factory.yml', config))
      .get(`${repo}/commits/${HEAD}/check-runs`).query(true).reply(200, NO_CHECKS)
      .get(`${repo}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `x\n\nFactory-Spec: ${SPEC}\n` } })
      .get(`${repo}/pulls/9/commits`).query({ per_page: 100 })
      .reply(200, commits.map(({ sha, run }) => ({ sha, commit: { message: `factory: a stage (s)\n\nFactory-Run: ${run}\nFactory-Spec: ${SPEC}\n` } })));
  }

  function failedValidation(round: number, text?: string): PayloadOf<'check_run.completed'> {
    return checkEvent('check_run.completed', { check_run: {
      name: 'factory/satisfaction', conclusion: 'failure', head_sha: HEAD,
      external_id: JSON.stringify({ pr: 9, round, request: 'r' }),
      ...(text === undefined ? {} : { output: { text } }),
    } });
  }

  function spentCheck(id: number, sha: string, spent: { usd: number; minutes: number }, pr?: number) {
    return checkRun(id, { head_sha: sha, status: 'completed', conclusion: 'success',
      external_id: JSON.stringify({ ...(pr === undefined ? {} : { pr }), round: 1, request: `r${id}`, run: id, spent }) });
  }

  it('after a failed validation with rounds and budget left, dispatches the factory with the leak-safe feedback', async () => {
    const block = { version: 1 as const, round: 1, categories: { happy: 0.9, edge: 0.5 }, tags: {}, spec: ['spec/api.md'] };
    const payload = failedValidation(1, `Scenario details stay on the holdouts side.\n${embedFeedback(block)}`);
    const repo = repoOf(payload);
    let inputs: Record<string, string> = {};
    feedbackReads(repo, branchOf(payload), 'version: 1\n')
      .get(`${repo}/commits/${SPEC}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [spentCheck(70, SPEC, { usd: 12, minutes: 40 })] })
      .post(`${repo}/check-runs`).reply(201, checkRun(74))
      .post(`${repo}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(804))
      .patch(`${repo}/check-runs/74`).reply(200, checkRun(74));
    await harness.receive('check_run', payload);
    expect(inputs).toMatchObject({ reason: 'feedback', round: '2', pr_number: '9', spec_sha: SPEC });
    expect(JSON.parse(inputs.feedback ?? 'null')).toEqual(block);
    expect(inputs.feedback).not.toContain('holdouts side');
  });

  it('says so on the PR when the rounds are used up', async () => {
    const payload = failedValidation(2);
    const repo = repoOf(payload);
    feedbackReads(repo, branchOf(payload), 'version: 1\nfactory:\n  budget: { max_rounds: 2 }\n')
      .get(`${repo}/commits/${SPEC}/check-runs`).query(true).reply(200, NO_CHECKS)
      .post(`${repo}/issues/9/comments`, (body) => body.body.includes('round 2 of 2') && body.body.includes('`factory.budget.max_rounds`')).reply(201, { id: 1 });
    await harness.receive('check_run', payload);
  });

  it('stops when the runs of this PR and its spec commit have spent factory.budget.max_usd, counting earlier heads', async () => {
    const payload = failedValidation(2);
    const repo = repoOf(payload);
    const earlierHead = '6'.repeat(40);
    let said = '';
    // Round 1 ran from the spec commit and pushed up to `earlierHead`; round 2 ran from there and pushed up to HEAD.
    feedbackReads(repo, branchOf(payload), 'version: 1\n', [
      { sha: '5'.repeat(40), run: 'https://github.com/o/r/actions/runs/1' },
      { sha: earlierHead, run: 'https://github.com/o/r/actions/runs/1' },
      { sha: '4'.repeat(40), run: 'https://github.com/o/r/actions/runs/2' },
      { sha: HEAD, run: 'https://github.com/o/r/actions/runs/2' },
    ])
      .get(`${repo}/commits/${SPEC}/check-runs`).query(true).reply(200, { total_count: 2, check_runs: [
        spentCheck(81, SPEC, { usd: 30, minutes: 50 }),
        // A preview run of another PR on the same commit is not this lineage.
        spentCheck(82, SPEC, { usd: 400, minutes: 500 }, 12),
      ] })
      .get(`${repo}/commits/${earlierHead}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [spentCheck(83, earlierHead, { usd: 25.5, minutes: 60 }, 9)] })
      .post(`${repo}/issues/9/comments`, (body) => { said = body.body; return true; }).reply(201, { id: 1 });
    await harness.receive('check_run', payload);
    expect(said).toContain('`factory.budget.max_usd`');
    expect(said).toContain('$55.50 of the $50.00');
  });

  it('stops when the runs have taken factory.budget.max_minutes', async () => {
    const payload = failedValidation(1);
    const repo = repoOf(payload);
    let said = '';
    feedbackReads(repo, branchOf(payload), 'version: 1\nfactory:\n  budget: { max_minutes: 90 }\n')
      .get(`${repo}/commits/${SPEC}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [spentCheck(84, SPEC, { usd: 3, minutes: 95 })] })
      .post(`${repo}/issues/9/comments`, (body) => { said = body.body; return true; }).reply(201, { id: 1 });
    await harness.receive('check_run', payload);
    expect(said).toContain('`factory.budget.max_minutes`');
    expect(said).toContain('95 of the 90 minutes');
  });

  it('dispatches a feedback round once: another delivery finds the round\'s check', async () => {
    const payload = failedValidation(1);
    const repo = repoOf(payload);
    mockToken(harness.github())
      .get(`${repo}/contents/.github%2Ffactory.yml`).query({ ref: branchOf(payload) }).reply(200, fileContent('.github/factory.yml', 'version: 1\n'))
      .get(`${repo}/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [
        checkRun(85, { head_sha: HEAD, external_id: JSON.stringify({ pr: 9, round: 2, request: 'feedback:9:1' }) })] })
      .get(`${repo}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `x\n\nFactory-Spec: ${SPEC}\n` } })
      .get(`${repo}/pulls/9/commits`).query(true).reply(200, [])
      .get(`${repo}/pulls/9`).reply(200, OPEN_PULL);
    await harness.receive('check_run', payload);
  });

  it('starts no round for a PR that was closed while validation ran', async () => {
    const payload = failedValidation(1);
    const repo = repoOf(payload);
    feedbackReads(repo, branchOf(payload), 'version: 1\n', undefined, { ...OPEN_PULL, state: 'closed' });
    await harness.receive('check_run', payload);
  });

  function answerButton(identifier: string, externalId: Record<string, unknown>): PayloadOf<'check_run.requested_action'> {
    return checkEvent('check_run.requested_action', {
      check_run: { id: 555, name: 'factory', head_sha: HEAD, status: 'completed', conclusion: 'action_required', external_id: JSON.stringify(externalId) },
      requested_action: { identifier },
    });
  }

  it('a gate-answer button resumes the check\'s run with that answer', async () => {
    const payload = answerButton('answer:approve', { pr: 9, round: 2, request: 'r', run: 4343 });
    const repo = repoOf(payload);
    let inputs: Record<string, string> = {};
    let created: { external_id?: string } = {};
    mockToken(harness.github())
      .get(`${repo}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `x\n\nFactory-Spec: ${SPEC}\n` } })
      .get(`${repo}/commits/${HEAD}/check-runs`).query({ check_name: 'factory', filter: 'all', per_page: 100 }).reply(200, NO_CHECKS)
      .post(`${repo}/check-runs`, (body) => { created = body; return body.head_sha === HEAD; }).reply(201, checkRun(75))
      .post(`${repo}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(805))
      .patch(`${repo}/check-runs/75`).reply(200, checkRun(75));
    await harness.receive('check_run', payload, 'delivery-a');
    expect(inputs).toMatchObject({ reason: 'resume', resume_run_id: '4343', answer: 'approve', spec_sha: SPEC, pr_number: '9', round: '2',
      request_id: 'check:555:answer:approve:delivery-a' });
    expect(JSON.parse(created.external_id ?? '{}')).toMatchObject({ request: 'check:555:answer:approve:delivery-a' });
  });

  it('a gate-answer button on a spec commit\'s check resumes that commit\'s run', async () => {
    const payload = checkEvent('check_run.requested_action', {
      check_run: { id: 556, name: 'factory', head_sha: SPEC, status: 'completed', conclusion: 'action_required', external_id: JSON.stringify({ round: 1, request: `push:${SPEC}`, run: 4344 }) },
      requested_action: { identifier: 'answer:reject' },
    });
    const repo = repoOf(payload);
    const started = startsFactoryRun(mockToken(harness.github())
      .get(`${repo}/commits/${SPEC}/check-runs`).query(true).reply(200, NO_CHECKS), repo, 76, 806);
    await harness.receive('check_run', payload);
    expect(started.inputs).toMatchObject({ reason: 'resume', resume_run_id: '4344', answer: 'reject', spec_sha: SPEC });
    expect(started.inputs.pr_number).toBeUndefined();
  });

  it('a gate-answer button on an issue-started run\'s check resumes it with that issue, where the next question goes', async () => {
    const payload = checkEvent('check_run.requested_action', {
      check_run: { id: 557, name: 'factory', head_sha: SPEC, status: 'completed', conclusion: 'action_required', external_id: JSON.stringify({ round: 1, request: 'comment:5', run: 4345, issue: 12 }) },
      requested_action: { identifier: 'answer:approve' },
    });
    const repo = repoOf(payload);
    let inputs: Record<string, string> = {};
    mockToken(harness.github())
      .get(`${repo}/commits/${SPEC}/check-runs`).query(true).reply(200, NO_CHECKS)
      .post(`${repo}/check-runs`, (body) => JSON.parse(body.external_id).issue === 12).reply(201, checkRun(78))
      .post(`${repo}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(807))
      .patch(`${repo}/check-runs/78`).reply(200, checkRun(78));
    await harness.receive('check_run', payload);
    expect(inputs).toMatchObject({ reason: 'resume', resume_run_id: '4345', answer: 'approve', spec_sha: SPEC, issue_number: '12' });
  });

  it('a gate-answer button on a spec PR preview\'s check resumes with that PR head as the spec commit', async () => {
    const payload = answerButton('answer:approve', { pr: 9, round: 1, request: 'comment:6', run: 4346 });
    const repo = repoOf(payload);
    const started = startsFactoryRun(mockToken(harness.github())
      .get(`${repo}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: 'Tighten the spec\n' } })
      .get(`${repo}/commits/${HEAD}/check-runs`).query(true).reply(200, NO_CHECKS), repo, 79, 808);
    await harness.receive('check_run', payload);
    expect(started.inputs).toMatchObject({ reason: 'resume', resume_run_id: '4346', answer: 'approve', spec_sha: HEAD, pr_number: '9' });
  });

  it('acts on a gate-answer press once: a delivery another replica already acted on finds its check', async () => {
    const payload = answerButton('answer:approve', { pr: 9, round: 2, request: 'r', run: 4343 });
    const repo = repoOf(payload);
    mockToken(harness.github())
      .get(`${repo}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `x\n\nFactory-Spec: ${SPEC}\n` } })
      .get(`${repo}/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 1, check_runs: [
        checkRun(77, { head_sha: HEAD, external_id: JSON.stringify({ pr: 9, round: 2, request: 'check:555:answer:approve:delivery-b' }) })] });
    await harness.receive('check_run', payload, 'delivery-b');
    // The same delivery again on this replica is dropped before any call.
    await harness.receive('check_run', payload, 'delivery-b');
  });

  it('ignores a gate-answer button without a run to resume, on a check that is not `factory`, or with a key the dispatch would refuse', async () => {
    await harness.receive('check_run', answerButton('answer:approve', { pr: 9, round: 1, request: 'r' }));
    await harness.receive('check_run', checkEvent('check_run.requested_action', {
      check_run: { name: 'factory/satisfaction', head_sha: HEAD, external_id: JSON.stringify({ pr: 9, round: 1, request: 'r', run: 1 }) },
      requested_action: { identifier: 'answer:approve' },
    }));
    await harness.receive('check_run', answerButton('answer:a b', { pr: 9, round: 1, request: 'r', run: 1 }));
    // A run no longer waiting (answered, resumed, finished): its old buttons do nothing.
    await harness.receive('check_run', checkEvent('check_run.requested_action', {
      check_run: { name: 'factory', head_sha: HEAD, status: 'completed', conclusion: 'success', external_id: JSON.stringify({ pr: 9, round: 1, request: 'r', run: 1 }) },
      requested_action: { identifier: 'answer:approve' },
    }));
    await harness.receive('check_run', answerButton('answer:', { pr: 9, round: 1, request: 'r', run: 1 }));
  });

  it('does not read its own failure conclusions (a run that died) as a validation verdict', async () => {
    await harness.receive('check_run', checkEvent('check_run.completed', { check_run: {
      name: 'factory/satisfaction', conclusion: 'failure', external_id: JSON.stringify({ pr: 9, round: 1, request: 'r' }),
      output: { summary: `Closed because the workflow run ended.\n\n${APP_CONCLUSION_MARK}` } } }));
  });

  it('does nothing for a satisfied check', async () => {
    await harness.receive('check_run', checkEvent('check_run.completed', { check_run: {
      name: 'factory/satisfaction', conclusion: 'success', external_id: JSON.stringify({ pr: 9, round: 1, request: 'r' }) } }));
  });
});
