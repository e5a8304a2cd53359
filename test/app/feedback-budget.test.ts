import { describe, expect, it } from '@jest/globals';
import { formerHeads, spentBy } from '../../app/decide/lineage.ts';
import { decideFeedback } from '../../app/decide/rounds.ts';
import type { CheckRunInfo } from '../../app/github/checks.ts';
import type { ExternalId } from '../../core/domain/checks.ts';

const BUDGET = { max_usd: 50, max_minutes: 300, max_rounds: 3 };

function check(id: number, externalId: ExternalId | null): CheckRunInfo {
  return { id, name: 'factory', headSha: 'a'.repeat(40), status: 'completed', conclusion: 'success', htmlUrl: null, detailsUrl: null, externalId, outputText: null };
}

function commit(sha: string, run?: string): { sha: string; message: string } {
  return { sha, message: run === undefined ? 'a hand-made fix' : `factory: stage (s)\n\nFactory-Run: ${run}\nFactory-Spec: ${'8'.repeat(40)}\n` };
}

describe('the feedback loop budget', () => {
  it('dispatches the next round while rounds, dollars and minutes all allow it', () => {
    expect(decideFeedback(1, BUDGET, { usd: 49.99, minutes: 299 })).toEqual({ kind: 'dispatch', round: 2 });
  });

  it('stops at the first limit reached, naming its key and the figures', () => {
    expect(decideFeedback(3, BUDGET, { usd: 0, minutes: 0 })).toMatchObject({ kind: 'stop', key: 'factory.budget.max_rounds' });
    const dollars = decideFeedback(1, BUDGET, { usd: 50, minutes: 10 });
    expect(dollars).toMatchObject({ kind: 'stop', key: 'factory.budget.max_usd' });
    expect(dollars.kind === 'stop' && dollars.message).toContain('$50.00 of the $50.00');
    const minutes = decideFeedback(2, BUDGET, { usd: 1, minutes: 300.4 });
    expect(minutes).toMatchObject({ kind: 'stop', key: 'factory.budget.max_minutes' });
    expect(minutes.kind === 'stop' && minutes.message).toContain('300 of the 300 minutes');
  });

  it('sums what this PR\'s runs and its spec commit\'s runs spent, each check once, other PRs and unknown spend left out', () => {
    const spent = (usd: number, minutes: number) => ({ usd, minutes });
    const checks = [
      check(1, { round: 1, request: 'push:x', run: 10, spent: spent(10, 30) }),
      check(2, { pr: 9, round: 2, request: 'feedback:9:1', run: 11, spent: spent(5.5, 20) }),
      check(2, { pr: 9, round: 2, request: 'feedback:9:1', run: 11, spent: spent(5.5, 20) }),
      check(3, { pr: 12, round: 1, request: 'comment:1', run: 12, spent: spent(100, 100) }),
      check(4, { pr: 9, round: 3, request: 'feedback:9:2', run: 13 }),
      check(5, null),
    ];
    expect(spentBy(checks, 9)).toEqual(spent(15.5, 50));
  });

  it('finds the commits that were the PR head: each run\'s last commit, hand-made commits, and the head', () => {
    const commits = [commit('a', 'run/1'), commit('b', 'run/1'), commit('c'), commit('d', 'run/2'), commit('e', 'run/2'), commit('f', 'run/3')];
    expect(formerHeads(commits)).toEqual(['b', 'c', 'e', 'f']);
    expect(formerHeads([])).toEqual([]);
  });
});
