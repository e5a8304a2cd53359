// `factory twins check` and `factory twins up` (issue 18 §3–4) as a user runs them: the real
// command as a child process, in a copy of the shop fixture whose payments twin they start.
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { compareExchange, diffJson, parseRecordings, RecordingsError } from '../../core/validation/twins/fidelity.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDirs } from './helpers.ts';

const SHOP = fileURLToPath(new URL('../fixtures/twins/shop', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/factory.js', import.meta.url));
const temp = tempDirs();
afterAll(() => temp.removeAll());

function shopCopy(): string {
  const dir = join(temp.make(), 'shop');
  cpSync(SHOP, dir, { recursive: true });
  return dir;
}

const RECORDINGS = 'twins/payments/recordings.jsonl';

describe('factory twins check', () => {
  it('prints fidelity 0.8 for recordings the twin matches 4 of 5 times, with a diff line for the mismatch', () => {
    const cwd = shopCopy();
    const result = runCli(['twins', 'check', 'payments', '--recordings', RECORDINGS, '--min', '0.8'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe([
      'twin payments: fidelity 0.8 (4 of 5 exchanges match)',
      '  #5 GET /v1/charges: body.has_more expected false, got (absent)',
      'pass: fidelity 0.8 ≥ 0.8',
      '',
    ].join('\n'));
    expect(result.status).toBe(0);
  }, 30_000);

  it('exits 1 below --min (default 1.0), and --json names the mismatching exchange', () => {
    const cwd = shopCopy();
    const strict = runCli(['twins', 'check', 'payments', '--recordings', RECORDINGS, '--min', '0.9'], { cwd });
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('fail: fidelity 0.8 < 0.9');
    expect(runCli(['twins', 'check', 'payments', '--recordings', RECORDINGS], { cwd }).status).toBe(1);
    const json = runCli(['twins', 'check', 'payments', '--recordings', RECORDINGS, '--json', '--min', '0.9'], { cwd });
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      twin: 'payments', fidelity: 0.8, total: 5, matched: 4,
      mismatches: [{ index: 5, field: 'body.has_more', expected: false }],
    });
  }, 60_000);

  it('ignores the volatile keys at any depth and compares everything else', () => {
    const volatile = new Set(['id', 'created']);
    const diffs: Array<{ field: string; expected: unknown; actual: unknown }> = [];
    diffJson({ id: 'a', data: [{ id: 'x', created: 1, amount: 5 }] }, { id: 'b', data: [{ id: 'y', created: 2, amount: 6 }] }, volatile, 'body', diffs);
    expect(diffs).toEqual([{ field: 'body.data[0].amount', expected: 5, actual: 6 }]);
    const recorded = parseRecordings('{"request":{"method":"GET","path":"/x"},"response":{"status":200,"body":{"id":1,"n":[1,2]}}}', 'r.jsonl')[0]!;
    expect(compareExchange(1, recorded, { status: 200, body: '{"id":9,"n":[1,2]}' }, ['id'])).toEqual([]);
    expect(compareExchange(1, recorded, { status: 500, body: '{"id":9,"n":[1]}' }, ['id'])).toEqual([
      { index: 1, field: 'status', expected: 200, actual: 500 },
      { index: 1, field: 'body.n.length', expected: 2, actual: 1 },
    ]);
    expect(compareExchange(1, recorded, { status: 200, body: 'not json' }, [])).toEqual([{ index: 1, field: 'body', expected: { id: 1, n: [1, 2] }, actual: 'not json' }]);
  });

  it('bad input exits 2 with a located message and starts nothing', () => {
    const cwd = shopCopy();
    writeFileSync(join(cwd, 'bad.jsonl'), '{"request":{"method":"GET","path":"/v1/charges"},"response":{"status":200}}\n{"request":{"path":"/x"},"response":{"status":200}}\n');
    const bad = runCli(['twins', 'check', 'payments', '--recordings', 'bad.jsonl'], { cwd });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('factory twins check: bad.jsonl:2: `request.method`: missing');
    writeFileSync(join(cwd, 'cut.jsonl'), '{"request":');
    expect(runCli(['twins', 'check', 'payments', '--recordings', 'cut.jsonl'], { cwd }).stderr).toMatch(/^factory twins check: cut\.jsonl:1: not a JSON object/);
    expect(runCli(['twins', 'check', 'payments', '--recordings', 'missing.jsonl'], { cwd }).stderr.trim()).toBe('factory twins check: cannot read missing.jsonl: ENOENT');
    const unknown = runCli(['twins', 'check', 'stripe', '--recordings', RECORDINGS], { cwd });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe('factory twins check: .github/factory.yml declares no twin "stripe" (declared: payments)');
    expect(runCli(['twins', 'check', 'payments', '--recordings', RECORDINGS, '--min', '1.5'], { cwd }).stderr.trim()).toBe('factory twins check: --min must be a number from 0 to 1, got "1.5"');
    expect(runCli(['twins', 'check', 'payments'], { cwd }).status).toBe(2);
    expect(runCli(['twins', 'fly'], { cwd }).status).toBe(2);
    expect(() => parseRecordings('\n\n', 'empty.jsonl')).toThrow(RecordingsError);
  }, 90_000);

  it('a twin that does not become healthy exits 1 naming the twin', () => {
    const cwd = shopCopy();
    const config = join(cwd, '.github', 'factory.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('node twins/payments/server.js', 'node -e \'process.exit(3)\''));
    const result = runCli(['twins', 'check', 'payments', '--recordings', RECORDINGS], { cwd });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('factory twins check: twin "payments" exited (code 3) before its health check answered');
  }, 30_000);
});

describe('factory twins up', () => {
  it('starts the twins, prints their variables, serves until interrupted and stops them', async () => {
    const cwd = shopCopy();
    const child = spawn(process.execPath, [BIN, 'twins', 'up'], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout });
    const url = await new Promise<string>((done, fail) => {
      child.on('exit', (code) => fail(new Error(`exited early with ${String(code)}`)));
      reader.on('line', (line) => {
        lines.push(line);
        const match = /^PAYMENTS_API_URL=(http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (match) done(match[1]!);
      });
    });
    expect(lines[0]).toBe(`# twin payments: ${url}`);
    const answer = await fetch(`${url}/v1/customers`, { method: 'POST', body: JSON.stringify({ id: 'cus_local' }) });
    expect(answer.status).toBe(201);
    const exited = new Promise<number | null>((done) => {
      child.removeAllListeners('exit');
      child.on('exit', (code) => done(code));
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  }, 30_000);

  it('refuses a config without twins', () => {
    const cwd = shopCopy();
    const config = join(cwd, '.github', 'factory.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/twins:[\s\S]*$/, ''));
    const result = runCli(['twins', 'up'], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('factory twins: .github/factory.yml declares no twins (add a `twins:` section; see docs/twins.md)');
  });
});
