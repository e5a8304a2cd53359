// Isolated parallel branches (resume issue, item 2) for the hosts to inject into the engine: in a
// git working directory each branch gets its own worktree on `factory/<run id>/<branch id>`, made
// from a snapshot commit of the working directory at the fan-out (uncommitted changes included);
// elsewhere each branch gets a copy. The fan-in applies the selected branches' changes to the main
// working directory; several are merged (git's merge-tree, or file by file for copies), and a
// conflict lists the files and changes nothing. Branches stay in place for inspection.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { BranchWorkspace, BranchWorkspaces, FanInApplication } from '../engine/handler.ts';

export interface BranchWorkspacesOptions {
  /** Where branch directories go; must lie outside the working directory (a temporary directory by default). */
  root?: string;
  /** Environment for git (identity for the snapshot and branch commits). */
  env?: NodeJS.ProcessEnv;
}

const IDENTITY = { GIT_AUTHOR_NAME: 'spec-factory', GIT_AUTHOR_EMAIL: 'factory@spec-factory.invalid', GIT_COMMITTER_NAME: 'spec-factory', GIT_COMMITTER_EMAIL: 'factory@spec-factory.invalid' };

interface FanOutRecord {
  kind: 'git' | 'copy';
  /** git: the snapshot commit; copy: the pristine copy of the base. */
  base: string;
}

export function createBranchWorkspaces(options: BranchWorkspacesOptions = {}): BranchWorkspaces {
  const env = { ...IDENTITY, ...process.env, ...options.env };
  // Every branch's fan-out base, by branch directory; only this object's own fan-outs are known.
  const bases = new Map<string, FanOutRecord>();
  const git = (cwd: string, args: string[], extra: { input?: string; env?: NodeJS.ProcessEnv } = {}): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8', input: extra.input, env: { ...env, ...extra.env }, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });

  const rootFor = (baseDir: string): string => {
    const root = options.root ? resolve(options.root) : mkdtempSync(join(tmpdir(), 'factory-branches-'));
    if (isInside(root, resolve(baseDir))) throw new Error(`branch directories (${root}) must lie outside the working directory ${baseDir}`);
    return root;
  };

  return {
    async fanOut({ runId, nodeId, branches, baseDir }) {
      const root = join(rootFor(baseDir), safe(runId), safe(nodeId));
      mkdirSync(root, { recursive: true });
      const top = gitTopLevel(baseDir, env);
      if (top !== undefined && resolve(top) === resolve(baseDir)) {
        const snapshot = snapshotCommit(git, baseDir, `Fan-out of ${nodeId}`);
        return branches.map((branch) => {
          const dir = uniqueDir(root, branch);
          const ref = `factory/${safe(runId)}/${safe(branch)}`;
          git(baseDir, ['worktree', 'add', '--quiet', '-B', ref, dir, snapshot]);
          bases.set(dir, { kind: 'git', base: snapshot });
          return { branch, dir, ref };
        });
      }
      const pristine = join(root, '.base');
      copyTree(baseDir, pristine);
      return branches.map((branch) => {
        const dir = uniqueDir(root, branch);
        copyTree(baseDir, dir);
        bases.set(dir, { kind: 'copy', base: pristine });
        return { branch, dir };
      });
    },

    async seal(workspace) {
      const record = bases.get(workspace.dir);
      if (record?.kind !== 'git') return workspace;
      git(workspace.dir, ['add', '-A']);
      const changed = git(workspace.dir, ['diff', '--cached', '--name-only']).trim() !== '';
      if (changed) git(workspace.dir, ['commit', '--quiet', '--no-verify', '-m', `Branch ${workspace.branch}`]);
      return { ...workspace, commit: git(workspace.dir, ['rev-parse', 'HEAD']).trim() };
    },

    async fanIn({ baseDir, branches }) {
      if (branches.length === 0) return { applied: true, files: [] };
      const records = branches.map((b) => bases.get(b.dir));
      if (records.some((r) => r === undefined)) throw new Error('fan-in of a branch this host did not fan out');
      const first = records[0]!;
      if (first.kind === 'git') return gitFanIn(git, baseDir, first.base, branches);
      return copyFanIn(baseDir, first.base, branches);
    },
  };
}

type Git = (cwd: string, args: string[], extra?: { input?: string; env?: NodeJS.ProcessEnv }) => string;

function gitTopLevel(dir: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** A commit of the working directory as it is (tracked and untracked, ignored files left out), without touching HEAD or the index. */
function snapshotCommit(git: Git, dir: string, message: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'factory-index-'));
  try {
    const indexEnv = { GIT_INDEX_FILE: join(scratch, 'index') };
    const head = tryGit(git, dir, ['rev-parse', '--verify', '--quiet', 'HEAD']);
    if (head) git(dir, ['read-tree', head], { env: indexEnv });
    git(dir, ['add', '-A'], { env: indexEnv });
    const tree = git(dir, ['write-tree'], { env: indexEnv }).trim();
    if (head && git(dir, ['rev-parse', `${head}^{tree}`]).trim() === tree) return head;
    return git(dir, ['commit-tree', tree, ...(head ? ['-p', head] : []), '-m', message]).trim();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function tryGit(git: Git, dir: string, args: string[]): string | undefined {
  try {
    return git(dir, args).trim() || undefined;
  } catch {
    return undefined;
  }
}

function gitFanIn(git: Git, baseDir: string, snapshot: string, branches: readonly BranchWorkspace[]): FanInApplication {
  const commits = branches.map((b) => b.commit ?? git(b.dir, ['rev-parse', 'HEAD']).trim());
  let merged = commits[0]!;
  for (const next of commits.slice(1)) {
    let output: string;
    let clean = true;
    try {
      output = git(baseDir, ['merge-tree', '--write-tree', '--name-only', '--no-messages', merged, next]);
    } catch (error) {
      const failure = error as { status?: number; stdout?: string };
      if (failure.status !== 1 || typeof failure.stdout !== 'string') throw error;
      output = failure.stdout;
      clean = false;
    }
    const [tree, ...rest] = output.split('\n');
    if (!clean) return { applied: false, conflicts: [...new Set(rest.map((line) => line.trim()).filter(Boolean))].sort() };
    merged = git(baseDir, ['commit-tree', tree!.trim(), '-p', merged, '-p', next, '-m', 'Fan-in']).trim();
  }
  const files = git(baseDir, ['diff', '--name-only', snapshot, merged]).split('\n').filter(Boolean);
  if (files.length === 0) return { applied: true, files };
  const patch = git(baseDir, ['diff', '--binary', '--full-index', snapshot, merged]);
  git(baseDir, ['apply', '--whitespace=nowarn'], { input: patch });
  return { applied: true, files };
}

/** Copies: a branch's change is any file that differs from the pristine copy; two branches changing a file differently conflict. */
function copyFanIn(baseDir: string, pristine: string, branches: readonly BranchWorkspace[]): FanInApplication {
  const changes = new Map<string, Buffer | null>();
  const conflicts = new Set<string>();
  for (const branch of branches) {
    for (const [path, content] of changedFiles(pristine, branch.dir)) {
      if (changes.has(path)) {
        const earlier = changes.get(path)!;
        const same = earlier === null ? content === null : content !== null && earlier.equals(content);
        if (!same) conflicts.add(path);
      } else {
        changes.set(path, content);
      }
    }
  }
  if (conflicts.size > 0) return { applied: false, conflicts: [...conflicts].sort() };
  for (const [path, content] of changes) {
    const target = join(baseDir, path);
    if (content === null) rmSync(target, { force: true });
    else {
      mkdirSync(join(target, '..'), { recursive: true });
      cpSync(join(branchDirOf(branches, path, content) ?? '', path), target);
    }
  }
  return { applied: true, files: [...changes.keys()].sort() };
}

function branchDirOf(branches: readonly BranchWorkspace[], path: string, content: Buffer): string | undefined {
  return branches.find((b) => existsSync(join(b.dir, path)) && readFileSync(join(b.dir, path)).equals(content))?.dir;
}

function changedFiles(pristine: string, dir: string): Map<string, Buffer | null> {
  const before = listFiles(pristine);
  const after = listFiles(dir);
  const changed = new Map<string, Buffer | null>();
  for (const path of after) {
    const content = readFileSync(join(dir, path));
    if (!before.has(path) || !readFileSync(join(pristine, path)).equals(content)) changed.set(path, content);
  }
  for (const path of before) if (!after.has(path)) changed.set(path, null);
  return changed;
}

function listFiles(root: string): Set<string> {
  const files = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.add(relative(root, path).split(sep).join('/'));
    }
  };
  if (existsSync(root)) walk(root);
  return files;
}

function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true, errorOnExist: false, force: true });
}

function uniqueDir(root: string, branch: string): string {
  let dir = join(root, safe(branch));
  for (let n = 2; existsSync(dir); n++) dir = join(root, `${safe(branch)}-${n}`);
  return dir;
}

/** A name usable as one path segment and one ref component. */
function safe(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_').replace(/\.lock$/, '_lock').slice(0, 80);
  return cleaned || '_';
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}
