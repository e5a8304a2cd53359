// Answers every question affirmatively, for runs with nobody to ask (Attractor §6.4).
import { AnswerValue, type Answer, type Interviewer, type Question } from '../interviewer.ts';
import { askInOrder } from './ask-in-order.ts';

export const AUTO_APPROVED = 'auto-approved';

export class AutoApproveInterviewer implements Interviewer {
  async ask(question: Question): Promise<Answer> {
    if (question.type === 'yes_no' || question.type === 'confirmation') return { value: AnswerValue.YES };
    const first = question.options[0];
    if (question.type === 'multiple_choice' && first) return { value: first.key, selected_option: first };
    return { value: AUTO_APPROVED, text: AUTO_APPROVED };
  }

  askMultiple(questions: Question[]): Promise<Answer[]> {
    return askInOrder((q) => this.ask(q), questions);
  }
}
