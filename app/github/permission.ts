// Who may command the factory (security.md): write, maintain or admin on the repository, as the
// collaborator permission API says; `author_association` is not trusted.
import { httpStatus, type Octokit, type RepoRef } from './types.ts';

const WRITERS = new Set(['write', 'maintain', 'admin']);

export async function canWrite(octokit: Octokit, repo: RepoRef, username: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    return WRITERS.has(data.permission) || WRITERS.has(data.role_name);
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw error;
  }
}
