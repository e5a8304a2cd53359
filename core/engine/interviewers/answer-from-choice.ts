// Turns what a person typed (an option key, a label, yes/no) into an Answer for a question.
import { AnswerValue, type Answer, type Question, type QuestionOption } from '../interviewer.ts';
import { normalizeLabel } from '../labels.ts';

const YES_WORDS = new Set(['y', 'yes']);
const NO_WORDS = new Set(['n', 'no']);
// Written exactly so, they are the protocol's special answers rather than free text.
const SPECIAL_VALUES = new Set<string>([AnswerValue.SKIPPED, AnswerValue.TIMEOUT, AnswerValue.PENDING]);

export function answerFromChoice(question: Question, text: string): Answer {
  const trimmed = text.trim();
  if (question.type === 'multiple_choice') {
    const option = matchOption(question.options, trimmed);
    if (option) return { value: option.key, selected_option: option };
  }
  if (question.type === 'yes_no' || question.type === 'confirmation') {
    const word = trimmed.toLowerCase();
    if (YES_WORDS.has(word)) return { value: AnswerValue.YES };
    if (NO_WORDS.has(word)) return { value: AnswerValue.NO };
  }
  if (SPECIAL_VALUES.has(trimmed)) return { value: trimmed };
  return { value: trimmed, text: trimmed };
}

/** A full label first (two labels may share a key), then a key in any case. */
export function matchOption(options: readonly QuestionOption[], text: string): QuestionOption | undefined {
  const label = normalizeLabel(text);
  const key = text.trim().toUpperCase();
  return options.find((o) => normalizeLabel(o.label) === label) ?? options.find((o) => o.key.toUpperCase() === key);
}
