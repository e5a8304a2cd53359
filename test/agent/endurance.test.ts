// Units of the endurance work: the model catalog, compaction planning and failure, the session's
// limits, reasoning effort on a reused thread, and the steering sources.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentBackend } from '../../core/agent/backend/agent-backend.ts';
import { ExecutionEnvironment } from '../../core/agent/env/environment.ts';
import { modelCatalog, parseCatalog, unpricedModels } from '../../core/agent/llm/catalog.ts';
import { LlmError, type LlmProvider, type LlmRequest, type Message } from '../../core/agent/llm/types.ts';
import type { AgentEvent } from '../../core/agent/loop/agent-events.ts';
import { Budget, BudgetExhaustedError } from '../../core/agent/loop/budget.ts';
import { COMPACTION_SYSTEM_PROMPT, planCompaction, windowFromError } from '../../core/agent/loop/compaction.ts';
import { Session } from '../../core/agent/loop/session.ts';
import { SteeringFile, ThrottledSteering } from '../../core/agent/loop/steering.ts';
import { portableTools } from '../../core/agent/tools/portable-tools.ts';
import type { CodergenRequest } from '../../core/engine/backend.ts';
import { Context } from '../../core/engine/context.ts';
import { buildGraph } from '../support/graph-builder.ts';
import { replay, tempDir } from './helpers.ts';

let work: ReturnType<typeof tempDir>;
beforeEach(() => {
  work = tempDir('endurance-');
});
afterEach(() => work.cleanup());

const text = (t: string): Message => ({ role: 'user', content: [{ type: 'text', text: t }] });
const assistant = (t: string): Message => ({ role: 'assistant', content: [{ type: 'text', text: t }, { type: 'tool_call', id: t, name: 'read_file', arguments: { path: t } }] });
const result = (id: string, size: number): Message => ({ role: 'tool', content: [{ type: 'tool_result', tool_call_id: id, content: 'x'.repeat(size) }] });

describe('the model catalog', () => {
  it('prices known models, dated ids as their alias, and an unknown one as null (never 0)', () => {
    const catalog = modelCatalog();
    const usage = { input_tokens: 1_000_000, output_tokens: 100_000, cache_read_tokens: 600_000, cache_write_tokens: 300_000 };
    expect(catalog.costOf('anthropic', 'claude-sonnet-4-5', usage)).toBeCloseTo(0.1 * 3 + 0.6 * 0.3 + 0.3 * 3.75 + 0.1 * 15, 10);
    expect(catalog.costOf('anthropic', 'claude-sonnet-4-5-20250929', { input_tokens: 1_000_000, output_tokens: 0 })).toBeCloseTo(3, 10);
    expect(catalog.costOf('anthropic', 'claude-unknown-9', { input_tokens: 1, output_tokens: 1 })).toBeNull();
    expect(catalog.contextWindow('openai', 'gpt-5.2')).toBe(400_000);
    expect(catalog.costOf('gemini', 'gemini-2.5-pro', { input_tokens: 1_000_000, output_tokens: 0 })).toBeCloseTo(1.25, 10);
  });

  it("merges a user's entry over the shipped one field by field, and adds new models", () => {
    const user = parseCatalog({ models: { 'anthropic/claude-sonnet-4-6': { context_window: 16000 }, 'openai-compatible/*': { usd_per_mtok: { input: 0, output: 0 } } } }, 'test');
    const catalog = modelCatalog(user);
    expect(catalog.contextWindow('anthropic', 'claude-sonnet-4-6')).toBe(16000);
    expect(catalog.priceOf('anthropic', 'claude-sonnet-4-6')).toMatchObject({ input: 3, output: 15 });
    expect(catalog.costOf('openai-compatible', 'llama3', { input_tokens: 10, output_tokens: 10 })).toBe(0);
    expect(unpricedModels(catalog, [{ provider: 'openai-compatible', model: 'x' }, { provider: 'anthropic', model: 'nope' }])).toEqual([{ provider: 'anthropic', model: 'nope' }]);
  });

  it('names the key path and what was wrong in a bad catalog', () => {
    expect(() => parseCatalog({ models: { 'anthropic/x': { usd_per_mtok: { input: -1, output: 1 } } } }, 'my.json')).toThrow(/my\.json.*models\.anthropic\/x\.usd_per_mtok\.input/);
    expect(() => parseCatalog({ models: { nokey: {} } }, 'my.json')).toThrow(/<provider>\/<model>/);
  });
});

describe('budgets', () => {
  it('stop on tokens for a model without a price', () => {
    const budget = new Budget(undefined, 'run', 0, 1000);
    budget.charge(null, { input_tokens: 600, output_tokens: 100 });
    budget.check();
    budget.charge(null, { input_tokens: 400, output_tokens: 1 });
    expect(() => budget.check()).toThrow(BudgetExhaustedError);
    expect(() => budget.check()).toThrow('spent 1101 tokens of 1000');
  });
});

describe('compaction', () => {
  it('keeps the task and a tail that starts at an assistant turn, within the keep budget', () => {
    const messages = [text('task'), assistant('a1'), result('a1', 4000), assistant('a2'), result('a2', 4000), assistant('a3'), result('a3', 4000)];
    const plan = planCompaction(messages, 0, 1500);
    expect(plan.tailStart).toBe(5);
    expect(plan.older).toEqual([1, 2, 3, 4]);
    // Nothing older than the latest turn: nothing to remove.
    expect(planCompaction([text('task'), assistant('a1'), result('a1', 90_000)], 0, 10).older).toEqual([]);
  });

  it("reads the window from Anthropic's overflow message", () => {
    expect(windowFromError(new LlmError('context_length', 'anthropic: context_length (HTTP 400): prompt is too long: 17012 tokens > 16000 maximum', { provider: 'anthropic' }))).toBe(16000);
    expect(windowFromError(new LlmError('context_length', 'Your input exceeds the context window', { provider: 'openai' }))).toBeUndefined();
  });

  it('fails the run with a reason, never a loop, when the history cannot fit even after compacting', async () => {
    let calls = 0;
    const provider: LlmProvider = {
      name: 'test',
      async complete(request: LlmRequest) {
        calls++;
        if (request.system === COMPACTION_SYSTEM_PROMPT) return { message: { role: 'assistant', content: [{ type: 'text', text: 'summary' }] }, finish_reason: 'stop', usage: { input_tokens: 10, output_tokens: 5 }, provider: 'test', model: 'm' };
        throw new LlmError('context_length', 'test: context_length (HTTP 400): prompt is too long: 90000 tokens > 1000 maximum', { provider: 'test', status: 400 });
      },
    };
    const env = new ExecutionEnvironment({ root: work.path });
    const session = new Session({ provider, model: 'm', system: 'sys', tools: portableTools(), env, contextWindow: 200_000 });
    const events: AgentEvent[] = [];
    const run = await session.run('x'.repeat(20_000), { onEvent: (e) => events.push(e) });
    expect(run.stopReason).toBe('context_exhausted');
    expect(run.reason).toMatch(/the task and the latest turn alone exceed the context window of 1000 tokens/);
    expect(calls).toBeLessThan(5);
  });

  it('does not compact a session whose window is unknown until the provider overflows', async () => {
    const provider = replay([{ calls: [{ name: 'glob', args: { pattern: '*' } }] }, { text: 'done' }]);
    const session = new Session({ provider, model: 'm', system: 'sys', tools: portableTools(), env: new ExecutionEnvironment({ root: work.path }) });
    const events: AgentEvent[] = [];
    await session.run('go', { onEvent: (e) => events.push(e) });
    expect(events.some((e) => e.type === 'context_compacted')).toBe(false);
    expect(events.filter((e) => e.type === 'agent_turn').every((e) => e.type === 'agent_turn' && e.context_percent === undefined)).toBe(true);
  });
});

describe('session limits', () => {
  it('max_tool_rounds_per_input ends one input; max_turns counts the whole session', async () => {
    const provider = replay(Array.from({ length: 20 }, (_, i) => ({ calls: [{ name: 'glob', args: { pattern: `${i}*` } }] })));
    const session = new Session({ provider, model: 'm', system: 'sys', tools: portableTools(), env: new ExecutionEnvironment({ root: work.path }) });
    const first = await session.run('one', { maxToolRoundsPerInput: 3, maxTurns: 5 });
    expect(first).toMatchObject({ stopReason: 'max_tool_rounds', turns: 3 });
    expect(first.reason).toContain('max_tool_rounds_per_input');
    const second = await session.run('two', { maxToolRoundsPerInput: 3, maxTurns: 5 });
    expect(second).toMatchObject({ stopReason: 'max_turns', turns: 2 });
    expect(session.turns).toBe(5);
  });
});

describe('a reused thread', () => {
  it("honours each stage's own reasoning_effort and model", async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, plan: { shape: 'box', reasoning_effort: 'high' }, build: { shape: 'box', reasoning_effort: 'low', llm_model: 'm2' }, exit: { shape: 'Msquare' } },
      edges: [['start', 'plan'], ['plan', 'build'], ['build', 'exit']],
    });
    const provider = replay([{ calls: [{ name: 'report_outcome', args: { status: 'success' } }] }, { calls: [{ name: 'report_outcome', args: { status: 'success' } }] }]);
    const backend = createAgentBackend({ providerFor: (node) => ({ provider, model: node.id === 'build' ? 'm2' : 'm1' }), workdir: work.path, env: { PATH: process.env.PATH }, costOf: () => 0 });
    const request = (id: string): CodergenRequest => {
      const stageDir = join(work.path, 'logs', id);
      mkdirSync(stageDir, { recursive: true });
      return { node: graph.nodes.get(id)!, prompt: `do ${id}`, context: new Context({}), graph, logsRoot: join(work.path, 'logs'), stageDir, fidelity: 'full', threadKey: 't', history: { completed_nodes: [], node_outcomes: {} }, signal: new AbortController().signal, emit: () => undefined };
    };
    await backend.run(request('plan'));
    await backend.run(request('build'));
    expect(provider.requests.map((r) => [r.model, r.reasoning_effort])).toEqual([['m1', 'high'], ['m2', 'low']]);
    // The thread carried over: the second stage's request holds the first stage's turns.
    expect(provider.requests[1]!.messages.length).toBeGreaterThan(provider.requests[0]!.messages.length);
  });
});

describe('steering sources', () => {
  it('a steering file yields only whole lines appended after the run started', () => {
    const path = join(work.path, 'steer.txt');
    writeFileSync(path, 'old line\n');
    const file = new SteeringFile(path);
    expect(file.take()).toEqual([]);
    appendFileSync(path, 'first\nsecond, still being wri');
    expect(file.take()).toEqual(['first']);
    appendFileSync(path, 'tten\n\n');
    expect(file.take()).toEqual(['second, still being written']);
    expect(new SteeringFile(join(work.path, 'absent.txt')).take()).toEqual([]);
  });

  it('a throttled source is polled at most once per interval however often it is asked', async () => {
    let now = 0;
    let polls = 0;
    const throttled = new ThrottledSteering({ take: () => [`m${++polls}`] }, 30_000, () => now);
    expect(await throttled.take()).toEqual(['m1']);
    now = 29_999;
    expect(await throttled.take()).toEqual([]);
    now = 30_000;
    expect(await throttled.take()).toEqual(['m2']);
    expect(polls).toBe(2);
  });
});
