import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import type { Attrs } from '../../../core/engine/graph.ts';
import { WaitForHumanHandler } from '../../../core/engine/handlers/wait-human.ts';
import type { Answer, Question } from '../../../core/engine/interviewer.ts';
import { CallbackInterviewer } from '../../../core/engine/interviewers/callback.ts';
import { QueueInterviewer } from '../../../core/engine/interviewers/queue.ts';
import { buildGraph } from '../../support/graph-builder.ts';
import { fakeClock, stageInput, tempDir } from './stage-input.ts';

const root = tempDir('wait-human-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function gateGraph(gate: Attrs = { shape: 'hexagon', label: 'Ship it?' }) {
  return buildGraph({
    nodes: { gate, ship: {}, fix: {}, later: {} },
    edges: [
      ['gate', 'ship', { label: '[A] Approve' }],
      ['gate', 'fix', { label: 'R) Request changes' }],
      ['gate', 'later'],
    ],
  });
}

function answering(answer: Answer | ((q: Question) => Answer)) {
  const questions: Question[] = [];
  const interviewer = new CallbackInterviewer((question) => {
    questions.push(question);
    return typeof answer === 'function' ? answer(question) : answer;
  });
  return { interviewer, questions };
}

describe('wait.human handler (§4.6, §11.6)', () => {
  it('offers the outgoing edges as choices and routes to the selected one', async () => {
    const { interviewer, questions } = answering({ value: 'r' });
    const { input } = stageInput(gateGraph(), 'gate', { root, services: { interviewer } });
    const outcome = await new WaitForHumanHandler().execute(input);

    expect(questions).toEqual([
      {
        text: 'Ship it?',
        type: 'multiple_choice',
        options: [
          { key: 'A', label: '[A] Approve' },
          { key: 'R', label: 'R) Request changes' },
          { key: 'L', label: 'later' },
        ],
        stage: 'gate',
        metadata: {
          node_id: 'gate',
          choices: [
            { key: 'A', label: '[A] Approve', to: 'ship' },
            { key: 'R', label: 'R) Request changes', to: 'fix' },
            { key: 'L', label: 'later', to: 'later' },
          ],
        },
      },
    ]);
    expect(outcome).toEqual({
      status: 'success',
      preferred_label: 'R) Request changes',
      suggested_next_ids: ['fix'],
      context_updates: { 'human.gate.selected': 'R', 'human.gate.label': 'R) Request changes' },
      notes: 'Human selected: R) Request changes',
    });
  });

  it.each([
    ['a label without its accelerator, any case', { value: 'request CHANGES' }, 'fix'],
    ['the selected option', { value: 'L', selected_option: { key: 'L', label: 'later' } }, 'later'],
    ['an answer matching nothing (first choice)', { value: 'maybe' }, 'ship'],
  ])('matches %s', async (_case, answer, expected) => {
    const { interviewer } = answering(answer);
    const { input } = stageInput(gateGraph(), 'gate', { root, services: { interviewer } });
    const outcome = await new WaitForHumanHandler().execute(input);
    expect(outcome).toMatchObject({ status: 'success', suggested_next_ids: [expected] });
  });

  it('asks "Select an option:" when the node has no label, and passes its timeout to the question', async () => {
    const { interviewer, questions } = answering({ value: 'A' });
    const { input } = stageInput(gateGraph({ shape: 'hexagon', timeout: 90 }), 'gate', { root, services: { interviewer } });
    await new WaitForHumanHandler().execute(input);
    expect(questions[0]).toMatchObject({ text: 'Select an option:', timeout_seconds: 90 });
  });

  it('fails when the gate has no outgoing edges', async () => {
    const graph = buildGraph({ nodes: { gate: { shape: 'hexagon' } } });
    const { input } = stageInput(graph, 'gate', { root });
    expect(await new WaitForHumanHandler().execute(input)).toEqual({ status: 'fail', failure_reason: 'No outgoing edges for human gate' });
  });

  it('emits interview_started and interview_completed with the duration measured on the injected clock', async () => {
    const clock = fakeClock();
    const interviewer = new CallbackInterviewer(() => {
      clock.advance(4200);
      return { value: 'A' };
    });
    const { input, events } = stageInput(gateGraph(), 'gate', { root, services: { interviewer, clock } });
    await new WaitForHumanHandler().execute(input);
    expect(events).toEqual([
      { type: 'interview_started', question: 'Ship it?', stage: 'gate' },
      { type: 'interview_completed', question: 'Ship it?', answer: 'A', duration_ms: 4200 },
    ]);
  });

  it.each([
    ['its target id', 'fix', 'fix'],
    ['its accelerator key, any case', 'a', 'ship'],
    ['its label', 'Request changes', 'fix'],
  ])('on TIMEOUT follows human.default_choice given as %s', async (_case, defaultChoice, expected) => {
    const graph = gateGraph({ shape: 'hexagon', label: 'Ship it?', 'human.default_choice': defaultChoice });
    const { input, events } = stageInput(graph, 'gate', { root, services: { interviewer: new QueueInterviewer([{ value: 'TIMEOUT' }]) } });
    const outcome = await new WaitForHumanHandler().execute(input);
    expect(outcome).toMatchObject({ status: 'success', suggested_next_ids: [expected] });
    expect(events.map((e) => e.type)).toEqual(['interview_started', 'interview_timeout']);
    expect(events[1]).toMatchObject({ question: 'Ship it?', stage: 'gate', duration_ms: 0 });
  });

  it('asks for a retry on TIMEOUT without a default choice', async () => {
    const { input } = stageInput(gateGraph(), 'gate', { root, services: { interviewer: new QueueInterviewer([{ value: 'TIMEOUT' }]) } });
    expect(await new WaitForHumanHandler().execute(input)).toEqual({ status: 'retry', failure_reason: 'human gate timeout, no default' });
  });

  it('asks for a retry on TIMEOUT when the default choice names no edge', async () => {
    const graph = gateGraph({ shape: 'hexagon', 'human.default_choice': 'nowhere' });
    const { input } = stageInput(graph, 'gate', { root, services: { interviewer: new QueueInterviewer([{ value: 'TIMEOUT' }]) } });
    const outcome = await new WaitForHumanHandler().execute(input);
    expect(outcome).toMatchObject({ status: 'retry', failure_reason: expect.stringContaining('"nowhere" matches no choice') });
  });

  it('fails when the human skipped the question', async () => {
    const { input } = stageInput(gateGraph(), 'gate', { root, services: { interviewer: new QueueInterviewer([]) } });
    expect(await new WaitForHumanHandler().execute(input)).toEqual({ status: 'fail', failure_reason: 'human skipped interaction' });
  });

  it('engine.md decision 9: a PENDING answer yields a waiting result', async () => {
    const { interviewer, questions } = answering({ value: 'PENDING' });
    const { input, events } = stageInput(gateGraph(), 'gate', { root, services: { interviewer } });
    const result = await new WaitForHumanHandler().execute(input);
    expect(result).toEqual({ status: 'waiting', question: questions[0], notes: 'Waiting for a human answer at gate' });
    expect(events.map((e) => e.type)).toEqual(['interview_started']);
  });
});
