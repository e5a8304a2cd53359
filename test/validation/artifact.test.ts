import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ArtifactError, artifactEnvironment, prepareWorkdir, runShell, startHttpArtifact } from '../../core/validation/artifact.ts';
import { fixture, parentEnv, tempDirs } from './helpers.ts';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/** Alive and not a zombie waiting for a reaper. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('artifact working copy and environment', () => {
  it('copies the checkout without .git and without a scenarios directory inside it', () => {
    const checkout = temp.make();
    mkdirSync(join(checkout, '.git'));
    mkdirSync(join(checkout, 'holdouts'));
    mkdirSync(join(checkout, 'src'));
    writeFileSync(join(checkout, 'src', 'app.js'), 'x');
    writeFileSync(join(checkout, '.git', 'HEAD'), 'ref');
    writeFileSync(join(checkout, 'holdouts', 'secret.md'), 'scenario');
    const copy = prepareWorkdir(checkout, join(checkout, 'holdouts'), temp.make());
    expect(copy.excludedScenarios).toBe(true);
    expect(existsSync(join(copy.dir, 'src', 'app.js'))).toBe(true);
    expect(existsSync(join(copy.dir, '.git'))).toBe(false);
    expect(existsSync(join(copy.dir, 'holdouts'))).toBe(false);
  });

  it('drops every credential from the environment', () => {
    const env = artifactEnvironment({ ...parentEnv(), MY_SECRET: 's', DB_PASSWORD: 'p', ACTIONS_ID_TOKEN_REQUEST_URL: 'u' }, { PORT: '1' });
    for (const name of ['GITHUB_TOKEN', 'ANTHROPIC_API_KEY', 'ACTIONS_RUNTIME_TOKEN', 'MY_SECRET', 'DB_PASSWORD', 'ACTIONS_ID_TOKEN_REQUEST_URL']) expect(env[name]).toBeUndefined();
    expect(env.FACTORY_VISIBLE_MARKER).toBe('visible');
    expect(env.PORT).toBe('1');
  });
});

describe('processes', () => {
  it('passes arguments without shell interpolation and feeds stdin', async () => {
    const result = await runShell('printf "%s|" ', { cwd: temp.make(), env: artifactEnvironment(process.env), args: ['$(echo hacked)', 'a b'], timeoutMs: 10_000 });
    expect(result.stdout).toBe('$(echo hacked)|a b|');
    const cat = await runShell('cat', { cwd: temp.make(), env: artifactEnvironment(process.env), stdin: 'fed', timeoutMs: 10_000 });
    expect(cat).toEqual({ exitCode: 0, stdout: 'fed', stderr: '' });
  });

  it('times out and kills a step that hangs', async () => {
    const result = await runShell('sleep 30', { cwd: temp.make(), env: artifactEnvironment(process.env), timeoutMs: 200 });
    expect(result.error).toBe('timed out after 200 ms');
    expect(result.exitCode).toBeNull();
  });

  it('starts an HTTP artifact on $PORT, waits for health, and kills its whole process group', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'build.txt'), 'built');
    copyFileSync(fixture('http-artifact', 'server.mjs'), join(dir, 'server.mjs'));
    const start = 'sleep 60 & echo $! > pid.txt; exec node server.mjs';
    const artifact = await startHttpArtifact({ start, cwd: dir, env: artifactEnvironment(process.env), healthPath: '/healthz', healthTimeoutMs: 10_000 });
    const health = await fetch(`${artifact.baseUrl}/healthz`, { headers: { connection: 'close' } });
    expect(await health.json()).toEqual({ ok: true, built: 'built' });
    const sleeper = Number(readFileSync(join(dir, 'pid.txt'), 'utf8').trim());
    expect(processExists(sleeper)).toBe(true);
    expect(artifact.alive()).toBe(true);
    expect(await artifact.healthy()).toBe(true);
    await artifact.stop();
    expect(artifact.alive()).toBe(false);
    expect(await artifact.healthy()).toBe(false);
    expect(artifact.log()).toMatch(/listening on \d+/);
    await new Promise((done) => setTimeout(done, 50));
    expect(processExists(sleeper)).toBe(false);
  });

  it('reports an artifact that exits before its health check', async () => {
    await expect(startHttpArtifact({ start: 'exit 3', cwd: temp.make(), env: artifactEnvironment(process.env), healthPath: '/healthz', healthTimeoutMs: 5_000 }))
      .rejects.toThrow(new ArtifactError('the artifact exited (code 3) before its health check answered'));
  });
});
