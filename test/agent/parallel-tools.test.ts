// Tool calls of one turn run concurrently (bounded, same-path writes serialised) and their results
// go back in one message in call order — against every provider's wire format on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionEnvironment } from '../../core/agent/env/environment.ts';
import { resolveProvider } from '../../core/agent/llm/resolve.ts';
import { dispatchConcurrently } from '../../core/agent/loop/tool-dispatch.ts';
import { Session } from '../../core/agent/loop/session.ts';
import { toolFamilyFor, toolSetFor } from '../../core/agent/tools/tool-set.ts';
import { replay, tempDir, toolResults } from './helpers.ts';
import { startWireServer, type RecordedRequest, type WireServer } from '../support/wire-server.ts';

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('dispatchConcurrently', () => {
  it('runs at most the bound at once and starts the next call as one finishes', async () => {
    const gates = Array.from({ length: 6 }, deferred);
    const started: number[] = [];
    const run = dispatchConcurrently(
      gates.map((gate, i) => ({ writes: [], run: async () => void (started.push(i), await gate.promise) })),
      4,
    );
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2]!.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const gate of gates) gate.resolve();
    await run;
    expect(started).toHaveLength(6);
  });

  it('serialises calls that write the same path, in call order, and lets others overlap', async () => {
    const gates = Array.from({ length: 3 }, deferred);
    const started: number[] = [];
    const run = dispatchConcurrently([
      { writes: ['/w/a'], run: async () => void (started.push(0), await gates[0]!.promise) },
      { writes: ['/w/b'], run: async () => void (started.push(1), await gates[1]!.promise) },
      { writes: ['/w/a'], run: async () => void (started.push(2), await gates[2]!.promise) },
    ]);
    await settle();
    expect(started).toEqual([0, 1]);
    gates[0]!.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.resolve();
    gates[2]!.resolve();
    await run;
  });

  it('waits for every call before rejecting with the first failure', async () => {
    let finished = false;
    const slow = deferred();
    const run = dispatchConcurrently([
      { writes: [], run: async () => Promise.reject(new Error('boom')) },
      { writes: [], run: async () => void (await slow.promise, (finished = true)) },
    ]);
    await settle();
    slow.resolve();
    await expect(run).rejects.toThrow('boom');
    expect(finished).toBe(true);
  });
});

describe('the session', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it('returns every result in call order in one message, and serialises two writes of one file', async () => {
    const provider = replay([
      {
        calls: [
          { name: 'shell', args: { command: 'sleep 0.3; echo first' } },
          { name: 'write_file', args: { path: 'same.txt', content: 'one' } },
          { name: 'shell', args: { command: 'echo second' } },
          { name: 'write_file', args: { path: './same.txt', content: 'two' } },
        ],
      },
    ]);
    const env = new ExecutionEnvironment({ root: dir.path, env: { PATH: process.env.PATH } });
    const session = new Session({ provider, model: 'm', system: 's', tools: toolSetFor('portable'), env });
    await session.run('go');
    const results = toolResults(provider.requests[1]);
    expect(results.map((r) => r.id)).toEqual(['c0_0', 'c0_1', 'c0_2', 'c0_3']);
    expect(results[0]!.content).toContain('first');
    expect(results[2]!.content).toContain('second');
    expect(session.messages.filter((m) => m.role === 'tool')).toHaveLength(1);
    // The second write of the same path ran after the first.
    expect(readFileSync(join(dir.path, 'same.txt'), 'utf8')).toBe('two');
  });
});

// ---------- against each provider's wire format ----------

interface WireCase {
  spec: string;
  env(wire: WireServer): Record<string, string>;
  /** The ids of the tool results the request carries, in order, and how many messages hold them. */
  results(request: RecordedRequest): { ids: string[]; messages: number };
  /** How the request asks for parallel calls, where the API has the switch. */
  asks?: Record<string, unknown>;
}

type Body = Record<string, unknown>;

const CASES: Record<string, WireCase> = {
  anthropic: {
    spec: 'anthropic/claude-sonnet-4-5',
    env: (wire) => ({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: wire.url }),
    asks: { tool_choice: { type: 'auto', disable_parallel_tool_use: false } },
    results: (request) => {
      const messages = ((request.body as Body).messages as { content: { type: string; tool_use_id?: string }[] | string }[]).filter(
        (m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result'),
      );
      return { ids: messages.flatMap((m) => (m.content as { type: string; tool_use_id?: string }[]).flatMap((b) => (b.tool_use_id ? [b.tool_use_id] : []))), messages: messages.length };
    },
  },
  openai: {
    spec: 'openai/gpt-5.2',
    env: (wire) => ({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: wire.openaiBaseURL }),
    asks: { parallel_tool_calls: true },
    // Responses input is a flat item list; the outputs of one turn are consecutive items.
    results: (request) => {
      const items = (request.body as Body).input as { type?: string; call_id?: string }[];
      const outputs = items.flatMap((item, index) => (item.type === 'function_call_output' ? [index] : []));
      const consecutive = outputs.every((at, i) => i === 0 || at === outputs[i - 1]! + 1);
      return { ids: outputs.map((at) => items[at]!.call_id!), messages: consecutive ? 1 : outputs.length };
    },
  },
  'openai-compatible': {
    spec: 'openai-compatible/qwen3-coder',
    env: (wire) => ({ OPENAI_BASE_URL: wire.openaiBaseURL }),
    asks: { parallel_tool_calls: true },
    results: (request) => {
      const messages = (request.body as Body).messages as { role: string; tool_call_id?: string }[];
      return { ids: messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id!), messages: 1 };
    },
  },
  gemini: {
    spec: 'gemini/gemini-2.5-pro',
    env: (wire) => ({ GEMINI_API_KEY: 'k', GEMINI_BASE_URL: wire.url }),
    results: (request) => {
      const contents = (request.body as Body).contents as { parts: { functionResponse?: { id?: string } }[] }[];
      const holding = contents.filter((c) => c.parts.some((p) => p.functionResponse));
      return { ids: holding.flatMap((c) => c.parts.flatMap((p) => (p.functionResponse ? [p.functionResponse.id ?? ''] : []))), messages: holding.length };
    },
  },
};

describe.each(Object.entries(CASES))('three sleeping shell calls in one %s turn', (name, wireCase) => {
  let wire: WireServer;
  let dir: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    wire = await startWireServer();
  });
  afterAll(async () => {
    await wire.close();
  });
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it('run overlapping, and the next request carries all three results in call order', async () => {
    const { provider, model } = resolveProvider(wireCase.spec, wireCase.env(wire), { retry: false });
    const family = toolFamilyFor(provider.name);
    const tools = toolSetFor(family);
    const shell = tools.find((tool) => tool.kind === 'shell')!.name;
    const command = (n: number) => `node -e "console.log(Date.now())" > start${n}; sleep 1; node -e "console.log(Date.now())" > end${n}`;
    const ids = ['call_a', 'call_b', 'call_c'];
    wire.push(
      { turn: { tool_calls: ids.map((id, n) => ({ id, name: shell, arguments: { command: command(n) } })) } },
      { turn: { text: 'all three ran' } },
    );
    const env = new ExecutionEnvironment({ root: dir.path, env: { PATH: process.env.PATH } });
    const session = new Session({ provider, model, system: 's', tools, env });
    const result = await session.run('run the three commands');
    expect(result.finalText).toBe('all three ran');

    const read = (file: string) => Number(readFileSync(join(dir.path, file), 'utf8').trim());
    const starts = [0, 1, 2].map((n) => read(`start${n}`));
    const ends = [0, 1, 2].map((n) => read(`end${n}`));
    // Overlap: every command started before any of them ended.
    expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));

    if (wireCase.asks) expect(wire.requests[0]!.body).toMatchObject(wireCase.asks);
    const second = wireCase.results(wire.requests[1]!);
    expect(second.messages).toBe(1);
    expect(second.ids).toHaveLength(3);
    if (name !== 'gemini') expect(second.ids).toEqual(ids);
  });
});
