// Commits: what a push changed (compare API), a commit's message, the PRs a commit belongs to.
import type { Octokit, RepoRef } from './types.ts';

const FILES_PER_PAGE = 300;
const MAX_PAGES = 10;

/**
 * The files changed between two commits, asking page after page until `stop` says enough was seen
 * or GitHub has no more (the compare API lists at most 300 files per page).
 */
export async function changedFilesBetween(octokit: Octokit, repo: RepoRef, base: string, head: string,
  stop: (files: readonly string[]) => boolean): Promise<string[]> {
  const files: string[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base}...${head}`, per_page: FILES_PER_PAGE, page });
    const names = (data.files ?? []).map((file) => file.filename);
    files.push(...names);
    if (stop(files) || names.length < FILES_PER_PAGE) break;
  }
  return files;
}

export async function commitMessage(octokit: Octokit, repo: RepoRef, sha: string): Promise<string> {
  const { data } = await octokit.rest.repos.getCommit({ ...repo, ref: sha });
  return data.commit.message;
}

export async function mergedPullRequestFor(octokit: Octokit, repo: RepoRef, sha: string): Promise<number | null> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha });
  return data.find((pull) => pull.merged_at !== null)?.number ?? null;
}

export async function branchHead(octokit: Octokit, repo: RepoRef, branch: string): Promise<string> {
  const { data } = await octokit.rest.repos.getBranch({ ...repo, branch });
  return data.commit.sha;
}
