// Wraps another interviewer and keeps every question with its answer, for audit and replay.
import type { Answer, Interviewer, Question } from '../interviewer.ts';
import { askInOrder } from './ask-in-order.ts';

export interface RecordedInterview {
  question: Question;
  answer: Answer;
}

export class RecordingInterviewer implements Interviewer {
  readonly #inner: Interviewer;
  readonly #recordings: RecordedInterview[] = [];

  constructor(inner: Interviewer) {
    this.#inner = inner;
  }

  async ask(question: Question): Promise<Answer> {
    const answer = await this.#inner.ask(question);
    this.#recordings.push({ question, answer });
    return answer;
  }

  askMultiple(questions: Question[]): Promise<Answer[]> {
    return askInOrder((q) => this.ask(q), questions);
  }

  inform(message: string, stage: string): void {
    this.#inner.inform?.(message, stage);
  }

  get recordings(): readonly RecordedInterview[] {
    return [...this.#recordings];
  }
}
