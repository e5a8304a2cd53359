import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { Clock } from '../../../core/engine/clock.ts';
import type { Question, QuestionType } from '../../../core/engine/interviewer.ts';
import { ConsoleInterviewer } from '../../../core/engine/interviewers/console.ts';

function question(type: QuestionType, extra: Partial<Question> = {}): Question {
  const options = type === 'multiple_choice' ? [{ key: 'A', label: '[A] Approve' }, { key: 'R', label: 'Request changes' }] : [];
  return { text: 'Ship it?', type, options, stage: 'gate', metadata: {}, ...extra };
}

/** A terminal: lines typed into `input`, everything printed collected from `output`. */
function terminal(clock?: Clock) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const interviewer = new ConsoleInterviewer({ input, output, clock });
  return { input, interviewer, printed: () => printed };
}

const immediateClock = (): Clock & { sleeps: number[] } => {
  const sleeps: number[] = [];
  return { sleeps, now: () => 0, sleep: async (ms) => void sleeps.push(ms) };
};

describe('ConsoleInterviewer (§6.4, §11.8)', () => {
  it('prints a multiple-choice question with its option keys and accepts a key in any case', async () => {
    const { input, interviewer, printed } = terminal();
    const answer = interviewer.ask(question('multiple_choice'));
    input.write('r\n');
    expect(await answer).toEqual({ value: 'R', selected_option: { key: 'R', label: 'Request changes' } });
    expect(printed()).toBe('[?] Ship it?\n  [A] Approve\n  [R] Request changes\nSelect: ');
    interviewer.close();
  });

  it('accepts a label, and asks again after an answer that matches no option', async () => {
    const { input, interviewer, printed } = terminal();
    const answer = interviewer.ask(question('multiple_choice'));
    input.write('maybe\napprove\n');
    expect(await answer).toEqual({ value: 'A', selected_option: { key: 'A', label: '[A] Approve' } });
    expect(printed()).toContain('Please answer with one of: A, R\nSelect: ');
    interviewer.close();
  });

  it.each<[QuestionType, string, string]>([
    ['yes_no', 'y', 'YES'],
    ['yes_no', 'No', 'NO'],
    ['confirmation', 'yes', 'YES'],
  ])('reads a %s answer (%s)', async (type, typed, expected) => {
    const { input, interviewer, printed } = terminal();
    const answer = interviewer.ask(question(type));
    input.write(`${typed}\n`);
    expect((await answer).value).toBe(expected);
    expect(printed()).toBe('[?] Ship it?\n[Y/N]: ');
    interviewer.close();
  });

  it('asks again until a yes/no question gets y or n', async () => {
    const { input, interviewer, printed } = terminal();
    const answer = interviewer.ask(question('yes_no'));
    input.write('perhaps\nn\n');
    expect(await answer).toEqual({ value: 'NO' });
    expect(printed()).toContain('Please answer y or n.');
    interviewer.close();
  });

  it('returns free text for a freeform question', async () => {
    const { input, interviewer, printed } = terminal();
    const answer = interviewer.ask(question('freeform'));
    input.write('use the v2 endpoint\n');
    expect(await answer).toEqual({ value: 'use the v2 endpoint', text: 'use the v2 endpoint' });
    expect(printed()).toBe('[?] Ship it?\n> ');
    interviewer.close();
  });

  it('answers SKIPPED when the input ends', async () => {
    const { input, interviewer } = terminal();
    const answer = interviewer.ask(question('multiple_choice'));
    input.end();
    expect(await answer).toEqual({ value: 'SKIPPED' });
    expect(await interviewer.ask(question('yes_no'))).toEqual({ value: 'SKIPPED' });
  });

  it('keeps lines typed ahead for the next questions (askMultiple)', async () => {
    const { input, interviewer } = terminal();
    input.write('A\ny\nall good\n');
    const answers = await interviewer.askMultiple([question('multiple_choice'), question('yes_no'), question('freeform')]);
    expect(answers.map((a) => a.value)).toEqual(['A', 'YES', 'all good']);
    interviewer.close();
  });

  it('answers TIMEOUT when timeout_seconds pass without an answer, and leaves later input for the next question', async () => {
    const clock = immediateClock();
    const { input, interviewer, printed } = terminal(clock);
    expect(await interviewer.ask(question('yes_no', { timeout_seconds: 2.5 }))).toEqual({ value: 'TIMEOUT' });
    expect(clock.sleeps).toEqual([2500]);
    expect(printed()).toContain('(no answer in time)');
    const next = interviewer.ask(question('freeform'));
    input.write('late\n');
    expect(await next).toEqual({ value: 'late', text: 'late' });
    interviewer.close();
  });

  it('answers the question’s default on timeout, and on an empty line', async () => {
    const fallback = { value: 'R', selected_option: { key: 'R', label: 'Request changes' } };
    const { input, interviewer, printed } = terminal(immediateClock());
    expect(await interviewer.ask(question('multiple_choice', { timeout_seconds: 1, default: fallback }))).toEqual(fallback);
    expect(printed()).toContain('(default: Request changes)');
    const viaEnter = interviewer.ask(question('multiple_choice', { default: fallback }));
    input.write('\n');
    expect(await viaEnter).toEqual(fallback);
    interviewer.close();
  });

  it('waits for the answer when the question has no timeout', async () => {
    const clock = immediateClock();
    const { input, interviewer } = terminal(clock);
    const answer = interviewer.ask(question('yes_no'));
    await new Promise((resolve) => setImmediate(resolve));
    input.write('y\n');
    expect(await answer).toEqual({ value: 'YES' });
    expect(clock.sleeps).toEqual([]);
    interviewer.close();
  });

  it('prints informational messages with their stage', () => {
    const { interviewer, printed } = terminal();
    interviewer.inform('deploying to staging', 'ship');
    expect(printed()).toBe('[i] ship: deploying to staging\n');
  });
});
