import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionEnvironment } from '../../core/agent/env/environment.ts';
import { isSecretVariable, scrubEnvironment } from '../../core/agent/env/scrub-env.ts';
import { Workspace, WorkspaceEscapeError } from '../../core/agent/env/workspace.ts';
import { anthropicTools } from '../../core/agent/tools/anthropic-tools.ts';
import { tempDir } from './helpers.ts';

let dir: ReturnType<typeof tempDir>;
let outside: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
  outside = tempDir('outside-');
  writeFileSync(join(outside.path, 'secret.txt'), 'top secret');
});
afterEach(() => {
  dir.cleanup();
  outside.cleanup();
});

describe('workspace confinement', () => {
  it('accepts paths inside, including ones that do not exist yet', () => {
    const ws = new Workspace(dir.path);
    expect(ws.resolve('a/b/c.txt')).toBe(join(dir.path, 'a/b/c.txt'));
    expect(ws.resolve(join(dir.path, 'x.txt'))).toBe(join(dir.path, 'x.txt'));
    expect(ws.resolve('sub/../y.txt')).toBe(join(dir.path, 'y.txt'));
  });

  it('refuses ../, absolute paths outside, symlinks pointing out and dangling symlinks', () => {
    const ws = new Workspace(dir.path);
    symlinkSync(outside.path, join(dir.path, 'link-out'));
    symlinkSync(join(outside.path, 'nowhere'), join(dir.path, 'dangling'));
    for (const path of ['../x', '../../etc/passwd', '/etc/passwd', join(outside.path, 'secret.txt'), 'link-out/secret.txt', 'link-out/new/file.txt', 'dangling']) {
      expect(() => ws.resolve(path)).toThrow(WorkspaceEscapeError);
    }
  });

  it('lets a symlink that stays inside through', () => {
    mkdirSync(join(dir.path, 'real'));
    symlinkSync(join(dir.path, 'real'), join(dir.path, 'alias'));
    expect(new Workspace(dir.path).resolve('alias/f.txt')).toBe(join(dir.path, 'real/f.txt'));
  });

  it('the file tools refuse escapes and write nothing outside', async () => {
    symlinkSync(outside.path, join(dir.path, 'link-out'));
    const env = new ExecutionEnvironment({ root: dir.path, env: {} });
    const tools = new Map(anthropicTools().map((t) => [t.name, t]));
    const signal = new AbortController().signal;
    await expect(tools.get('Read')!.run({ file_path: '../secret.txt' }, { env, signal })).rejects.toThrow(/outside the workspace/);
    await expect(tools.get('Write')!.run({ file_path: 'link-out/pwned.txt', content: 'x' }, { env, signal })).rejects.toThrow(/outside the workspace/);
    await expect(env.glob('**/*.txt', '..')).rejects.toThrow(WorkspaceEscapeError);
    expect(await env.glob('**/*.txt')).toEqual([]); // the symlinked secret is not listed
  });
});

describe('scrubbed environment', () => {
  it('classifies secrets by name', () => {
    for (const name of ['GITHUB_TOKEN', 'GH_TOKEN', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'MY_SECRET', 'DB_PASSWORD', 'ACTIONS_RUNTIME_URL', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'AWS_SECRET_ACCESS_KEY', 'npm_token', 'INPUT_GITHUB-TOKEN', 'INPUT_SCENARIOS-TOKEN']) {
      expect(isSecretVariable(name)).toBe(true);
    }
    for (const name of ['PATH', 'HOME', 'LANG', 'KEYBOARD', 'TOKENIZER_MODE']) expect(isSecretVariable(name)).toBe(false);
    expect(scrubEnvironment({ PATH: '/bin', GH_TOKEN: 'x' })).toEqual({ PATH: '/bin' });
  });

  it('the shell never sees secrets set in the parent environment', async () => {
    const parent = { ...process.env, GITHUB_TOKEN: 'ghs_fake1', ANTHROPIC_API_KEY: 'sk-ant-fake2', MY_SECRET: 'fake3', ACTIONS_RUNTIME_TOKEN: 'fake4', VISIBLE_MARKER: 'still-here' };
    const env = new ExecutionEnvironment({ root: dir.path, env: parent });
    const bash = anthropicTools().find((t) => t.name === 'Bash')!;
    const result = await bash.run({ command: 'env' }, { env, signal: new AbortController().signal });
    expect(result.output).toContain('VISIBLE_MARKER=still-here');
    for (const leaked of ['ghs_fake1', 'sk-ant-fake2', 'fake3', 'fake4', 'GITHUB_TOKEN', 'ANTHROPIC_API_KEY', 'MY_SECRET']) expect(result.output).not.toContain(leaked);
  });
});

describe('commands', () => {
  it('run in the workspace and report the exit code', async () => {
    const env = new ExecutionEnvironment({ root: dir.path, env: { PATH: process.env.PATH } });
    const result = await env.exec('pwd; echo err >&2; exit 3');
    expect(result.output).toContain(dir.path);
    expect(result.output).toContain('err');
    expect(result.exitCode).toBe(3);
  });

  it('kill the whole process group on timeout', async () => {
    const env = new ExecutionEnvironment({ root: dir.path, env: { PATH: process.env.PATH } });
    const marker = join(dir.path, 'late.txt');
    const result = await env.exec(`(sleep 0.5; echo late > ${marker}) & sleep 30`, { timeoutMs: 100 });
    expect(result.timedOut).toBe(true);
    // Long enough for the background writer to have written, had it survived the group kill.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await env.exists('late.txt')).toBe(false);
  });

  it('stop on abort', async () => {
    const env = new ExecutionEnvironment({ root: dir.path, env: { PATH: process.env.PATH } });
    const controller = new AbortController();
    const running = env.exec('sleep 30', { signal: controller.signal });
    controller.abort();
    const result = await running;
    expect(result.aborted).toBe(true);
  });
});
