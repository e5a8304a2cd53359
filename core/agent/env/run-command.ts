// One shell command in its own process group, killed as a group on timeout or abort
// (SIGTERM, then SIGKILL after a grace period), so no grandchild outlives the call.
import { spawn } from 'node:child_process';

export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
export const MAX_COMMAND_TIMEOUT_MS = 600_000;
const KILL_GRACE_MS = 2_000;
/** Output kept in memory per command; beyond this only the tail survives. */
const MAX_CAPTURED_CHARS = 4_000_000;

export interface CommandRequest {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  stdin?: string;
  signal?: AbortSignal;
}

export interface CommandResult {
  /** stdout and stderr interleaved in arrival order. */
  output: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export function runCommand(request: CommandRequest, now: () => number = Date.now): Promise<CommandResult> {
  const started = now();
  return new Promise((resolvePromise) => {
    const child = spawn('/bin/sh', ['-c', request.command], { cwd: request.cwd, env: request.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const append = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > MAX_CAPTURED_CHARS) output = output.slice(-MAX_CAPTURED_CHARS);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    child.stdin.on('error', () => undefined);
    child.stdin.end(request.stdin ?? '');

    const stop = () => {
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, request.timeoutMs);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    if (request.signal?.aborted) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });

    // Background processes left by the shell would hold the pipes open; end the group with the shell.
    child.on('exit', () => killGroup(child.pid, 'SIGKILL'));
    child.on('error', (error) => {
      output += `\n${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      request.signal?.removeEventListener('abort', onAbort);
      resolvePromise({ output, exitCode: code, signal, timedOut, aborted, durationMs: now() - started });
    });
  });
}
