// A parked human gate's choices as buttons on the `factory` check (contracts.md §5): one per option,
// `answer:<key>`, when they fit GitHub's limits; the App turns a click into a resume with that answer.
// Pure.
import { answerActionId } from '../core/domain/checks.ts';

export interface CheckButton {
  label: string;
  description: string;
  identifier: string;
}

/** GitHub's limits on a check run's `actions`. */
const MAX_BUTTONS = 3;
const MAX_LABEL = 20;
const MAX_DESCRIPTION = 40;

interface GateOption {
  key: string;
  label: string;
}

/** Cuts at a word boundary where one is near, ending with an ellipsis; never longer than `max`. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The accelerator prefix ("[Y] Yes" → "Yes") says nothing a button needs: the key is its id. */
function plainLabel(option: GateOption): string {
  const plain = option.label.replace(/^\s*(\[[^\]]+\]|\w\))\s*/, '').trim();
  return plain || option.key;
}

/**
 * One button per option, or none: with more than three options, or a key too long for an
 * identifier, a partial set would hide choices, and the comment's `/factory answer <key>` still works.
 */
export function gateAnswerButtons(question: unknown): CheckButton[] {
  const options = ((question ?? {}) as { options?: GateOption[] }).options ?? [];
  if (options.length === 0 || options.length > MAX_BUTTONS) return [];
  const buttons: CheckButton[] = [];
  for (const option of options) {
    const identifier = answerActionId(option.key);
    if (identifier === null) return [];
    buttons.push({
      label: shorten(plainLabel(option), MAX_LABEL),
      description: shorten(`Answer ${option.key} and resume the run`, MAX_DESCRIPTION),
      identifier,
    });
  }
  return buttons;
}
