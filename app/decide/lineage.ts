// One factory PR's lineage of runs and what they spent, for the feedback loop's budget. The App
// creates each `factory` check on the spec commit or on the PR head of the moment, and every round
// pushes commits on top, so earlier rounds' checks sit on earlier heads of the PR.
import type { CheckRunInfo } from '../github/checks.ts';
import type { Spend } from './rounds.ts';

export interface CommitFacts {
  sha: string;
  message: string;
}

/** The `Factory-Run:` trailer (contracts.md §9), or null on a commit the factory did not make. */
export function factoryRunOf(message: string): string | null {
  const match = /^Factory-Run:\s*(\S+)\s*$/m.exec(message);
  return match?.[1] ?? null;
}

/**
 * The commits of a factory PR (oldest first) that can have been its head when a check was created:
 * the last commit of each factory run, every commit the factory did not make, and the head.
 */
export function formerHeads(commits: readonly CommitFacts[]): string[] {
  return commits
    .filter((commit, index) => {
      const next = commits[index + 1];
      if (next === undefined) return true;
      const run = factoryRunOf(commit.message);
      return run === null || run !== factoryRunOf(next.message);
    })
    .map((commit) => commit.sha);
}

/**
 * What the lineage's runs spent, from the `spent` the Action records when it concludes a `factory`
 * check: checks of PR `pr`, and those of its spec commit that carry no PR. Each check counts once;
 * a check without `spent` (still open, or closed by the App's sweep) adds nothing.
 */
export function spentBy(checks: readonly CheckRunInfo[], pr: number): Spend {
  const counted = new Set<number>();
  const total: Spend = { usd: 0, minutes: 0 };
  for (const check of checks) {
    const externalId = check.externalId;
    if (counted.has(check.id) || !externalId?.spent) continue;
    if (externalId.pr !== undefined && externalId.pr !== pr) continue;
    counted.add(check.id);
    total.usd += externalId.spent.usd;
    total.minutes += externalId.spent.minutes;
  }
  return total;
}
