// Reads files from a repository at a ref (the contents API); a missing file is null, not an error.
import { httpStatus, type Octokit, type RepoRef } from './types.ts';

export async function readFile(octokit: Octokit, repo: RepoRef, path: string, ref: string): Promise<string | null> {
  try {
    const response = await octokit.rest.repos.getContent({ ...repo, path, ref });
    const data = response.data;
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return null;
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

/** The paths among `paths` that do not exist at `ref`, asked for all at once. */
export async function missingFiles(octokit: Octokit, repo: RepoRef, paths: readonly string[], ref: string): Promise<string[]> {
  const contents = await Promise.all(paths.map((path) => readFile(octokit, repo, path, ref)));
  return paths.filter((_, index) => contents[index] === null);
}
