// `npm start` (issue 4 §1) as a process: with no credentials it serves Probot's registration page
// built from app.yml; with credentials — in the environment, or in the `.env` that registration
// writes — it serves the App's webhooks (401 for a bad signature) and /healthz on HOST:PORT.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = join(ROOT, 'app', 'server.ts');
const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

const started: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A directory like a fresh checkout's root for Probot (app.yml, package.json), without a `.env`. */
function workingDir(dotEnv?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'factory-start-'));
  dirs.push(dir);
  copyFileSync(join(ROOT, 'app.yml'), join(dir, 'app.yml'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  if (dotEnv !== undefined) writeFileSync(join(dir, '.env'), dotEnv);
  return dir;
}

/** `npm start`'s command, in `cwd`, with only the variables given (plus PATH and HOME). */
async function start(cwd: string, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    cwd,
    // NO_SMEE_SETUP: Probot's registration mode would otherwise create a smee.io channel over the network.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), NO_SMEE_SETUP: 'true', LOG_LEVEL: 'error', ...env },
    stdio: 'ignore',
  });
  started.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      await fetch(base, { redirect: 'manual' });
      return base;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`npm start did not listen on ${base}`);
}

async function expectAppServing(base: string): Promise<void> {
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  const forged = await fetch(`${base}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'd1', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
    body: '{}',
  });
  expect(forged.status).toBe(401);
}

describe('npm start', () => {
  it('without credentials serves the registration page, which registers the App from app.yml', async () => {
    const base = await start(workingDir(), {});
    const home = await fetch(base, { redirect: 'manual' });
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/probot');
    const page = await (await fetch(`${base}/probot`)).text();
    expect(page).toContain('Register GitHub App');
    // The form carries the manifest: app.yml's events and permissions.
    expect(page).toMatch(/workflow_run/);
    expect(page).toMatch(/check_run/);
  }, 30_000);

  it('with credentials in the environment serves the webhooks and /healthz on HOST:PORT', async () => {
    const base = await start(workingDir(), { APP_ID: '1', PRIVATE_KEY, WEBHOOK_SECRET: 'secret' });
    await expectAppServing(base);
  }, 30_000);

  it('with the credentials registration wrote to .env does the same', async () => {
    const dotEnv = `APP_ID=1\nWEBHOOK_SECRET=secret\nPRIVATE_KEY="${PRIVATE_KEY.trim().split('\n').join('\\n')}"\n`;
    const base = await start(workingDir(dotEnv), {});
    await expectAppServing(base);
  }, 30_000);
});
