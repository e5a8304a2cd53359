// Pre-recorded answers, consumed in order (Attractor §6.4); an empty queue answers SKIPPED.
import { AnswerValue, type Answer, type Interviewer, type Question } from '../interviewer.ts';
import { answerFromChoice } from './answer-from-choice.ts';
import { askInOrder } from './ask-in-order.ts';

export class QueueInterviewer implements Interviewer {
  readonly #answers: Array<Answer | string>;

  /** Strings are keys or labels (as in an answers file), resolved against the question when asked. */
  constructor(answers: ReadonlyArray<Answer | string> = []) {
    this.#answers = [...answers];
  }

  async ask(question: Question): Promise<Answer> {
    const next = this.#answers.shift();
    if (next === undefined) return { value: AnswerValue.SKIPPED };
    return typeof next === 'string' ? answerFromChoice(question, next) : next;
  }

  askMultiple(questions: Question[]): Promise<Answer[]> {
    return askInOrder((q) => this.ask(q), questions);
  }

  get remaining(): number {
    return this.#answers.length;
  }
}
