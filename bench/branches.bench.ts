// Isolated parallel branches on a repository of 5,000 files: the cost per branch of the worktree the
// fan-out creates (snapshot of the working directory included) and of the fan-in (seal the branch,
// merge, apply to the main working directory), each against a plain `git worktree add` measured here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBranchWorkspaces } from '../core/workspace/branch-workspaces.ts';
import { median } from './support/timing.ts';
import { emit, emitRatio, note } from './support/report.ts';

const BENCH = 'branches';
const FILES = 5000;
const RUNS = 5;
const ENV = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.test', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.test', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const scratch = mkdtempSync(join(tmpdir(), 'bench-branches-'));
try {
  const work = join(scratch, 'work');
  mkdirSync(work);
  git(work, 'init', '--quiet', '-b', 'main');
  for (let i = 0; i < FILES; i++) {
    const dir = join(work, `d${i % 50}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n`.repeat(8));
  }
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'base');
  note(`${BENCH}: repository of ${FILES} files at ${work}`);

  const plain: number[] = [];
  const fanOut: number[] = [];
  const fanIn: number[] = [];
  for (let run = 0; run < RUNS + 1; run++) {
    let started = performance.now();
    git(work, 'worktree', 'add', '--quiet', '-b', `plain-${run}`, join(scratch, `plain-${run}`), 'HEAD');
    const plainMs = performance.now() - started;

    const workspaces = createBranchWorkspaces({ root: join(scratch, `branches-${run}`), env: ENV });
    started = performance.now();
    const [space] = await workspaces.fanOut({ runId: `run${run}`, nodeId: 'fork', branches: ['impl'], baseDir: work });
    const fanOutMs = performance.now() - started;

    writeFileSync(join(space!.dir, 'd0', 'f0.txt'), `changed in run ${run}\n`);
    writeFileSync(join(space!.dir, `new-${run}.txt`), 'new\n');
    started = performance.now();
    const sealed = await workspaces.seal(space!);
    const applied = await workspaces.fanIn({ baseDir: work, branches: [sealed] });
    const fanInMs = performance.now() - started;
    if (!applied.applied || applied.files.length !== 2) throw new Error(`fan-in applied ${JSON.stringify(applied)}`);
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', `fan-in ${run}`);
    // The first round warms the file cache.
    if (run === 0) continue;
    plain.push(plainMs);
    fanOut.push(fanOutMs);
    fanIn.push(fanInMs);
  }
  const baseline = median(plain);
  emit({ bench: BENCH, metric: 'plain_worktree_add_5000_files', value: baseline, unit: 'ms' });
  emitRatio(BENCH, 'fan_out_worktree_per_branch_5000_files', median(fanOut), baseline, 'ms');
  emitRatio(BENCH, 'fan_in_per_branch_5000_files', median(fanIn), baseline, 'ms');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
