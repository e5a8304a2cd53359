// Subagents (spec §7) against the Anthropic wire format on 127.0.0.1: spawn_agent starts a child
// whose own requests reach the model, whose file lands in the workspace, and whose final text is
// wait's result; children share the budget, tag their events and stop with the stage.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentBackend } from '../../core/agent/backend/agent-backend.ts';
import { resolveProvider } from '../../core/agent/llm/resolve.ts';
import type { CodergenRequest } from '../../core/engine/backend.ts';
import { Context } from '../../core/engine/context.ts';
import type { EventInput } from '../../core/engine/events.ts';
import type { Graph } from '../../core/engine/graph.ts';
import { buildGraph } from '../support/graph-builder.ts';
import { startWireServer, type WireServer } from '../support/wire-server.ts';
import { replay, tempDir, toolResults } from './helpers.ts';

const graph: Graph = buildGraph({
  nodes: { start: { shape: 'Mdiamond' }, implement: { shape: 'box', prompt: 'Implement it' }, exit: { shape: 'Msquare' } },
  edges: [['start', 'implement'], ['implement', 'exit']],
});

let work: ReturnType<typeof tempDir>;
let logs: ReturnType<typeof tempDir>;
beforeEach(() => {
  work = tempDir('work-');
  logs = tempDir('logs-');
  mkdirSync(join(work.path, 'pkg'));
});
afterEach(() => {
  work.cleanup();
  logs.cleanup();
});

function stage(events: EventInput[]): CodergenRequest {
  const stageDir = join(logs.path, 'implement');
  mkdirSync(stageDir, { recursive: true });
  return {
    node: graph.nodes.get('implement')!,
    prompt: 'Implement it',
    context: new Context({ 'run.id': 'r1' }),
    graph,
    logsRoot: logs.path,
    stageDir,
    fidelity: 'compact',
    history: { completed_nodes: [], node_outcomes: {} },
    signal: new AbortController().signal,
    emit: (event) => events.push(event),
  };
}

interface AnthropicBody {
  system?: { text: string }[];
  tools?: { name: string }[];
  messages: { role: string; content: { type: string; content?: string; tool_use_id?: string }[] }[];
}

describe('subagents through the Anthropic wire', () => {
  let wire: WireServer;
  beforeAll(async () => {
    wire = await startWireServer();
  });
  afterAll(async () => {
    await wire.close();
  });

  it('a spawned child makes its own requests, writes its file, and its final text is the result of wait', async () => {
    wire.push(
      // The parent: spawn and wait in one turn, so the wire queue's order is fixed.
      { turn: { tool_calls: [
        { id: 'p1', name: 'spawn_agent', arguments: { task: 'Write note.txt saying hi', working_dir: 'pkg' } },
        { id: 'p2', name: 'wait', arguments: { agent_id: 'agent-1' } },
      ] } },
      // The child.
      { turn: { tool_calls: [{ id: 'c1', name: 'Write', arguments: { file_path: 'note.txt', content: 'hi\n' } }], usage: { input: 100, output: 10 } } },
      { turn: { text: 'child wrote note.txt', usage: { input: 120, output: 8 } } },
      // The parent again.
      { turn: { tool_calls: [{ id: 'p3', name: 'report_outcome', arguments: { status: 'success', notes: 'delegated' } }] } },
    );
    const { provider, model } = resolveProvider('anthropic/claude-sonnet-4-5', { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: wire.url }, { retry: false });
    const events: EventInput[] = [];
    const outcome = await createAgentBackend({ providerFor: () => ({ provider, model }), workdir: work.path, env: { PATH: process.env.PATH }, costOf: () => 0.01 }).run(stage(events));

    expect(outcome.status).toBe('success');
    expect(readFileSync(join(work.path, 'pkg', 'note.txt'), 'utf8')).toBe('hi\n');
    expect(wire.requests).toHaveLength(4);
    const parent = wire.requests[0]!.body as AnthropicBody;
    const child = wire.requests[1]!.body as AnthropicBody;
    expect(parent.tools!.map((t) => t.name)).toEqual(expect.arrayContaining(['spawn_agent', 'send_input', 'wait', 'close_agent', 'report_outcome']));
    // The child has its own history (only its task), a subagent's prompt, and no subagent tools at depth 1.
    expect(child.messages[0]!.content).toEqual([expect.objectContaining({ type: 'text', text: 'Write note.txt saying hi' })]);
    expect(child.system![0]!.text).toContain('You are a subagent');
    expect(child.system![0]!.text).toContain(`Working directory: ${join(work.path, 'pkg')}`);
    expect(child.tools!.map((t) => t.name)).not.toContain('spawn_agent');
    expect(child.tools!.map((t) => t.name)).not.toContain('report_outcome');

    const last = wire.requests[3]!.body as AnthropicBody;
    const waited = last.messages.flatMap((m) => m.content).find((b) => b.type === 'tool_result' && b.tool_use_id === 'p2');
    expect(JSON.parse(waited!.content!)).toEqual({ output: 'child wrote note.txt', success: true, turns_used: 2 });

    const childEvents = events.filter((e) => (e as { subagent_id?: string }).subagent_id === 'agent-1');
    expect(childEvents.map((e) => e.type)).toEqual(['agent_turn', 'agent_tool_call', 'agent_turn']);
    // The child's two turns count toward the stage's usage and cost.
    expect(outcome.usage?.input_tokens).toBe(10 + 120 + 100 + 10);
    expect(outcome.cost_usd).toBeCloseTo(0.04);
  });
});

describe('subagent tools', () => {
  it('refuse a working_dir outside the workspace and an unknown agent id, and are absent at depth 0', async () => {
    const provider = replay([
      { calls: [{ name: 'spawn_agent', args: { task: 't', working_dir: '../elsewhere' } }, { name: 'wait', args: { agent_id: 'agent-9' } }] },
      { calls: [{ name: 'report_outcome', args: { status: 'success' } }] },
    ]);
    const events: EventInput[] = [];
    await createAgentBackend({ providerFor: () => ({ provider, model: 'm' }), workdir: work.path, env: { PATH: process.env.PATH }, costOf: () => 0 }).run(stage(events));
    const results = toolResults(provider.requests[1]);
    expect(results[0]).toMatchObject({ isError: true, content: expect.stringContaining('outside the workspace') });
    expect(results[1]).toMatchObject({ isError: true, content: 'no subagent agent-9' });

    const none = replay([{ calls: [{ name: 'report_outcome', args: { status: 'success' } }] }]);
    await createAgentBackend({ providerFor: () => ({ provider: none, model: 'm' }), workdir: work.path, env: { PATH: process.env.PATH }, costOf: () => 0, maxSubagentDepth: 0 }).run(stage([]));
    expect(none.requests[0]!.tools.map((t) => t.name)).not.toContain('spawn_agent');
  });

  it('close_agent stops a running child and kills its command', async () => {
    const provider = replay([
      { calls: [{ name: 'spawn_agent', args: { task: 'sleep' } }] },
      // The child: a long command, cut short by close_agent.
      { calls: [{ name: 'shell', args: { command: 'sleep 30' } }] },
      { calls: [{ name: 'close_agent', args: { agent_id: 'agent-1' } }] },
      { calls: [{ name: 'report_outcome', args: { status: 'success' } }] },
    ]);
    const events: EventInput[] = [];
    await createAgentBackend({ providerFor: () => ({ provider, model: 'm' }), workdir: work.path, env: { PATH: process.env.PATH }, costOf: () => 0 }).run(stage(events));
    const closed = toolResults(provider.requests.at(-1)).find((r) => r.id === 'c2_0');
    expect(closed?.content).toBe(JSON.stringify({ agent_id: 'agent-1', status: 'closed' }));
    // The child's command was killed, not waited out.
    const childShell = events.find((e) => e.type === 'agent_tool_call' && (e as { subagent_id?: string }).subagent_id === 'agent-1');
    expect(childShell).toMatchObject({ tool: 'shell', output: expect.stringContaining('[command aborted]') });
  });
});
