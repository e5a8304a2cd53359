// What a command on a factory PR needs to know, read from what GitHub already records: the spec
// commit (the `Factory-Spec:` trailer), the last run (check `external_id`), the current round.
import { CHECK_NAMES } from '../../../core/domain/checks.ts';
import { newest, specShaFromMessage } from '../../decide/rounds.ts';
import { listChecks, type CheckRunInfo } from '../../github/checks.ts';
import { commitMessage } from '../../github/commits.ts';
import type { Octokit, RepoRef } from '../../github/types.ts';

export async function specShaOf(octokit: Octokit, repo: RepoRef, headSha: string): Promise<string | null> {
  return specShaFromMessage(await commitMessage(octokit, repo, headSha));
}

/**
 * The spec commit a `factory` check's run builds: a factory commit names it in its `Factory-Spec:`
 * trailer; any other commit (a spec commit, a spec PR's head for a preview run) is its own.
 */
export async function specShaOfCheck(octokit: Octokit, repo: RepoRef, check: { headSha: string; pr?: number }): Promise<string> {
  if (check.pr === undefined) return check.headSha;
  return await specShaOf(octokit, repo, check.headSha) ?? check.headSha;
}

/** The newest `factory` check on the given commits that knows its workflow run. */
export async function lastFactoryRun(octokit: Octokit, repo: RepoRef, shas: readonly string[]): Promise<CheckRunInfo | undefined> {
  const checks: CheckRunInfo[] = [];
  for (const sha of new Set(shas)) checks.push(...await listChecks(octokit, repo, sha, CHECK_NAMES.factory));
  return newest(checks.filter((check) => check.externalId?.run !== undefined));
}

export async function currentRound(octokit: Octokit, repo: RepoRef, headSha: string): Promise<number> {
  return newest(await listChecks(octokit, repo, headSha, CHECK_NAMES.satisfaction))?.externalId?.round ?? 1;
}
