// Shared pieces of the CLI tests: fixtures, temporary directories, and the CLI as a live child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/cli/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/factory.js', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Temporary directories removed after the suite. */
export function tempDirs(): { make(): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'factory-cli-'));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A stack trace line, which bad input must never produce. */
export const STACK_LINE = /^\s+at /m;

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function readLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

export interface LiveCli {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the CLI without waiting for it, for tests that signal or kill it mid-run. */
export function startCli(args: string[], cwd: string, options: { openStdin?: boolean } = {}): LiveCli {
  const stdin = options.openStdin ? 'pipe' : 'ignore';
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: [stdin, 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Polls until `condition` holds; the suite's timeout bounds the wait, so no timing is asserted. */
export async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
