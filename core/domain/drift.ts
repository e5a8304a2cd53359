// Drift replay's verdict and its one `factory/drift` issue (interactive shift): pure decisions the
// drift workflow's Action applies. The issue carries the leak-safe summary only.
export const DRIFT_LABEL = 'factory/drift';
export const DRIFT_ISSUE_TITLE = 'Behavioural drift: the deployment no longer satisfies its production-safe scenarios';

export interface DriftFacts {
  decision: 'pass' | 'fail';
  lower: number;
  trials: number;
  threshold: number;
}

/** Failing when nothing could be judged, the gate fails, or the lower bound is below the threshold. */
export function driftFailure(facts: DriftFacts): string | null {
  if (facts.trials === 0) return 'no trial could be judged';
  if (facts.decision === 'fail') return 'the satisfaction gate failed';
  if (facts.lower < facts.threshold) return `the satisfaction lower bound ${(facts.lower * 100).toFixed(1)}% is below the drift threshold ${(facts.threshold * 100).toFixed(1)}%`;
  return null;
}

export interface OpenDriftIssue {
  number: number;
}

export type DriftIssueAction =
  | { kind: 'open' }
  | { kind: 'update'; number: number; close: number[] }
  | { kind: 'close'; numbers: number[] }
  | { kind: 'none' };

/**
 * Failing: update the oldest open drift issue (closing any later duplicates), or open one. Passing:
 * close every open one. Never a second open issue.
 */
export function decideDriftIssue(open: readonly OpenDriftIssue[], failing: boolean): DriftIssueAction {
  const sorted = [...open].sort((a, b) => a.number - b.number);
  if (failing) {
    const [first, ...rest] = sorted;
    return first ? { kind: 'update', number: first.number, close: rest.map((issue) => issue.number) } : { kind: 'open' };
  }
  return sorted.length > 0 ? { kind: 'close', numbers: sorted.map((issue) => issue.number) } : { kind: 'none' };
}
