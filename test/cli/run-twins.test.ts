// `factory run` with twins (issue 18 §3): the product's declared twins run for the length of the
// run, and their variables reach tool stages and the coding agent's shell — the same twin the
// validation uses, so the agents develop against it. Real processes, a real twin.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../support/run-cli.ts';
import { tempDirs } from './helpers.ts';

const SHOP = fileURLToPath(new URL('../fixtures/twins/shop', import.meta.url));
const temp = tempDirs();
afterAll(() => temp.removeAll());

const CALL_TWIN = 'node -e "fetch(process.env.PAYMENTS_API_URL + \'/v1/customers\', { method: \'POST\', body: JSON.stringify({ id: \'cus_tool\' }) }).then((r) => console.log(\'twin answered\', r.status))"';

function setup(): { workdir: string; graph: string; logs: string; script: string } {
  const dir = temp.make();
  const workdir = join(dir, 'shop');
  cpSync(SHOP, workdir, { recursive: true });
  const graph = join(dir, 'twins.dot');
  writeFileSync(graph, [
    'digraph twins {',
    '  graph [goal = "Use the payments twin"]',
    '  start [shape=Mdiamond]',
    '  done [shape=Msquare]',
    '  code [prompt = "Call the payments twin from the shell."]',
    `  probe [shape=parallelogram, tool_command=${JSON.stringify(CALL_TWIN)}]`,
    '  start -> code -> probe -> done',
    '}',
  ].join('\n'));
  const script = join(dir, 'script.json');
  writeFileSync(script, JSON.stringify({
    stages: {
      code: [
        { tool_calls: [{ name: 'shell', arguments: { command: `${CALL_TWIN.replace('cus_tool', 'cus_agent')} && echo "url=$PAYMENTS_API_URL"` } }] },
        { tool_calls: [{ name: 'report_outcome', arguments: { status: 'success', notes: 'called the twin' } }] },
      ],
    },
  }));
  return { workdir, graph, logs: join(dir, 'logs'), script };
}

describe('factory run with twins', () => {
  it('starts the twins of <workdir>/.github/factory.yml; tool stages and the agent shell reach them', () => {
    const { workdir, graph, logs, script } = setup();
    const result = runCli(['run', graph, '--logs', logs, '--workdir', workdir, '--model', `scripted:${script}`, '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readFileSync(join(logs, 'probe', 'tool_output.txt'), 'utf8')).toContain('twin answered 201');
    const events = readFileSync(join(logs, 'events.jsonl'), 'utf8');
    expect(events).toContain('twin answered 201');
    expect(events).toMatch(/url=http:\/\/127\.0\.0\.1:\d+/);
  }, 60_000);

  it('says which twins run on a terminal-less human run, and --config names another config', () => {
    const { workdir, graph, logs, script } = setup();
    const config = join(workdir, '.github', 'factory.yml');
    const elsewhere = join(temp.make(), 'factory.yml');
    writeFileSync(elsewhere, readFileSync(config, 'utf8').replace('node twins/payments/server.js', `node ${join(workdir, 'twins/payments/server.js')}`));
    writeFileSync(config, 'version: 1\n');
    const result = runCli(['run', graph, '--logs', logs, '--workdir', workdir, '--model', `scripted:${script}`, '--config', elsewhere]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^twin payments: http:\/\/127\.0\.0\.1:\d+$/m);
    expect(readFileSync(join(logs, 'probe', 'tool_output.txt'), 'utf8')).toContain('twin answered 201');
  }, 60_000);

  it('a twin that does not start stops the run before any stage, naming the twin (exit 2)', () => {
    const { workdir, graph, logs, script } = setup();
    const config = join(workdir, '.github', 'factory.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('node twins/payments/server.js', "node -e 'process.exit(4)'"));
    const result = runCli(['run', graph, '--logs', logs, '--workdir', workdir, '--model', `scripted:${script}`]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`factory run: twin "payments" exited (code 4) before its health check answered (twins of ${config})`);
  }, 60_000);
});
