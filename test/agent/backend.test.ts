import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentBackend, NO_OUTCOME_REMINDER, type AgentBackendOptions } from '../../core/agent/backend/agent-backend.ts';
import { fidelityPreamble } from '../../core/agent/backend/fidelity-preamble.ts';
import type { CodergenRequest, FidelityMode, RunHistory } from '../../core/engine/backend.ts';
import { Context } from '../../core/engine/context.ts';
import { isTerminalError } from '../../core/engine/errors.ts';
import type { EventInput } from '../../core/engine/events.ts';
import type { Graph } from '../../core/engine/graph.ts';
import { buildGraph } from '../support/graph-builder.ts';
import { lastUserText, replay, tempDir, toolResults, type ReplayProvider, type Turn } from './helpers.ts';

let work: ReturnType<typeof tempDir>;
let logs: ReturnType<typeof tempDir>;
beforeEach(() => {
  work = tempDir('work-');
  logs = tempDir('logs-');
});
afterEach(() => {
  work.cleanup();
  logs.cleanup();
});

const graph: Graph = buildGraph({
  attrs: { goal: 'ship the widget' },
  nodes: { start: { shape: 'Mdiamond' }, implement: { shape: 'box', prompt: 'Implement it' }, review: { shape: 'box' }, fix: { shape: 'box' }, exit: { shape: 'Msquare' } },
  edges: [['start', 'implement'], ['implement', 'review', { label: 'done' }], ['implement', 'fix', { label: 'broken' }], ['review', 'exit'], ['fix', 'exit']],
});

const emptyHistory: RunHistory = { completed_nodes: [], node_outcomes: {} };
const fixedClock = () => Date.parse('2026-03-04T05:06:07Z');

function request(nodeId: string, overrides: Partial<CodergenRequest> = {}): CodergenRequest & { events: EventInput[] } {
  const stageDir = join(logs.path, nodeId);
  mkdirSync(stageDir, { recursive: true });
  const events: EventInput[] = [];
  return {
    node: graph.nodes.get(nodeId)!,
    prompt: 'Implement it',
    context: new Context({ 'run.id': 'run-42', 'graph.goal': 'ship the widget' }),
    graph,
    logsRoot: logs.path,
    stageDir,
    fidelity: 'compact',
    history: emptyHistory,
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
    events,
    ...overrides,
  };
}

function backend(provider: ReplayProvider, extra: Partial<AgentBackendOptions> = {}) {
  return createAgentBackend({ providerFor: () => ({ provider, model: 'm1' }), workdir: work.path, env: { PATH: process.env.PATH }, clock: fixedClock, costOf: () => 0.01, ...extra });
}

const report = (args: Record<string, unknown>): Turn => ({ calls: [{ name: 'report_outcome', args }] });

describe('the codergen backend', () => {
  it('runs the agent and returns the reported outcome with usage and cost', async () => {
    const provider = replay([
      { calls: [{ name: 'write_file', args: { path: 'widget.txt', content: 'widget' } }] },
      { text: 'Wrote the widget.', ...report({ status: 'success', preferred_label: 'done', notes: 'widget written', context_updates: { files: 1 } }) },
    ]);
    const req = request('implement');
    const outcome = await backend(provider).run(req);
    expect(outcome).toEqual({
      status: 'success',
      preferred_label: 'done',
      notes: 'widget written',
      context_updates: { files: 1 },
      usage: { input_tokens: 200, output_tokens: 20, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 },
      cost_usd: 0.02,
    });
    expect(readFileSync(join(work.path, 'widget.txt'), 'utf8')).toBe('widget');
    expect(readFileSync(join(req.stageDir, 'response.md'), 'utf8')).toBe('Wrote the widget.');
    expect(req.events.map((e) => e.type)).toEqual(['agent_turn', 'agent_tool_call', 'agent_turn', 'agent_tool_call']);
    expect(req.events[0]).toMatchObject({ node_id: 'implement', turn: 1, cost_usd: 0.01 });
  });

  it('builds the layered system prompt with the portable tools for an unknown provider', async () => {
    writeFileSync(join(work.path, 'AGENTS.md'), 'Always run npm test.');
    writeFileSync(join(work.path, 'CLAUDE.md'), 'Claude-only notes.');
    const provider = replay([report({ status: 'success', preferred_label: 'done' })]);
    await backend(provider).run(request('implement'));
    const system = provider.requests[0]!.system;
    const order = ['coding agent', 'Working directory: ', 'Date: 2026-03-04', 'Always run npm test.', 'Goal: ship the widget', '<stage id="implement">', 'Implement it', '"done", "broken"'].map((s) => system.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(system).not.toContain('Claude-only notes.');
    expect(provider.requests[0]!.tools.map((t) => t.name)).toEqual(['read_file', 'write_file', 'edit_file', 'shell', 'grep', 'glob', 'spawn_agent', 'send_input', 'wait', 'close_agent', 'report_outcome']);
  });

  it('gives anthropic models the Claude Code tools and CLAUDE.md', async () => {
    writeFileSync(join(work.path, 'CLAUDE.md'), 'Claude-only notes.');
    const provider = replay([report({ status: 'success', preferred_label: 'done' })], 'anthropic');
    await backend(provider).run(request('implement'));
    expect(provider.requests[0]!.tools.map((t) => t.name)).toEqual(['Read', 'Write', 'Edit', 'Bash', 'Grep', 'Glob', 'spawn_agent', 'send_input', 'wait', 'close_agent', 'report_outcome']);
    expect(provider.requests[0]!.system).toContain('Claude-only notes.');
  });

  it('rejects a label that is not an outgoing edge label back to the model', async () => {
    const provider = replay([report({ status: 'success', preferred_label: 'shipit' }), report({ status: 'fail', preferred_label: 'broken', notes: 'tests fail' })]);
    const outcome = await backend(provider).run(request('implement'));
    const rejected = toolResults(provider.requests[1])[0]!;
    expect(rejected.isError).toBe(true);
    expect(rejected.content).toMatch(/preferred_label/);
    expect(rejected.content).toMatch(/"done"\|"broken"|done.*broken/);
    expect(outcome).toMatchObject({ status: 'fail', preferred_label: 'broken', failure_reason: 'tests fail' });
  });

  it('sends one reminder when no outcome is reported, then fails with "no outcome reported"', async () => {
    const provider = replay([{ text: 'I think I am done.' }, { text: 'Really done.' }]);
    const req = request('implement');
    const outcome = await backend(provider).run(req);
    expect(provider.requests).toHaveLength(2);
    expect(lastUserText(provider.requests[1])).toBe(NO_OUTCOME_REMINDER);
    expect(outcome).toMatchObject({ status: 'fail', failure_reason: 'no outcome reported', cost_usd: 0.02 });
    expect(readFileSync(join(req.stageDir, 'response.md'), 'utf8')).toBe('Really done.');
  });

  it('accepts an outcome reported after the reminder', async () => {
    const provider = replay([{ text: 'done' }, report({ status: 'partial_success', preferred_label: 'done' })]);
    expect(await backend(provider).run(request('implement'))).toMatchObject({ status: 'partial_success', preferred_label: 'done' });
  });

  it('fails the stage when the agent loops', async () => {
    const provider = replay(Array.from({ length: 10 }, () => ({ calls: [{ name: 'glob', args: { pattern: '*' } }] })));
    expect(await backend(provider).run(request('implement'))).toMatchObject({ status: 'fail', failure_reason: expect.stringMatching(/loop detected/) });
  });

  it('stops with a terminal budget error across stages of the run', async () => {
    const provider = replay([report({ status: 'success', preferred_label: 'done' }), report({ status: 'success', preferred_label: 'done' })]);
    const b = backend(provider, { maxUsd: 0.015, costOf: () => 0.01 });
    await b.run(request('implement'));
    const error = await b.run(request('implement')).catch((e: unknown) => e);
    expect(isTerminalError(error)).toBe(true);
    expect((error as Error).message).toBe('budget exhausted: spent $0.0200 of $0.015');
  });

  it('honours a per-stage max_usd', async () => {
    const g = buildGraph({ nodes: { a: { shape: 'box', max_usd: 0.005 } } });
    const provider = replay([{ calls: [{ name: 'glob', args: { pattern: '*' } }] }]);
    const error = await backend(provider).run(request('implement', { graph: g, node: g.nodes.get('a')! })).catch((e: unknown) => e);
    expect((error as Error).message).toBe('budget exhausted: spent $0.0100 of $0.005 for this stage');
  });

  it('reuses the session of a thread under full fidelity and starts fresh otherwise', async () => {
    const provider = replay([report({ status: 'success', preferred_label: 'done' }), report({ status: 'success' }), report({ status: 'success' })]);
    const b = backend(provider);
    await b.run(request('implement', { fidelity: 'full', threadKey: 't1' }));
    await b.run(request('review', { fidelity: 'full', threadKey: 't1', prompt: 'Review it' }));
    expect(provider.requests[1]!.system).toBe(provider.requests[0]!.system);
    expect(provider.requests[1]!.messages.length).toBeGreaterThan(provider.requests[0]!.messages.length);
    expect(lastUserText(provider.requests[1])).toContain('Review it');
    expect(provider.requests[1]!.tools.find((t) => t.name === 'report_outcome')!.description).not.toContain('"broken"');
    await b.run(request('fix', { fidelity: 'full', threadKey: 't2', prompt: 'Fix it' }));
    expect(provider.requests[2]!.messages).toHaveLength(1);
  });
});

describe('steering', () => {
  it('a message steered into a running stage reaches the model before its next turn', async () => {
    const inner = replay([{ calls: [{ name: 'glob', args: { pattern: '*' } }] }, report({ status: 'success', preferred_label: 'done' })]);
    const steered: { count?: number } = {};
    const provider: ReplayProvider = {
      name: 'test',
      requests: inner.requests,
      complete: async (req) => {
        if (inner.requests.length === 0) steered.count = b.steer('prefer small changes');
        return inner.complete(req);
      },
    };
    const b = backend(provider);
    expect(b.steer('nobody is listening')).toBe(0);
    await b.run(request('implement'));
    expect(steered.count).toBe(1);
    expect(lastUserText(inner.requests[1])).toBe('prefer small changes');
  });
});

describe('fidelity preambles', () => {
  const history: RunHistory = {
    completed_nodes: ['start', 'plan', 'implement'],
    node_outcomes: {
      plan: { status: 'success', notes: 'planned three steps' },
      implement: { status: 'fail', preferred_label: 'broken', failure_reason: 'tests red', notes: 'x'.repeat(1000) },
    },
  };
  const preamble = (mode: FidelityMode) => fidelityPreamble({ mode, goal: 'ship', runId: 'r1', history, context: { last_stage: 'implement', 'internal.retry_count.x': 1 } });

  it('differ per mode, with more detail as the level rises', () => {
    const modes: FidelityMode[] = ['truncate', 'compact', 'summary:low', 'summary:medium', 'summary:high'];
    const texts = modes.map(preamble);
    expect(new Set(texts).size).toBe(modes.length);
    expect(texts[0]).toBe('Goal: ship\nRun id: r1');
    expect(texts[1]).toContain('- plan: success — planned three steps');
    expect(texts[1]).toContain('- implement: fail (label: broken) — failure: tests red');
    expect(texts[2]).not.toContain('planned three steps');
    expect(texts[3]).toContain('last_stage = implement');
    expect(texts[3]).not.toContain('internal.');
    expect(texts[4]!.length).toBeGreaterThan(texts[3]!.length);
  });
});
