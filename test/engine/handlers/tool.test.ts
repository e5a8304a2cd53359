import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../../../core/engine/clock.ts';
import type { Attrs } from '../../../core/engine/graph.ts';
import { TOOL_OUTPUT_CONTEXT_CHARS, ToolHandler } from '../../../core/engine/handlers/tool.ts';
import { buildGraph } from '../../support/graph-builder.ts';
import { fakeClock, stageInput, tempDir } from './stage-input.ts';

const root = tempDir('tool-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function toolInput(attrs: Attrs, options: { clock?: Clock; signal?: AbortSignal } = {}) {
  const graph = buildGraph({ nodes: { run_tests: { shape: 'parallelogram', ...attrs } } });
  const { input } = stageInput(graph, 'run_tests', { root, signal: options.signal, services: options.clock ? { clock: options.clock } : {} });
  return input;
}

async function waitFor<T>(probe: () => T | undefined, signal?: AbortSignal): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    await delay(10, undefined, { signal });
  }
}

const readPid = (path: string) => (existsSync(path) && readFileSync(path, 'utf8').trim() ? Number(readFileSync(path, 'utf8').trim()) : undefined);

/** Gone, or a zombie nobody has reaped yet: either way it runs no more. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return /^\d+ \(.*\) Z/.test(stat);
}

/**
 * A clock that holds the stage timeout until the command has written its background child's pid,
 * so the test knows there is a grandchild to kill; every other sleep returns at once.
 */
function clockReleasingTimeoutWhen(ready: () => boolean, timeoutMs: number): Clock & { sleeps: number[] } {
  const base = fakeClock();
  return {
    ...base,
    sleep: async (ms, signal) => {
      base.sleeps.push(ms);
      if (ms === timeoutMs) await waitFor(() => (ready() ? true : undefined), signal);
    },
  };
}

describe('tool handler (§4.10, §11.6) on real processes', () => {
  it('runs tool_command in the working directory and succeeds on exit code 0', async () => {
    const input = toolInput({ tool_command: 'echo hello; pwd' });
    const outcome = await new ToolHandler().execute(input);
    const expected = `hello\n${realpathSync(input.services.workdir)}\n`;
    expect(outcome).toEqual({
      status: 'success',
      notes: 'Tool completed: echo hello; pwd',
      context_updates: { 'tool.output': expected, 'tool.exit_code': 0 },
    });
    expect(readFileSync(join(input.stageDir, 'tool_output.txt'), 'utf8')).toBe(expected);
  });

  it('captures stdout and stderr interleaved in the order they were written', async () => {
    const input = toolInput({ tool_command: 'echo one; echo two >&2; echo three; echo four >&2' });
    const outcome = await new ToolHandler().execute(input);
    expect(outcome.context_updates?.['tool.output']).toBe('one\ntwo\nthree\nfour\n');
    expect(readFileSync(join(input.stageDir, 'tool_output.txt'), 'utf8')).toBe('one\ntwo\nthree\nfour\n');
  });

  it('fails on a non-zero exit code with the code and the last lines of output', async () => {
    const input = toolInput({ tool_command: 'echo compiling; echo "error: missing semicolon" >&2; exit 3' });
    const outcome = await new ToolHandler().execute(input);
    expect(outcome).toEqual({
      status: 'fail',
      failure_reason: 'tool_command exited with code 3\ncompiling\nerror: missing semicolon',
      context_updates: { 'tool.output': 'compiling\nerror: missing semicolon\n', 'tool.exit_code': 3 },
    });
  });

  it('keeps only the last lines of a long failing output in the failure reason', async () => {
    const input = toolInput({ tool_command: 'seq 1 100; exit 1' });
    const outcome = await new ToolHandler().execute(input);
    const lines = outcome.failure_reason!.split('\n');
    expect(lines[0]).toBe('tool_command exited with code 1');
    expect(lines.slice(1)).toEqual(Array.from({ length: 20 }, (_, i) => String(81 + i)));
  });

  it('fails without a tool_command', async () => {
    expect(await new ToolHandler().execute(toolInput({}))).toEqual({ status: 'fail', failure_reason: 'No tool_command specified' });
  });

  it('truncates tool.output to the last 4,000 characters with a marker, keeping the full output in the file', async () => {
    const input = toolInput({ tool_command: "head -c 10000 /dev/zero | tr '\\0' x; echo; echo THE-END" });
    const outcome = await new ToolHandler().execute(input);
    const output = outcome.context_updates?.['tool.output'] as string;
    const [marker, ...rest] = output.split('\n');
    expect(marker).toMatch(/^\[output truncated: last 4000 characters; full output in tool_output\.txt\]$/);
    const tail = rest.join('\n');
    expect(tail).toHaveLength(TOOL_OUTPUT_CONTEXT_CHARS);
    expect(tail.endsWith('x\nTHE-END\n')).toBe(true);
    expect(readFileSync(join(input.stageDir, 'tool_output.txt'), 'utf8')).toHaveLength(10000 + 1 + 8);
  });

  it('gives the command STAGE_DIR, LOGS_ROOT and NODE_ID, and believes the status.json it writes', async () => {
    const command = [
      'echo "$NODE_ID $LOGS_ROOT"',
      `printf '{"outcome":"partial_success","preferred_label":"Flaky","context_updates":{"tests.failed":2},"notes":"2 flaky"}' > "$STAGE_DIR/status.json"`,
      'exit 1',
    ].join('; ');
    const input = toolInput({ tool_command: command });
    const outcome = await new ToolHandler().execute(input);
    expect(outcome).toEqual({
      status: 'partial_success',
      preferred_label: 'Flaky',
      notes: '2 flaky',
      context_updates: { 'tool.output': `run_tests ${input.logsRoot}\n`, 'tool.exit_code': 1, 'tests.failed': 2 },
    });
  });

  it('gives the command the Attractor names too: ATTRACTOR_STAGE_DIR, ATTRACTOR_LOGS_ROOT and ATTRACTOR_NODE_ID', async () => {
    const input = toolInput({ tool_command: 'echo "$ATTRACTOR_NODE_ID|$ATTRACTOR_LOGS_ROOT|$ATTRACTOR_STAGE_DIR"; echo ok > "$ATTRACTOR_STAGE_DIR/marker"' });
    const outcome = await new ToolHandler().execute(input);
    expect(outcome.context_updates?.['tool.output']).toBe(`run_tests|${input.logsRoot}|${input.stageDir}\n`);
    expect(readFileSync(join(input.stageDir, 'marker'), 'utf8')).toBe('ok\n');
  });

  it('removes a stale status.json before running the command', async () => {
    const input = toolInput({ tool_command: 'test ! -e "$STAGE_DIR/status.json"' });
    writeFileSync(join(input.stageDir, 'status.json'), '{"outcome":"fail"}');
    const outcome = await new ToolHandler().execute(input);
    expect(outcome.status).toBe('success');
  });

  it('lets a failure to start the shell propagate', async () => {
    const input = toolInput({ tool_command: 'true' });
    input.services.workdir = join(root, 'does-not-exist');
    await expect(new ToolHandler().execute(input)).rejects.toThrow(/ENOENT/);
  });

  it('sets no timer when the node has no timeout', async () => {
    const clock = fakeClock();
    await new ToolHandler().execute(toolInput({ tool_command: 'true' }, { clock }));
    expect(clock.sleeps).toEqual([]);
  });

  it('on timeout kills the whole process group, a background child included', async () => {
    const pidFile = () => join(root, 'timeout-child.pid');
    const clock = clockReleasingTimeoutWhen(() => readPid(pidFile()) !== undefined, 2000);
    const input = toolInput({ tool_command: `sleep 300 & echo $! > "${pidFile()}"; echo started; wait`, timeout: 2 }, { clock });
    const outcome = await new ToolHandler({ killGraceMs: 750 }).execute(input);

    expect(outcome.status).toBe('fail');
    expect(outcome.failure_reason).toBe('tool_command timed out after 2s\nstarted');
    expect(outcome.context_updates).toEqual({ 'tool.output': 'started\n', 'tool.exit_code': null });
    expect(clock.sleeps).toEqual([2000, 750]);
    const pid = readPid(pidFile())!;
    await waitFor(() => (isGone(pid) ? true : undefined));
  });

  it('sends SIGKILL after the grace period to a command that ignores SIGTERM', async () => {
    const pidFile = join(root, 'stubborn.pid');
    const clock = clockReleasingTimeoutWhen(() => readPid(pidFile) !== undefined, 1500);
    const input = toolInput(
      { tool_command: `trap '' TERM; sleep 300 & echo $! > "${pidFile}"; wait`, timeout: { kind: 'duration', ms: 1500, text: '1500ms' } },
      { clock },
    );
    const outcome = await new ToolHandler({ killGraceMs: 100 }).execute(input);
    expect(outcome.failure_reason).toBe('tool_command timed out after 1500ms');
    expect(clock.sleeps).toEqual([1500, 100]);
    const pid = readPid(pidFile)!;
    await waitFor(() => (isGone(pid) ? true : undefined));
  });

  it('kills the process group and rejects with the abort reason when the run is cancelled', async () => {
    const pidFile = join(root, 'cancelled.pid');
    const controller = new AbortController();
    const input = toolInput({ tool_command: `sleep 300 & echo $! > "${pidFile}"; wait` }, { signal: controller.signal });
    const running = new ToolHandler({ killGraceMs: 100 }).execute(input);
    const pid = await waitFor(() => readPid(pidFile));
    controller.abort(new Error('run cancelled'));
    await expect(running).rejects.toThrow('run cancelled');
    await waitFor(() => (isGone(pid) ? true : undefined));
  });
});
