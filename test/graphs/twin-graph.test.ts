// graphs/twin.dot (issue 18 §5): builds a twin from its description and recordings, gated by
// `factory twins check`. On real processes: a scripted session first writes a twin that answers one
// recorded exchange wrongly, the gate sends it to `fix`, the fixed twin passes and the run is done.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli, REPO_ROOT } from '../support/run-cli.ts';
import { tempDirs } from '../cli/helpers.ts';

const GRAPH = join(REPO_ROOT, 'graphs', 'twin.dot');
const SHOP = fileURLToPath(new URL('../fixtures/twins/shop', import.meta.url));
const BIN = join(REPO_ROOT, 'bin', 'factory.js');
const temp = tempDirs();
afterAll(() => temp.removeAll());

const write = (path: string, content: string) => ({ tool_calls: [{ name: 'write_file', arguments: { path, content } }] });
const done = (notes: string) => ({ tool_calls: [{ name: 'report_outcome', arguments: { status: 'success', notes } }] });

describe('graphs/twin.dot', () => {
  it('lints clean', () => {
    const result = runCli(['lint', GRAPH, '--json']);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { ok: boolean }).ok).toBe(true);
  });

  it('builds a twin until factory twins check passes: a mismatch goes to fix, the fixed twin is done', () => {
    const dir = temp.make();
    const workdir = join(dir, 'shop');
    cpSync(SHOP, workdir, { recursive: true });
    const twin = readFileSync(join(SHOP, 'twins', 'payments', 'server.js'), 'utf8');
    rmSync(join(workdir, 'twins', 'payments', 'server.js'));
    const script = join(dir, 'script.json');
    const wrong = twin.replace("return send(response, 201, { id: body.id, object: 'customer' });", "return send(response, 200, { id: body.id, object: 'customer' });");
    expect(wrong).not.toBe(twin);
    const turns = { stages: {
      study: [done('POST /v1/customers → 201; POST /v1/charges → 201 | 400 | 404; GET /v1/charges → list')],
      build: [write('twins/payments/server.js', wrong), done('wrote the twin')],
      fix: [write('twins/payments/server.js', twin), done('customers answer 201')],
    } };
    writeFileSync(script, JSON.stringify(turns));
    const logs = join(dir, 'logs');
    const result = runCli(['run', GRAPH, '--logs', logs, '--workdir', workdir, '--model', `scripted:${script}`, '--json', '--no-twins'], {
      env: { FACTORY_TWIN: 'payments', FACTORY_TWIN_MIN: '0.8', FACTORY: `${process.execPath} ${BIN}` },
    });
    const outcome = JSON.parse(result.stdout) as { status: string; completed_nodes: string[] };
    expect(outcome.completed_nodes).toEqual(['start', 'study', 'build', 'fidelity', 'fix', 'fidelity', 'done']);
    expect(outcome.status).toBe('success');
    expect(result.status).toBe(0);
    const checks = readFileSync(join(logs, 'fidelity', 'tool_output.txt'), 'utf8');
    expect(checks).toContain('twin payments: fidelity 0.8 (4 of 5 exchanges match)');
  }, 120_000);
});
