// Isolated parallel branches (resume issue, item 2) on real git and real tool stages: each branch in
// its own worktree on factory/<run id>/<branch id>, the fan-in applying the winner's changes.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint } from '../../core/engine/run/checkpoint.ts';
import { PipelineEngine } from '../../core/engine/pipeline.ts';
import { createBranchWorkspaces } from '../../core/workspace/branch-workspaces.ts';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: ENV }).trim();

function repo(files: Record<string, string>): string {
  const dir = temp('factory-branches-repo-');
  git(dir, 'init', '--quiet', '-b', 'main');
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', 'base');
  return dir;
}

/** Two branches that each write shared.txt, wait for the other, and report what they see. */
function twoWriters(sync: string, fanIn = ''): string {
  const branch = (me: string, other: string, extra: string) =>
    `${me} [shape=parallelogram, tool_command="echo ${me} > shared.txt; ${extra} touch ${sync}/${me}; while [ ! -f ${sync}/${other} ]; do sleep 0.05; done; cat shared.txt"]`;
  return `digraph Branches {
  start [shape=Mdiamond]
  exit [shape=Msquare]
  fork [shape=component]
  ${branch('left', 'right', '')}
  ${branch('right', 'left', `printf '{\\"outcome\\":\\"success\\",\\"context_updates\\":{\\"score\\":9}}' > $STAGE_DIR/status.json;`)}
  join [shape=tripleoctagon${fanIn}]
  start -> fork
  fork -> left
  fork -> right
  left -> join
  right -> join
  join -> exit
}`;
}

async function run(source: string, workdir: string, logs: string) {
  const engine = new PipelineEngine();
  const { graph } = engine.prepareOrRaise(source);
  const workspaces = createBranchWorkspaces({ root: temp('factory-branch-dirs-'), env: ENV });
  return engine.run(graph, { logsRoot: logs, workdir, runId: 'run1', workspaces });
}

describe('isolated parallel branches', () => {
  it('two branches writing the same file each see only their own write; the fan-in applies the winner, and the loser\'s commit stays', async () => {
    const work = repo({ 'shared.txt': 'base\n', 'README.md': 'r\n' });
    writeFileSync(join(work, 'uncommitted.txt'), 'seen by both\n');
    const logs = temp('factory-branches-logs-');
    const sync = temp('factory-branches-sync-');
    const result = await run(twoWriters(sync), work, logs);
    expect(result.status).toBe('success');

    const context = loadCheckpoint(logs).context;
    const records = context['parallel.results'] as Array<{ id: string; workspace: { dir: string; ref: string; commit: string } }>;
    // Each branch saw only its own write, although both ran at once.
    expect(readFileSync(join(logs, 'left', 'tool_output.txt'), 'utf8')).toBe('left\n');
    expect(readFileSync(join(logs, 'right', 'tool_output.txt'), 'utf8')).toBe('right\n');
    expect(context['parallel.fan_in.best_id']).toBe('right');
    expect(readFileSync(join(work, 'shared.txt'), 'utf8')).toBe('right\n');
    // The fan-out's state included the uncommitted file; the main checkout's HEAD did not move.
    for (const record of records) expect(readFileSync(join(record.workspace.dir, 'uncommitted.txt'), 'utf8')).toBe('seen by both\n');
    expect(git(work, 'log', '--format=%s')).toBe('base');
    const left = records.find((r) => r.id === 'left')!.workspace;
    expect(left.ref).toBe('factory/run1/left');
    expect(git(work, 'rev-parse', 'factory/run1/left')).toBe(left.commit);
    expect(git(work, 'show', `${left.commit}:shared.txt`)).toBe('left');
    expect(existsSync(left.dir)).toBe(true);
  });

  it('merge_policy=all merges every successful branch, and a conflict fails the fan-in listing the files and changing nothing', async () => {
    const work = repo({ 'shared.txt': 'base\n' });
    const sync = temp('factory-branches-sync-');
    const result = await run(twoWriters(sync, ', merge_policy=all'), work, temp('factory-branches-logs-'));
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toMatch(/Merging branches left, right conflicts in 1 file\(s\): shared\.txt/);
    expect(readFileSync(join(work, 'shared.txt'), 'utf8')).toBe('base\n');

    const apart = repo({ 'base.txt': 'b\n' });
    const graph = `digraph Apart {
  start [shape=Mdiamond]; exit [shape=Msquare]; fork [shape=component]
  a [shape=parallelogram, tool_command="echo a > a.txt"]
  b [shape=parallelogram, tool_command="echo b > b.txt; rm base.txt"]
  join [shape=tripleoctagon, merge_policy=all]
  start -> fork; fork -> a; fork -> b; a -> join; b -> join; join -> exit
}`;
    const merged = await run(graph, apart, temp('factory-branches-logs-'));
    expect(merged.status).toBe('success');
    expect(readFileSync(join(apart, 'a.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(apart, 'b.txt'), 'utf8')).toBe('b\n');
    expect(existsSync(join(apart, 'base.txt'))).toBe(false);
  });

  it('outside git each branch works in a copy, and the fan-in copies the winner\'s changes back', async () => {
    const work = temp('factory-branches-plain-');
    mkdirSync(join(work, 'src'));
    writeFileSync(join(work, 'shared.txt'), 'base\n');
    writeFileSync(join(work, 'src', 'keep.txt'), 'k\n');
    const result = await run(twoWriters(temp('factory-branches-sync-')), work, temp('factory-branches-logs-'));
    expect(result.status).toBe('success');
    expect(readFileSync(join(work, 'shared.txt'), 'utf8')).toBe('right\n');
    expect(readFileSync(join(work, 'src', 'keep.txt'), 'utf8')).toBe('k\n');
  });

  it('refuses branch directories inside the working directory', async () => {
    const work = repo({ 'x.txt': 'x\n' });
    const workspaces = createBranchWorkspaces({ root: join(work, 'branches'), env: ENV });
    await expect(workspaces.fanOut({ runId: 'r', nodeId: 'fork', branches: ['a'], baseDir: work })).rejects.toThrow(/must lie outside the working directory/);
  });
});
