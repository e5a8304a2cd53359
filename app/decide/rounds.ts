// Validation rounds and the feedback loop.
import type { CheckRunInfo } from '../github/checks.ts';

/** The spec commit a factory commit was made for (contracts.md §9 `Factory-Spec:` trailer). */
export function specShaFromMessage(message: string): string | null {
  const match = /^Factory-Spec:\s*([0-9a-f]{40})\s*$/m.exec(message);
  return match?.[1] ?? null;
}

/** The round of a new satisfaction check on a PR head, from the check on the previous head. */
export function nextRound(previous: CheckRunInfo | undefined): number {
  const round = previous?.externalId?.round;
  if (round === undefined) return 1;
  return previous?.conclusion === 'failure' ? round + 1 : round;
}

export type FeedbackDecision =
  | { kind: 'dispatch'; round: number }
  | { kind: 'exhausted'; rounds: number };

/** After a failed validation in `round`: another factory round, or the rounds are used up. */
export function decideFeedback(round: number, maxRounds: number): FeedbackDecision {
  return round < maxRounds ? { kind: 'dispatch', round: round + 1 } : { kind: 'exhausted', rounds: maxRounds };
}

/** The newest check (highest id) among those given, if any. */
export function newest(checks: readonly CheckRunInfo[]): CheckRunInfo | undefined {
  return [...checks].sort((a, b) => b.id - a.id)[0];
}
