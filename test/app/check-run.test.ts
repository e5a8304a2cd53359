import { beforeEach, describe, expect, it } from '@jest/globals';
import { checkRun, dispatched, fileContent, mockToken, NO_CHECKS, repoPath, useHarness, type Harness } from './harness.ts';
import { example, override, type PayloadOf } from '../support/github-payloads.ts';
import { embedFeedback } from '../../domain/feedback.ts';
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
    let inputs: Record<string, string> = {};
    mockToken(harness.github())
      .post(`${repo}/check-runs`).reply(201, checkRun(72))
      .post(`${repo}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(802))
      .patch(`${repo}/check-runs/72`).reply(200, checkRun(72));
    await harness.receive('check_run', payload);
    expect(inputs).toMatchObject({ spec_sha: SPEC, reason: 'rerun' });
  });

  it('the resume button dispatches a resume of the check\'s run', async () => {
    const payload = checkEvent('check_run.requested_action', {
      check_run: { name: 'factory', head_sha: HEAD, external_id: JSON.stringify({ pr: 9, round: 1, request: 'r', run: 4242 }) },
      requested_action: { identifier: 'resume' },
    });
    const repo = repoOf(payload);
    let inputs: Record<string, string> = {};
    mockToken(harness.github())
      .get(`${repo}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `x\n\nFactory-Spec: ${SPEC}\n` } })
      .post(`${repo}/check-runs`).reply(201, checkRun(73))
      .post(`${repo}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(803))
      .patch(`${repo}/check-runs/73`).reply(200, checkRun(73));
    await harness.receive('check_run', payload);
    expect(inputs).toMatchObject({ spec_sha: SPEC, reason: 'resume', resume_run_id: '4242', pr_number: '9' });
  });

  it('ignores buttons and checks that are not ours', async () => {
    await harness.receive('check_run', checkEvent('check_run.requested_action', { requested_action: { identifier: 'lgtm' } }));
    await harness.receive('check_run', checkEvent('check_run.rerequested', { check_run: { name: 'ci', external_id: '' } }));
  });

  it('after a failed validation with rounds left, dispatches the factory with the leak-safe feedback', async () => {
    const block = { version: 1 as const, round: 1, categories: { happy: 0.9, edge: 0.5 }, tags: {}, spec: ['spec/api.md'] };
    const payload = checkEvent('check_run.completed', { check_run: {
      name: 'factory/satisfaction', conclusion: 'failure', head_sha: HEAD,
      external_id: JSON.stringify({ pr: 9, round: 1, request: 'r' }),
      output: { text: `Scenario details stay on the holdouts side.\n${embedFeedback(block)}` },
    } });
    const repo = repoOf(payload);
    const branch = (payload.repository as { default_branch: string }).default_branch;
    let inputs: Record<string, string> = {};
    mockToken(harness.github())
      .get(`${repo}/contents/.github%2Ffactory.yml`).query({ ref: branch }).reply(200, fileContent('.github/factory.yml', 'version: 1\n'))
      .get(`${repo}/commits/${HEAD}/check-runs`).query(true).reply(200, NO_CHECKS)
      .get(`${repo}/commits/${HEAD}`).reply(200, { sha: HEAD, commit: { message: `x\n\nFactory-Spec: ${SPEC}\n` } })
      .post(`${repo}/check-runs`).reply(201, checkRun(74))
      .post(`${repo}/actions/workflows/factory.yml/dispatches`, (body) => { inputs = body.inputs; return true; }).reply(200, dispatched(804))
      .patch(`${repo}/check-runs/74`).reply(200, checkRun(74));
    await harness.receive('check_run', payload);
    expect(inputs).toMatchObject({ reason: 'feedback', round: '2', pr_number: '9', spec_sha: SPEC });
    expect(JSON.parse(inputs.feedback ?? 'null')).toEqual(block);
    expect(inputs.feedback).not.toContain('holdouts side');
  });

  it('says so on the PR when the rounds are used up', async () => {
    const payload = checkEvent('check_run.completed', { check_run: {
      name: 'factory/satisfaction', conclusion: 'failure', head_sha: HEAD, external_id: JSON.stringify({ pr: 9, round: 2, request: 'r' }) } });
    const repo = repoOf(payload);
    const branch = (payload.repository as { default_branch: string }).default_branch;
    mockToken(harness.github())
      .get(`${repo}/contents/.github%2Ffactory.yml`).query({ ref: branch }).reply(200, fileContent('.github/factory.yml', 'version: 1\nfactory:\n  budget: { max_rounds: 2 }\n'))
      .get(`${repo}/commits/${HEAD}/check-runs`).query(true).reply(200, NO_CHECKS)
      .post(`${repo}/issues/9/comments`, (body) => body.body.includes('round 2 of 2')).reply(201, { id: 1 });
    await harness.receive('check_run', payload);
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
