// Validation rounds and the feedback loop.
import type { FactoryConfig } from '../../core/domain/config.ts';
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

export interface Spend {
  usd: number;
  minutes: number;
}

export type BudgetKey = 'factory.budget.max_rounds' | 'factory.budget.max_usd' | 'factory.budget.max_minutes';

export type FeedbackDecision =
  | { kind: 'dispatch'; round: number }
  | { kind: 'stop'; key: BudgetKey; message: string };

function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/**
 * After a failed validation in `round`, with `spent` used by the lineage's factory runs so far:
 * another factory round, or a stop naming the budget key that ran out and its figures.
 */
export function decideFeedback(round: number, budget: FactoryConfig['factory']['budget'], spent: Spend): FeedbackDecision {
  const failed = `Validation failed in round ${round}`;
  const stops = 'so the factory stops here. `/factory rerun` starts afresh.';
  if (round >= budget.max_rounds) {
    return { kind: 'stop', key: 'factory.budget.max_rounds',
      message: `${failed} of ${budget.max_rounds}: the rounds allowed by \`factory.budget.max_rounds\` are used up, ${stops}` };
  }
  if (spent.usd >= budget.max_usd) {
    return { kind: 'stop', key: 'factory.budget.max_usd',
      message: `${failed}: the factory runs for this spec have spent ${usd(spent.usd)} of the ${usd(budget.max_usd)} allowed by \`factory.budget.max_usd\`, ${stops}` };
  }
  if (spent.minutes >= budget.max_minutes) {
    return { kind: 'stop', key: 'factory.budget.max_minutes',
      message: `${failed}: the factory runs for this spec have taken ${Math.round(spent.minutes)} of the ${budget.max_minutes} minutes allowed by \`factory.budget.max_minutes\`, ${stops}` };
  }
  return { kind: 'dispatch', round: round + 1 };
}

/** The newest check (highest id) among those given, if any. */
export function newest(checks: readonly CheckRunInfo[]): CheckRunInfo | undefined {
  return [...checks].sort((a, b) => b.id - a.id)[0];
}
