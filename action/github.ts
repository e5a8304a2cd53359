// The few GitHub API calls the run makes, typed through Octokit; no decisions here.
import type { Octokit } from './github-client.ts';

export interface RepoRef {
  owner: string;
  repo: string;
}

export type CheckConclusion = 'success' | 'failure' | 'cancelled' | 'action_required' | 'neutral' | 'timed_out';

export async function defaultBranchOf(octokit: Octokit, repo: RepoRef): Promise<string> {
  const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  return data.default_branch;
}

export interface PullRequestRef {
  number: number;
  url: string;
  created: boolean;
}

/**
 * Updates the open PR of this branch (body only: the title stays as people may have edited it), or
 * opens one. `prNumber` (the dispatch's PR) is used when it is that branch's open PR.
 */
export async function upsertPullRequest(octokit: Octokit, repo: RepoRef, pr: { branch: string; base: string; title: string; body: string; prNumber?: number }): Promise<PullRequestRef> {
  let existing: { number: number; html_url: string } | undefined;
  if (pr.prNumber !== undefined) {
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.prNumber });
    if (data.state === 'open' && data.head.ref === pr.branch) existing = data;
  }
  if (!existing) {
    const { data: open } = await octokit.rest.pulls.list({ ...repo, state: 'open', head: `${repo.owner}:${pr.branch}`, per_page: 10 });
    existing = open.find((candidate) => candidate.head.ref === pr.branch);
  }
  if (existing) {
    await octokit.rest.pulls.update({ ...repo, pull_number: existing.number, body: pr.body });
    return { number: existing.number, url: existing.html_url, created: false };
  }
  const { data } = await octokit.rest.pulls.create({ ...repo, head: pr.branch, base: pr.base, title: pr.title, body: pr.body });
  return { number: data.number, url: data.html_url, created: true };
}

export async function markCheckInProgress(octokit: Octokit, repo: RepoRef, checkRunId: number, title: string, summary: string, detailsUrl?: string): Promise<void> {
  await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, status: 'in_progress', ...(detailsUrl ? { details_url: detailsUrl } : {}), output: { title, summary } });
}

export interface ConclusionExtras {
  /** Replaces the check's external_id (the App's context plus what the run spent). */
  externalId?: string;
  /** Buttons; GitHub allows at most three. */
  actions?: Array<{ label: string; description: string; identifier: string }>;
}

export async function concludeCheck(octokit: Octokit, repo: RepoRef, checkRunId: number, conclusion: CheckConclusion, title: string, summary: string, completedAt: string, detailsUrl?: string, extras: ConclusionExtras = {}): Promise<void> {
  await octokit.rest.checks.update({
    ...repo, check_run_id: checkRunId, status: 'completed', conclusion, completed_at: completedAt,
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
    ...(extras.externalId !== undefined ? { external_id: extras.externalId } : {}),
    ...(extras.actions && extras.actions.length > 0 ? { actions: extras.actions } : {}),
    output: { title, summary },
  });
}

/** The external_id the App gave the check (its context: PR, round, request, workflow run). */
export async function checkExternalId(octokit: Octokit, repo: RepoRef, checkRunId: number): Promise<string | null> {
  const { data } = await octokit.rest.checks.get({ ...repo, check_run_id: checkRunId });
  return data.external_id ?? null;
}

export async function commentOnIssue(octokit: Octokit, repo: RepoRef, issueNumber: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
}
