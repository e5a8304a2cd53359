// The validation side's GitHub calls, all made with the scenarios token against the holdouts
// repository: whether that token could write to the product repository (then we refuse), the
// scenario files (contents API, into a directory outside the checkout), and the detailed results
// committed to a results branch. Nothing here talks to the product repository except the refusal
// probe, and no message names a scenario file (messages reach the product's step log).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { Octokit } from './github-client.ts';
import { ActionError } from './errors.ts';
import type { RepoRef } from './github.ts';

export const RESULTS_BRANCH = 'factory-results';
const MAX_FILES = 2000;

export function parseRepo(text: string): RepoRef {
  const [owner, repo] = text.split('/');
  if (!owner || !repo) throw new ActionError('input', `expected owner/name, got "${text}"`);
  return { owner, repo };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * True when the scenarios token can push to (or administer) the product repository. A token that
 * cannot see the product repository at all (404/403) is what we want.
 */
export async function scenariosTokenCanWrite(scenarios: Octokit, product: RepoRef): Promise<boolean> {
  try {
    const { data } = await scenarios.rest.repos.get({ owner: product.owner, repo: product.repo });
    const permissions = data.permissions;
    return Boolean(permissions && (permissions.push || permissions.admin || permissions.maintain));
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 403 || status === 401) return false;
    throw error;
  }
}

/** `path` inside `root`, refusing names that would escape it. */
function inside(root: string, path: string): string {
  const target = resolve(root, path);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) throw new ActionError('input', 'scenarios repository: refusing a file path that leaves the scenarios directory');
  return target;
}

/**
 * Copies every file under `path` at `ref` of the holdouts repository into `dest` (keeping the
 * layout relative to `path`). Returns how many files were written.
 */
export async function fetchScenarios(scenarios: Octokit, source: RepoRef & { path: string; ref?: string }, dest: string): Promise<number> {
  const base = source.path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  const ref = source.ref !== undefined ? { ref: source.ref } : {};
  let count = 0;
  const walk = async (path: string): Promise<void> => {
    let data: unknown;
    try {
      ({ data } = await scenarios.rest.repos.getContent({ owner: source.owner, repo: source.repo, path, ...ref }));
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) throw new ActionError('input', `scenarios: ${source.owner}/${source.repo}:${path || '/'}${source.ref ? `@${source.ref}` : ''} not found (or the scenarios token cannot read it)`);
      throw error;
    }
    const entries = Array.isArray(data) ? (data as Array<{ type: string; path: string }>) : [data as { type: string; path: string }];
    for (const entry of entries) {
      if (entry.type === 'dir') {
        await walk(entry.path);
        continue;
      }
      if (entry.type !== 'file') continue;
      if (++count > MAX_FILES) throw new ActionError('input', `scenarios: more than ${MAX_FILES} files under ${base || '/'}`);
      const file = Array.isArray(data)
        ? ((await scenarios.rest.repos.getContent({ owner: source.owner, repo: source.repo, path: entry.path, ...ref })).data as { content?: string; encoding?: string })
        : (data as { content?: string; encoding?: string });
      if (file.encoding !== 'base64' || file.content === undefined) throw new ActionError('input', 'scenarios: a scenario file is too large for the contents API (over 1 MB)');
      const rel = base === '' ? entry.path : entry.path.startsWith(`${base}/`) ? entry.path.slice(base.length + 1) : entry.path.split('/').pop()!;
      const target = inside(dest, rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, Buffer.from(file.content, 'base64'));
    }
  };
  mkdirSync(dest, { recursive: true });
  await walk(base);
  return count;
}

/** Creates the results branch from the default branch when it does not exist yet. */
async function ensureResultsBranch(scenarios: Octokit, repo: RepoRef, branch: string): Promise<void> {
  try {
    await scenarios.rest.repos.getBranch({ ...repo, branch });
    return;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  const { data: info } = await scenarios.rest.repos.get({ ...repo });
  const { data: base } = await scenarios.rest.repos.getBranch({ ...repo, branch: info.default_branch });
  await scenarios.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: base.commit.sha });
}

/** Commits `content` as `path` on the results branch of the holdouts repository. */
export async function commitResults(scenarios: Octokit, repo: RepoRef, path: string, content: string, message: string, branch = RESULTS_BRANCH): Promise<void> {
  await ensureResultsBranch(scenarios, repo, branch);
  let sha: string | undefined;
  try {
    const { data } = await scenarios.rest.repos.getContent({ ...repo, path, ref: branch });
    if (!Array.isArray(data) && 'sha' in data) sha = data.sha;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  await scenarios.rest.repos.createOrUpdateFileContents({ ...repo, path, branch, message, content: Buffer.from(content, 'utf8').toString('base64'), ...(sha ? { sha } : {}) });
}

/** File names directly under `dir` on the results branch (empty when it does not exist). */
export async function listResultFiles(scenarios: Octokit, repo: RepoRef, dir: string, branch = RESULTS_BRANCH): Promise<string[]> {
  try {
    const { data } = await scenarios.rest.repos.getContent({ ...repo, path: dir, ref: branch });
    return Array.isArray(data) ? data.filter((entry) => entry.type === 'file').map((entry) => entry.name).sort() : [];
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
}

export async function readResultFile(scenarios: Octokit, repo: RepoRef, path: string, branch = RESULTS_BRANCH): Promise<string> {
  const { data } = await scenarios.rest.repos.getContent({ ...repo, path, ref: branch });
  const file = data as { content?: string; encoding?: string };
  if (Array.isArray(data) || file.encoding !== 'base64' || file.content === undefined) throw new ActionError('input', `aggregate: ${path} on ${branch} is not a readable file (too large for the contents API?)`);
  return Buffer.from(file.content, 'base64').toString('utf8');
}
