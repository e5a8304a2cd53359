// The last readiness review of a spec commit: the newest completed `factory/spec` check on it that
// carries a review report (the review job writes it into the check's text).
import { CHECK_NAMES } from '../../core/domain/checks.ts';
import { extractReviewReport, type ReviewReport } from '../../core/domain/review.ts';
import { listChecks } from './checks.ts';
import { getPull } from './pulls.ts';
import type { Octokit, RepoRef } from './types.ts';

export async function lastReviewOf(octokit: Octokit, repo: RepoRef, sha: string): Promise<ReviewReport | null> {
  const checks = await listChecks(octokit, repo, sha, CHECK_NAMES.spec);
  const reviewed = checks.filter((check) => check.status === 'completed')
    .map((check) => ({ id: check.id, report: extractReviewReport(check.outputText) }))
    .filter((entry): entry is { id: number; report: ReviewReport } => entry.report !== null)
    .sort((a, b) => b.id - a.id);
  return reviewed[0]?.report ?? null;
}

/** The review of a merged PR's head (a squash or merge commit is not the commit that was reviewed). */
export async function lastReviewOfPull(octokit: Octokit, repo: RepoRef, pr: number): Promise<ReviewReport | null> {
  const pull = await getPull(octokit, repo, pr);
  return lastReviewOf(octokit, repo, pull.headSha);
}
