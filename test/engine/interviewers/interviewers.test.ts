import { describe, expect, it } from '@jest/globals';
import type { Answer, Question, QuestionType } from '../../../core/engine/interviewer.ts';
import { answerFromChoice } from '../../../core/engine/interviewers/answer-from-choice.ts';
import { AutoApproveInterviewer } from '../../../core/engine/interviewers/auto-approve.ts';
import { CallbackInterviewer } from '../../../core/engine/interviewers/callback.ts';
import { QueueInterviewer } from '../../../core/engine/interviewers/queue.ts';
import { RecordingInterviewer } from '../../../core/engine/interviewers/recording.ts';

function question(type: QuestionType, extra: Partial<Question> = {}): Question {
  const options = type === 'multiple_choice' ? [{ key: 'A', label: '[A] Approve' }, { key: 'R', label: 'Request changes' }] : [];
  return { text: `a ${type} question`, type, options, stage: 'gate', metadata: {}, ...extra };
}

describe('answerFromChoice', () => {
  it.each<[QuestionType, string, Answer]>([
    ['multiple_choice', 'a', { value: 'A', selected_option: { key: 'A', label: '[A] Approve' } }],
    ['multiple_choice', ' request changes ', { value: 'R', selected_option: { key: 'R', label: 'Request changes' } }],
    ['multiple_choice', 'Approve', { value: 'A', selected_option: { key: 'A', label: '[A] Approve' } }],
    ['multiple_choice', 'later', { value: 'later', text: 'later' }],
    ['yes_no', 'Y', { value: 'YES' }],
    ['yes_no', 'no', { value: 'NO' }],
    ['confirmation', 'yes', { value: 'YES' }],
    ['freeform', ' use the v2 API ', { value: 'use the v2 API', text: 'use the v2 API' }],
    ['freeform', 'SKIPPED', { value: 'SKIPPED' }],
    ['multiple_choice', 'TIMEOUT', { value: 'TIMEOUT' }],
  ])('%s question, typed %j', (type, text, expected) => {
    expect(answerFromChoice(question(type), text)).toEqual(expected);
  });
});

describe('AutoApproveInterviewer (§6.4, §11.8)', () => {
  const auto = new AutoApproveInterviewer();
  it('answers YES to yes/no and confirmation questions', async () => {
    expect(await auto.ask(question('yes_no'))).toEqual({ value: 'YES' });
    expect(await auto.ask(question('confirmation'))).toEqual({ value: 'YES' });
  });

  it('selects the first option of a multiple-choice question', async () => {
    expect(await auto.ask(question('multiple_choice'))).toEqual({ value: 'A', selected_option: { key: 'A', label: '[A] Approve' } });
  });

  it('answers other questions with "auto-approved"', async () => {
    expect(await auto.ask(question('freeform'))).toEqual({ value: 'auto-approved', text: 'auto-approved' });
    expect(await auto.ask(question('multiple_choice', { options: [] }))).toEqual({ value: 'auto-approved', text: 'auto-approved' });
  });

  it('answers several questions in order', async () => {
    expect(await auto.askMultiple([question('yes_no'), question('freeform')])).toEqual([{ value: 'YES' }, { value: 'auto-approved', text: 'auto-approved' }]);
  });
});

describe('CallbackInterviewer (§11.8)', () => {
  it('delegates each question to the callback, sync or async, and forwards inform', async () => {
    const asked: Question[] = [];
    const informed: string[] = [];
    const interviewer = new CallbackInterviewer(
      async (q) => {
        asked.push(q);
        return { value: q.type === 'yes_no' ? 'NO' : 'hello', text: 'hello' };
      },
      (message, stage) => informed.push(`${stage}: ${message}`),
    );
    const yesNo = question('yes_no');
    expect(await interviewer.ask(yesNo)).toEqual({ value: 'NO', text: 'hello' });
    expect(asked).toEqual([yesNo]);
    expect(await interviewer.askMultiple([question('freeform'), question('yes_no')])).toEqual([
      { value: 'hello', text: 'hello' },
      { value: 'NO', text: 'hello' },
    ]);
    interviewer.inform('deploying', 'ship');
    expect(informed).toEqual(['ship: deploying']);

    expect(await new CallbackInterviewer(() => ({ value: 'YES' })).ask(yesNo)).toEqual({ value: 'YES' });
  });
});

describe('QueueInterviewer (§11.8)', () => {
  it('hands out the queued answers in order, then SKIPPED', async () => {
    const queue = new QueueInterviewer([{ value: 'YES' }, { value: 'notes', text: 'notes' }]);
    expect(queue.remaining).toBe(2);
    expect(await queue.ask(question('yes_no'))).toEqual({ value: 'YES' });
    expect(await queue.ask(question('freeform'))).toEqual({ value: 'notes', text: 'notes' });
    expect(queue.remaining).toBe(0);
    expect(await queue.ask(question('confirmation'))).toEqual({ value: 'SKIPPED' });
  });

  it('resolves keys and labels (as in an answers file) against the question asked', async () => {
    const queue = new QueueInterviewer(['r', 'Approve', 'y']);
    const answers = await queue.askMultiple([question('multiple_choice'), question('multiple_choice'), question('yes_no'), question('yes_no')]);
    expect(answers.map((a) => a.value)).toEqual(['R', 'A', 'YES', 'SKIPPED']);
  });

  it('does not share its queue with the array it was given', async () => {
    const answers: Answer[] = [{ value: 'YES' }];
    const queue = new QueueInterviewer(answers);
    await queue.ask(question('yes_no'));
    expect(answers).toHaveLength(1);
  });
});

describe('RecordingInterviewer', () => {
  it('records every question with its answer and passes inform through', async () => {
    const informed: string[] = [];
    const inner = new CallbackInterviewer(
      (q) => ({ value: q.type === 'yes_no' ? 'YES' : 'A' }),
      (message) => informed.push(message),
    );
    const recorder = new RecordingInterviewer(inner);
    const first = question('yes_no');
    const second = question('multiple_choice');
    expect(await recorder.ask(first)).toEqual({ value: 'YES' });
    expect(await recorder.askMultiple([second])).toEqual([{ value: 'A' }]);
    recorder.inform('hello', 'gate');
    expect(recorder.recordings).toEqual([
      { question: first, answer: { value: 'YES' } },
      { question: second, answer: { value: 'A' } },
    ]);
    expect(informed).toEqual(['hello']);
  });
});
