// askMultiple for every interviewer: one question after another, in order.
import type { Answer, Question } from '../interviewer.ts';

export async function askInOrder(ask: (question: Question) => Promise<Answer>, questions: readonly Question[]): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const question of questions) answers.push(await ask(question));
  return answers;
}
