// The artifact harness (the edge with the side effects): a working copy of the checkout that holds
// no scenarios, a scrubbed environment, `build` once, then per scenario `start` on a free $PORT
// until the health check answers (http), or one process per step (cli). Processes run in their
// own process group, which is killed as a whole. Their output stays in validation-side logs.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { scrubEnvironment } from '../agent/env/scrub-env.ts';
import type { CliRun } from './tools.ts';
import type { IsolationStatus } from './types.ts';

const LOG_LIMIT = 64_000;
const OUTPUT_LIMIT = 256_000;

export class ArtifactError extends Error {}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

export interface Workdir {
  dir: string;
  /** Whether the scenarios directory lay inside the checkout (it was then left out of the copy). */
  excludedScenarios: boolean;
}

/** Copies `checkout` (without `.git` and without the scenarios directory) into a fresh temp dir. */
export function prepareWorkdir(checkout: string, scenariosDir: string, tempRoot = tmpdir()): Workdir {
  const source = real(checkout);
  const scenarios = real(scenariosDir);
  const dir = mkdtempSync(join(tempRoot, 'factory-artifact-'));
  cpSync(source, dir, {
    recursive: true,
    filter: (path) => {
      const full = real(path);
      if (full !== source && relative(source, full).split(sep)[0] === '.git') return false;
      return !isInside(full, scenarios);
    },
  });
  return { dir, excludedScenarios: isInside(scenarios, source) };
}

/** The environment of every process we start: no credentials, plus what the harness adds. */
export function artifactEnvironment(parent: Readonly<Record<string, string | undefined>>, extra: Record<string, string> = {}): Record<string, string> {
  return { ...scrubEnvironment(parent), ...extra };
}

export function isolationStatus(workdirClean: boolean): IsolationStatus {
  return {
    credentialsScrubbed: true,
    scenariosOutsideWorkdir: workdirClean,
    network: 'not applied',
    note: 'network isolation not applied: this harness runs the artifact as a local process (no container runtime)',
  };
}

function appendCapped(current: string, chunk: string, limit: number): string {
  if (current.length >= limit) return current;
  const next = current + chunk;
  return next.length > limit ? `${next.slice(0, limit)}\n[output truncated]` : next;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export interface ShellOptions {
  cwd: string;
  env: Record<string, string>;
  args?: readonly string[];
  stdin?: string;
  timeoutMs: number;
}

/** `sh -c '<command> "$@"' artifact args…`: arguments are never interpolated into the command text. */
export function runShell(command: string, options: ShellOptions): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn('/bin/sh', ['-c', `${command} "$@"`, 'artifact', ...(options.args ?? [])], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '', error: undefined as string | undefined };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output.stdout = appendCapped(output.stdout, chunk, OUTPUT_LIMIT);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output.stderr = appendCapped(output.stderr, chunk, OUTPUT_LIMIT);
    });
    const timer = setTimeout(() => {
      output.error = `timed out after ${options.timeoutMs} ms`;
      killGroup(child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      output.error = error.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL');
      done({ exitCode: code, stdout: output.stdout, stderr: output.stderr, ...(output.error ? { error: output.error } : {}) });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** A port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export interface HttpArtifact {
  baseUrl: string;
  alive(): boolean;
  /** Alive and its health check answers 2xx. */
  healthy(): Promise<boolean>;
  /** stdout and stderr of this start (validation side only). */
  log(): string;
  stop(): Promise<void>;
}

export interface HttpStartOptions {
  start: string;
  cwd: string;
  env: Record<string, string>;
  healthPath: string;
  healthTimeoutMs: number;
  fetch?: typeof fetch;
  pollMs?: number;
  /** Who it is in error messages (default "the artifact"; twins start through here too). */
  label?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** true when `promise` settles within `ms`; the timer never outlives the race. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the artifact on a free $PORT and waits for a 2xx from the health path. */
export async function startHttpArtifact(options: HttpStartOptions): Promise<HttpArtifact> {
  const port = await freePort();
  const fetchImpl = options.fetch ?? fetch;
  const child = spawn('/bin/sh', ['-c', options.start], {
    cwd: options.cwd,
    env: { ...options.env, PORT: String(port) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state = { log: '', exited: false, exitCode: null as number | null };
  const collect = (chunk: string): void => {
    state.log = appendCapped(state.log, chunk, LOG_LIMIT);
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const exited = new Promise<void>((done) => {
    child.on('exit', (code) => {
      state.exited = true;
      state.exitCode = code;
      done();
    });
    child.on('error', (error) => {
      collect(`\n[spawn error: ${error.message}]\n`);
      state.exited = true;
      done();
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const healthUrl = new URL(options.healthPath, baseUrl);
  const probe = async (): Promise<boolean> => {
    try {
      const response = await fetchImpl(healthUrl, { signal: AbortSignal.timeout(1000), redirect: 'manual' });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  };
  const artifact: HttpArtifact = {
    baseUrl,
    alive: () => !state.exited,
    healthy: async () => !state.exited && (await probe()),
    log: () => state.log,
    async stop() {
      if (!state.exited) {
        killGroup(child.pid, 'SIGTERM');
        if (!(await settlesWithin(exited, 2000))) killGroup(child.pid, 'SIGKILL');
        await settlesWithin(exited, 1000);
      }
      killGroup(child.pid, 'SIGKILL');
    },
  };
  const deadline = Date.now() + options.healthTimeoutMs;
  while (Date.now() < deadline) {
    if (state.exited) {
      await artifact.stop();
      throw new ArtifactError(`${options.label ?? 'the artifact'} exited (code ${String(state.exitCode)}) before its health check answered`);
    }
    if (await probe()) return artifact;
    await sleep(options.pollMs ?? 50);
  }
  await artifact.stop();
  throw new ArtifactError(`${options.label ?? 'the artifact'}'s health check ${options.healthPath} did not answer within ${options.healthTimeoutMs} ms`);
}
