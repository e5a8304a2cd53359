// Runs one shell command in its own process group, so a timeout or a cancelled run can stop the
// command together with everything it started.
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { Clock } from '../clock.ts';

export interface ShellCommandOptions {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdout and stderr both go here, in the order the command writes them. */
  outputPath: string;
  /** No limit when absent. */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs: number;
  signal: AbortSignal;
  clock: Clock;
}

export type ShellCommandResult =
  | { kind: 'exited'; exitCode: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timed_out' };

/** Resolves when the shell exits or times out; rejects with the signal's reason when aborted. */
export async function runShellCommand(options: ShellCommandOptions): Promise<ShellCommandResult> {
  options.signal.throwIfAborted();
  const output = await open(options.outputPath, 'w');
  let started: ReturnType<typeof startShell>;
  try {
    started = startShell(options, output.fd);
  } finally {
    await output.close();
  }
  const { child, exited } = started;

  const timers = new AbortController();
  let onAbort = (): void => undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    // The signal may have fired while the output file was being opened.
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
  });
  const timedOut =
    options.timeoutMs === undefined
      ? new Promise<never>(() => undefined)
      : options.clock.sleep(options.timeoutMs, timers.signal).then(
          () => 'timed_out' as const,
          () => new Promise<never>(() => undefined),
        );
  try {
    const first = await Promise.race([exited, timedOut, aborted]);
    if (typeof first === 'object') return { kind: 'exited', ...first };
    await terminateGroup(child.pid, exited, options, timers.signal);
    if (first === 'aborted') throw options.signal.reason;
    return { kind: 'timed_out' };
  } finally {
    timers.abort();
    options.signal.removeEventListener('abort', onAbort);
  }
}

function startShell(options: ShellCommandOptions, outputFd: number) {
  // Both streams share one file description, so the kernel keeps their order and nothing is buffered here.
  const child = spawn('/bin/sh', ['-c', options.command], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', outputFd, outputFd],
  });
  // Listen at once: a quick command may exit while the caller is still awaiting something else.
  const exited = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  // A spawn error is reported by the race below; this keeps it from counting as unhandled meanwhile.
  exited.catch(() => undefined);
  return { child, exited };
}

async function terminateGroup(
  pid: number | undefined,
  exited: Promise<unknown>,
  options: Pick<ShellCommandOptions, 'clock' | 'killGraceMs'>,
  timers: AbortSignal,
): Promise<void> {
  if (pid === undefined) return;
  const settled = exited.catch(() => undefined);
  signalGroup(pid, 'SIGTERM');
  await Promise.race([settled, options.clock.sleep(options.killGraceMs, timers).catch(() => undefined)]);
  // Members of the group may outlive the shell; none of them may outlive the stage.
  signalGroup(pid, 'SIGKILL');
  await settled;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
