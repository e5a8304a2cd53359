import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { main } from '../../cli/main.ts';
import type { CliIO } from '../../cli/output.ts';
import { runCli } from '../support/run-cli.ts';
import { fixture, STACK_LINE } from './helpers.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('factory (no command, help, version)', () => {
  it('prints the usage on stdout and exits 0 for --help', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: factory <command>');
    for (const command of ['lint', 'run', 'render', 'validate', 'demo']) expect(result.stdout).toContain(`  ${command}`);
  });

  it('prints the usage on stderr and exits 2 without a command', () => {
    const result = runCli([]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: factory <command>');
  });

  it('prints the package version for --version', () => {
    const result = runCli(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
  });

  it('names an unknown command in one line and exits 2', () => {
    const result = runCli(['launch']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('unknown command "launch"');
  });

  it('names an unknown option before the command in one line and exits 2', () => {
    const result = runCli(['--fast', 'lint']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/^factory: unknown option --fast/);
  });

  it.each(['lint', 'run', 'render'])('prints the options of %s for --help', (command) => {
    const result = runCli([command, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Usage: factory ${command} <graph.dot>`);
  });
});

describe('unexpected internal errors', () => {
  function failingIO(env: NodeJS.ProcessEnv): { io: CliIO; stderr: () => string } {
    let stderr = '';
    const io = {
      stdout: { write: () => { throw new Error('stdout went away\nsecond line'); } },
      stderr: { write: (text: string) => { stderr += text; return true; } },
      stdin: process.stdin,
      env,
    } as unknown as CliIO;
    return { io, stderr: () => stderr };
  }

  it('are one line marked "(internal error)" with exit 1 and no stack', async () => {
    const { io, stderr } = failingIO({});
    const code = await main(['lint', fixture('linear.dot')], io);
    expect(code).toBe(1);
    expect(stderr()).toBe('factory: stdout went away (internal error)\n');
  });

  it('show the stack only when FACTORY_DEBUG=1', async () => {
    const { io, stderr } = failingIO({ FACTORY_DEBUG: '1' });
    expect(await main(['lint', fixture('linear.dot')], io)).toBe(1);
    expect(stderr()).toContain('(internal error)');
    expect(stderr()).toMatch(STACK_LINE);
  });
});
