// Comments and reactions on issues and pull requests.
import type { Octokit, RepoRef } from './types.ts';

export type Reaction = 'eyes' | 'rocket' | 'confused';

export async function react(octokit: Octokit, repo: RepoRef, commentId: number, content: Reaction): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content });
}

export async function comment(octokit: Octokit, repo: RepoRef, issueNumber: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
}
