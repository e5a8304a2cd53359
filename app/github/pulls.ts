// Pull requests: one PR, its changed files, the open ones.
import type { Octokit, RepoRef } from './types.ts';

export interface PullInfo {
  number: number;
  headRef: string;
  headSha: string;
  baseSha: string;
  headRepo: string | null;
  baseRepo: string;
  state: string;
}

export async function getPull(octokit: Octokit, repo: RepoRef, number: number): Promise<PullInfo> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return { number: data.number, headRef: data.head.ref, headSha: data.head.sha, baseSha: data.base.sha, headRepo: data.head.repo?.full_name ?? null,
    baseRepo: data.base.repo.full_name, state: data.state };
}

export async function pullFiles(octokit: Octokit, repo: RepoRef, number: number): Promise<string[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...repo, pull_number: number, per_page: 100 });
  return files.map((file) => file.filename);
}

export async function openPullHeads(octokit: Octokit, repo: RepoRef): Promise<Array<{ number: number; headRef: string; headSha: string; sameRepo: boolean }>> {
  const { data } = await octokit.rest.pulls.list({ ...repo, state: 'open', per_page: 100 });
  return data.map((pull) => ({ number: pull.number, headRef: pull.head.ref, headSha: pull.head.sha,
    sameRepo: pull.head.repo?.full_name === pull.base.repo.full_name }));
}

/** A PR's commits, oldest first, with their messages (GitHub lists at most 250). */
export async function pullCommits(octokit: Octokit, repo: RepoRef, number: number): Promise<Array<{ sha: string; message: string }>> {
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, { ...repo, pull_number: number, per_page: 100 });
  return commits.map((commit) => ({ sha: commit.sha, message: commit.commit.message }));
}
