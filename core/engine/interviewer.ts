// The human-in-the-loop protocol (Attractor §6): questions, answers, and the Interviewer interface.

export type QuestionType = 'yes_no' | 'multiple_choice' | 'freeform' | 'confirmation';

export interface QuestionOption {
  key: string;
  label: string;
}

export interface Question {
  text: string;
  type: QuestionType;
  options: QuestionOption[];
  default?: Answer;
  timeout_seconds?: number;
  /** Originating stage (node id). */
  stage: string;
  metadata: Record<string, unknown>;
}

/**
 * Special answer values (§6.3) plus PENDING: "no answer yet" (engine.md §9). An interviewer that
 * cannot block (a runner in CI, a chat bot) answers PENDING and the run parks at the gate.
 */
export const AnswerValue = {
  YES: 'YES',
  NO: 'NO',
  SKIPPED: 'SKIPPED',
  TIMEOUT: 'TIMEOUT',
  PENDING: 'PENDING',
} as const;
export type SpecialAnswerValue = (typeof AnswerValue)[keyof typeof AnswerValue];

export interface Answer {
  /** An option key, one of AnswerValue, or free text. */
  value: string;
  selected_option?: QuestionOption;
  text?: string;
}

export interface Interviewer {
  ask(question: Question): Promise<Answer>;
  askMultiple?(questions: Question[]): Promise<Answer[]>;
  inform?(message: string, stage: string): void;
}
