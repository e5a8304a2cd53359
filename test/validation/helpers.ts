// Shared pieces of the validation tests: fixture paths, temp dirs and the CLI run in-process.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../cli/main.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/validation/', import.meta.url));
export const CANARY = 'CANARY-c4n4ry-9f2d71';

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function tempDirs(): { make(): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'factory-validation-'));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The passing HTTP scenarios plus the ones that fail, flake, crash, hit an outage or are malformed. */
export function mixedScenarios(dir: string): string {
  cpSync(fixture('scenarios', 'http-pass'), dir, { recursive: true });
  cpSync(fixture('scenarios', 'http-extra'), dir, { recursive: true });
  return dir;
}

/** A parent environment with fake credentials that must never reach the artifact. */
export function parentEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GITHUB_TOKEN: 'fake-secret-value',
    ANTHROPIC_API_KEY: 'fake-secret-value',
    ACTIONS_RUNTIME_TOKEN: 'fake-secret-value',
    FACTORY_VISIBLE_MARKER: 'visible',
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = parentEnv()): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const code = await main(argv, { stdout, stderr, stdin: new PassThrough(), env });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
