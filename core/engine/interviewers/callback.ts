// Hands each question to a function, for hosts that answer elsewhere (a web UI, a chat bot).
import type { Answer, Interviewer, Question } from '../interviewer.ts';
import { askInOrder } from './ask-in-order.ts';

export type InterviewCallback = (question: Question) => Answer | Promise<Answer>;
export type InformCallback = (message: string, stage: string) => void;

export class CallbackInterviewer implements Interviewer {
  readonly #callback: InterviewCallback;
  readonly #onInform: InformCallback | undefined;

  constructor(callback: InterviewCallback, onInform?: InformCallback) {
    this.#callback = callback;
    this.#onInform = onInform;
  }

  async ask(question: Question): Promise<Answer> {
    return this.#callback(question);
  }

  askMultiple(questions: Question[]): Promise<Answer[]> {
    return askInOrder((q) => this.ask(q), questions);
  }

  inform(message: string, stage: string): void {
    this.#onInform?.(message, stage);
  }
}
