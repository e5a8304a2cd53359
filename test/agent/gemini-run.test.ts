// `factory run --model gemini/<model>` against the Gemini wire format on 127.0.0.1: the agent
// writes a file through Gemini's tools, reports its outcome, and the run records usage and cost.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../validation/helpers.ts';
import { startWireServer, type WireServer } from '../support/wire-server.ts';

let wire: WireServer;
let dir: string;
beforeAll(async () => {
  wire = await startWireServer();
  dir = mkdtempSync(join(tmpdir(), 'gemini-run-'));
});
afterAll(async () => {
  await wire.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('factory run --model gemini/<model>', () => {
  it('writes a file through Gemini\'s tools, reports the outcome and records usage', async () => {
    const graph = join(dir, 'hello.dot');
    writeFileSync(graph, `digraph hello {
      graph [goal="Say hello"]
      start [shape=Mdiamond]
      write [prompt="Write hello.txt containing hello"]
      done [shape=Msquare]
      start -> write -> done
    }`);
    wire.push(
      { turn: { reasoning: { text: 'write it', signature: 'c2ln' }, tool_calls: [{ id: 'g1', name: 'write_file', arguments: { file_path: 'hello.txt', content: 'hello\n' } }], usage: { input: 2000, output: 40, cache_read: 1500, reasoning: 10 } } },
      { turn: { tool_calls: [{ id: 'g2', name: 'report_outcome', arguments: { status: 'success', notes: 'wrote hello.txt' } }], usage: { input: 2100, output: 20 } } },
    );
    const result = await runCli(['run', graph, '--logs', join(dir, 'logs'), '--workdir', dir, '--model', 'gemini/gemini-2.5-pro', '--json'], {
      PATH: process.env.PATH,
      GEMINI_API_KEY: 'test-key',
      GEMINI_BASE_URL: wire.url,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello\n');
    const outcome = JSON.parse(result.stdout) as { status: string; node_outcomes: Record<string, { status: string; notes?: string }>; usage?: Record<string, number>; cost_usd?: number };
    expect(outcome.status).toBe('success');
    expect(outcome.node_outcomes.write).toMatchObject({ status: 'success', notes: 'wrote hello.txt' });
    expect(wire.requests.map((r) => r.path)).toEqual(['/v1beta/models/gemini-2.5-pro:streamGenerateContent', '/v1beta/models/gemini-2.5-pro:streamGenerateContent']);
    const tools = (wire.requests[0]!.body as { tools: { functionDeclarations: { name: string }[] }[] }).tools[0]!.functionDeclarations.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['read_file', 'read_many_files', 'write_file', 'edit', 'shell', 'grep', 'glob', 'list_dir', 'report_outcome']));
    // Usage, cached and thought tokens included, is recorded per turn in events.jsonl.
    const events = readFileSync(join(dir, 'logs', 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; usage?: Record<string, number> });
    const turns = events.filter((e) => e.type === 'agent_turn');
    expect(turns.map((t) => t.usage)).toEqual([
      { input_tokens: 2000, output_tokens: 40, cache_read_tokens: 1500, reasoning_tokens: 10 },
      { input_tokens: 2100, output_tokens: 20, cache_read_tokens: 0, reasoning_tokens: 0 },
    ]);
  }, 60_000);
});
