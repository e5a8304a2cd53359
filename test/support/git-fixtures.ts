// Real temporary git repositories for process-level tests: a bare remote standing in for GitHub's
// side, and a working clone (the runner's checkout) with `origin` pointing at it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Spec Author', GIT_AUTHOR_EMAIL: 'author@example.test',
  GIT_COMMITTER_NAME: 'Spec Author', GIT_COMMITTER_EMAIL: 'author@example.test',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', input, env: { ...process.env, ...IDENTITY }, stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface FixtureRepo {
  root: string;
  /** The runner's checkout. */
  work: string;
  /** The bare repository `origin` points at. */
  remote: string;
  defaultBranch: string;
  /** The commit the files were committed in. */
  head: string;
  cleanup(): void;
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export function createFixtureRepo(files: Record<string, string>, defaultBranch = 'main'): FixtureRepo {
  const root = mkdtempSync(join(tmpdir(), 'factory-action-'));
  const remote = join(root, 'remote.git');
  const work = join(root, 'work');
  git(root, ['init', '--quiet', '--bare', '--initial-branch', defaultBranch, remote]);
  git(root, ['init', '--quiet', '--initial-branch', defaultBranch, work]);
  writeFiles(work, files);
  git(work, ['add', '--all']);
  git(work, ['commit', '--quiet', '-m', 'spec: initial']);
  git(work, ['remote', 'add', 'origin', remote]);
  git(work, ['push', '--quiet', 'origin', defaultBranch]);
  const head = git(work, ['rev-parse', 'HEAD']).trim();
  return { root, work, remote, defaultBranch, head, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Adds a commit on the default branch of the remote (as a merged change would), from the checkout. */
export function commitAndPush(repo: FixtureRepo, files: Record<string, string>, message: string): string {
  writeFiles(repo.work, files);
  git(repo.work, ['add', '--all']);
  git(repo.work, ['commit', '--quiet', '-m', message]);
  git(repo.work, ['push', '--quiet', 'origin', repo.defaultBranch]);
  return git(repo.work, ['rev-parse', 'HEAD']).trim();
}

/** Branches of the remote, `refs/heads/` stripped. */
export function remoteBranches(repo: FixtureRepo): string[] {
  return git(repo.remote, ['for-each-ref', '--format=%(refname:strip=2)', 'refs/heads/']).split('\n').filter(Boolean);
}

/** Full messages of the commits on `branch` in the remote that are not on the default branch, oldest first. */
export function branchCommitMessages(repo: FixtureRepo, branch: string): string[] {
  const out = git(repo.remote, ['log', '--reverse', '--format=%B%x00', `${repo.defaultBranch}..${branch}`]);
  return out.split('\0').map((message) => message.trim()).filter(Boolean);
}
