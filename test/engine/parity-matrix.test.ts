// Attractor §11.12, the cross-feature parity matrix: one test per row, through DOT and the
// engine's front door, as a user of the library would drive it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArtifactStore,
  PipelineEngine,
  QueueInterviewer,
  loadCheckpoint,
  type Handler,
  type Outcome,
} from '../../core/engine/index.ts';

const dirs: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'factory-matrix-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A handler whose outcomes per node are scripted (last repeats); registered as a custom type. */
function scripted(outcomes: Record<string, Array<Outcome['status'] | Outcome>>): Handler & { calls: string[] } {
  const used = new Map<string, number>();
  const calls: string[] = [];
  return {
    calls,
    async execute({ node }) {
      calls.push(node.id);
      const list = outcomes[node.id] ?? ['success'];
      const index = used.get(node.id) ?? 0;
      used.set(node.id, index + 1);
      const step = list[Math.min(index, list.length - 1)]!;
      return typeof step === 'string' ? { status: step } : step;
    },
  };
}

function engineWith(handler?: Handler, interviewer?: QueueInterviewer): PipelineEngine {
  const engine = new PipelineEngine({ interviewer });
  if (handler) engine.registerHandler('codergen', handler);
  return engine;
}

const LINEAR = `digraph Linear { start [shape=Mdiamond]; A; B; done [shape=Msquare]; start -> A -> B -> done }`;

describe('§11.12 cross-feature parity matrix', () => {
  it('parses a simple linear pipeline (start -> A -> B -> done)', () => {
    const { graph } = new PipelineEngine().prepare(LINEAR);
    expect([...graph.nodes.keys()]).toEqual(['start', 'A', 'B', 'done']);
    expect(graph.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['start->A', 'A->B', 'B->done']);
  });

  it('parses a pipeline with graph-level attributes (goal, label)', () => {
    const { graph } = new PipelineEngine().prepare(`digraph G { graph [goal="Ship it", label="Release"]; start [shape=Mdiamond]; exit [shape=Msquare]; start -> exit }`);
    expect(graph.attrs).toMatchObject({ goal: 'Ship it', label: 'Release' });
  });

  it('parses multi-line node attributes', () => {
    const { graph } = new PipelineEngine().prepare(`digraph G {
      start [shape=Mdiamond]
      work [
        label = "Work",
        prompt = "line one
line two",
        max_retries = 2
      ]
      exit [shape=Msquare]
      start -> work -> exit
    }`);
    expect(graph.nodes.get('work')!.attrs).toMatchObject({ label: 'Work', prompt: 'line one\nline two', max_retries: 2 });
  });

  it('validate: missing start node -> error', () => {
    const { diagnostics } = new PipelineEngine().prepare(`digraph G { a; exit [shape=Msquare]; a -> exit }`);
    expect(diagnostics).toContainEqual(expect.objectContaining({ rule: 'start_node', severity: 'error' }));
  });

  it('validate: missing exit node -> error', () => {
    const { diagnostics } = new PipelineEngine().prepare(`digraph G { start [shape=Mdiamond]; a; start -> a }`);
    expect(diagnostics).toContainEqual(expect.objectContaining({ rule: 'terminal_node', severity: 'error' }));
  });

  it('validate: orphan node -> diagnostic (an error here, engine.md decision 5)', () => {
    const { diagnostics } = new PipelineEngine().prepare(`digraph G { start [shape=Mdiamond]; orphan [prompt="x"]; exit [shape=Msquare]; start -> exit }`);
    expect(diagnostics).toContainEqual(expect.objectContaining({ rule: 'reachability', severity: 'error', node_id: 'orphan' }));
  });

  it('executes a linear 3-node pipeline end to end', async () => {
    const engine = new PipelineEngine();
    const { graph } = engine.prepare(`digraph G { start [shape=Mdiamond]; a [prompt="x"]; b [prompt="y"]; c [prompt="z"]; exit [shape=Msquare]; start -> a -> b -> c -> exit }`);
    const result = await engine.run(graph, { logsRoot: temp() });
    expect(result).toMatchObject({ status: 'success', completed_nodes: ['start', 'a', 'b', 'c', 'exit'] });
  });

  it('executes with conditional branching (success/fail paths)', async () => {
    const dot = `digraph G {
      start [shape=Mdiamond]; exit [shape=Msquare]
      test [prompt="run tests"]; gate [shape=diamond]; ship [prompt="ship"]; fix [prompt="fix"]
      start -> test -> gate
      gate -> ship [condition="outcome=success"]
      gate -> fix  [condition="outcome=fail"]
      ship -> exit; fix -> exit
    }`;
    for (const [status, via] of [['success', 'ship'], ['fail', 'fix']] as const) {
      const handler = scripted({ test: [{ status, failure_reason: status === 'fail' ? 'red' : undefined }] });
      const engine = engineWith(handler);
      const result = await engine.run(engine.prepare(dot).graph, { logsRoot: temp() });
      expect(result.completed_nodes).toEqual(['start', 'test', 'gate', via, 'exit']);
    }
  });

  it('executes with retry on failure (max_retries=2)', async () => {
    const handler = scripted({ flaky: ['fail', 'fail', 'success'] });
    const engine = engineWith(handler);
    const { graph } = engine.prepare(`digraph G { start [shape=Mdiamond]; flaky [prompt="x", max_retries=2, retry_policy="none"]; exit [shape=Msquare]; start -> flaky -> exit }`);
    // An explicit max_retries sets the attempts; the "none" preset keeps the backoff delay at zero.
    const result = await engine.run(graph, { logsRoot: temp() });
    expect(result.status).toBe('success');
    expect(handler.calls).toEqual(['flaky', 'flaky', 'flaky']);
  });

  const GATED = `digraph G {
    start [shape=Mdiamond]; exit [shape=Msquare]
    implement [prompt="x", goal_gate=true, retry_target="implement"]
    start -> implement
    implement -> exit [condition="outcome=fail"]
    implement -> exit [condition="outcome=success"]
  }`;

  it('goal gate blocks exit when unsatisfied', async () => {
    const handler = scripted({ implement: [{ status: 'fail', failure_reason: 'red' }, 'success'] });
    const engine = engineWith(handler);
    const result = await engine.run(engine.prepare(GATED).graph, { logsRoot: temp() });
    expect(handler.calls).toEqual(['implement', 'implement']);
    expect(result.completed_nodes).toEqual(['start', 'implement', 'implement', 'exit']);
  });

  it('goal gate allows exit when all satisfied', async () => {
    const handler = scripted({});
    const engine = engineWith(handler);
    const result = await engine.run(engine.prepare(GATED).graph, { logsRoot: temp() });
    expect(result.status).toBe('success');
    expect(handler.calls).toEqual(['implement']);
  });

  it('wait.human presents choices and routes on selection', async () => {
    const interviewer = new QueueInterviewer(['F']);
    const engine = new PipelineEngine({ interviewer });
    const { graph } = engine.prepare(`digraph Review {
      start [shape=Mdiamond]; exit [shape=Msquare]
      review_gate [shape=hexagon, label="Review Changes"]
      ship_it [prompt="ship"]; fixes [prompt="fix"]
      start -> review_gate
      review_gate -> ship_it [label="[A] Approve"]
      review_gate -> fixes   [label="[F] Fix"]
      ship_it -> exit; fixes -> exit
    }`);
    const result = await engine.run(graph, { logsRoot: temp() });
    expect(result.completed_nodes).toEqual(['start', 'review_gate', 'fixes', 'exit']);
    expect(result.node_outcomes.review_gate).toMatchObject({ preferred_label: '[F] Fix' });
  });

  const SELECTION = (edges: string) => `digraph G { start [shape=Mdiamond]; exit [shape=Msquare]; a [prompt="a"]; x [prompt="x"]; y [prompt="y"]; z [prompt="z"]
    start -> a; ${edges}; x -> exit; y -> exit; z -> exit }`;

  it('edge selection: condition match wins over weight', async () => {
    const engine = new PipelineEngine();
    const { graph } = engine.prepare(SELECTION(`a -> x [weight=100]; a -> y [condition="outcome=success"]; a -> z [weight=50]`));
    expect((await engine.run(graph, { logsRoot: temp() })).completed_nodes).toContain('y');
  });

  it('edge selection: weight breaks ties for unconditional edges', async () => {
    const engine = new PipelineEngine();
    const { graph } = engine.prepare(SELECTION(`a -> x [weight=1]; a -> y [weight=7]; a -> z [weight=3]`));
    expect((await engine.run(graph, { logsRoot: temp() })).completed_nodes).toEqual(['start', 'a', 'y', 'exit']);
  });

  it('edge selection: lexical tiebreak as final fallback', async () => {
    const engine = new PipelineEngine();
    const { graph } = engine.prepare(SELECTION(`a -> z; a -> y; a -> x`));
    expect((await engine.run(graph, { logsRoot: temp() })).completed_nodes).toEqual(['start', 'a', 'x', 'exit']);
  });

  it('context updates from one node are visible to the next', async () => {
    let seen: unknown;
    const engine = new PipelineEngine();
    engine.registerHandler('producer', { execute: async () => ({ status: 'success', context_updates: { 'context.port': '8080' } }) });
    engine.registerHandler('consumer', { execute: async ({ context }) => ((seen = context.get('context.port')), { status: 'success' }) });
    const { graph } = engine.prepare(`digraph G { start [shape=Mdiamond]; p [type="producer"]; c [type="consumer"]; exit [shape=Msquare]; start -> p -> c -> exit }`);
    await engine.run(graph, { logsRoot: temp() });
    expect(seen).toBe('8080');
  });

  it('checkpoint save and resume produces same result', async () => {
    const dot = `digraph G { start [shape=Mdiamond]; a [prompt="a"]; b [prompt="b"]; c [prompt="c"]; exit [shape=Msquare]; start -> a -> b -> c -> exit }`;
    const reference = await new PipelineEngine().run(new PipelineEngine().prepare(dot).graph, { logsRoot: temp() });

    const logsRoot = temp();
    const controller = new AbortController();
    const killer = new PipelineEngine();
    killer.registerHandler('codergen', {
      execute: async ({ node }) => {
        if (node.id === 'b') {
          controller.abort();
          throw new Error('killed');
        }
        return { status: 'success' };
      },
    });
    const interrupted = await killer.run(killer.prepare(dot).graph, { logsRoot, signal: controller.signal, graphSource: dot });
    expect(interrupted.status).toBe('cancelled');

    const resumer = new PipelineEngine();
    const handler = scripted({});
    resumer.registerHandler('codergen', handler);
    const resumed = await resumer.run(resumer.prepare(dot).graph, { logsRoot, resume: true, graphSource: dot });
    expect(handler.calls).toEqual(['b', 'c']);
    expect(resumed.completed_nodes).toEqual(reference.completed_nodes);
    expect(resumed.status).toBe(reference.status);
    expect(loadCheckpoint(logsRoot).current_node).toBe('exit');
  });

  it('stylesheet applies model override to nodes by shape', () => {
    const { graph } = new PipelineEngine().prepare(`digraph G {
      graph [model_stylesheet="box { llm_model: claude-opus-4-6; llm_provider: anthropic; }"]
      start [shape=Mdiamond]; exit [shape=Msquare]; plan [prompt="p"]; pinned [prompt="q", llm_model="gpt-5.2"]
      start -> plan -> pinned -> exit
    }`);
    expect(graph.nodes.get('plan')!.attrs).toMatchObject({ llm_model: 'claude-opus-4-6', llm_provider: 'anthropic' });
    expect(graph.nodes.get('pinned')!.attrs).toMatchObject({ llm_model: 'gpt-5.2', llm_provider: 'anthropic' });
    expect(graph.nodes.get('start')!.attrs.llm_model).toBeUndefined();
  });

  it('prompt variable expansion ($goal) works', async () => {
    const engine = new PipelineEngine();
    const { graph } = engine.prepare(`digraph G { graph [goal="a todo API"]; start [shape=Mdiamond]; plan [prompt="Plan $goal now"]; exit [shape=Msquare]; start -> plan -> exit }`);
    expect(graph.nodes.get('plan')!.attrs.prompt).toBe('Plan a todo API now');
    const logsRoot = temp();
    await engine.run(graph, { logsRoot });
    expect(readFileSync(join(logsRoot, 'plan', 'prompt.md'), 'utf8')).toBe('Plan a todo API now');
  });

  it('parallel fan-out and fan-in complete correctly', async () => {
    const engine = new PipelineEngine();
    engine.registerHandler('scored', {
      execute: async ({ node }) => ({ status: 'success', context_updates: { score: Number(node.attrs.score_value) } }),
    }, ['score_value']);
    const { graph, diagnostics } = engine.prepare(`digraph G {
      start [shape=Mdiamond]; exit [shape=Msquare]
      fan [shape=component, max_parallel=2]
      r1 [type="scored", score_value=1]; r2 [type="scored", score_value=9]; r3 [type="scored", score_value=4]
      join [shape=tripleoctagon]
      after [prompt="continue"]
      start -> fan
      fan -> r1 -> join
      fan -> r2 -> join
      fan -> r3 -> join
      join -> after -> exit
    }`);
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const logsRoot = temp();
    const result = await engine.run(graph, { logsRoot });
    expect(result.status).toBe('success');
    for (const id of ['r1', 'r2', 'r3', 'fan', 'join', 'after', 'exit']) expect(result.completed_nodes).toContain(id);
    expect(result.completed_nodes.indexOf('join')).toBeGreaterThan(result.completed_nodes.indexOf('fan'));
    const checkpoint = loadCheckpoint(logsRoot);
    expect(checkpoint.context['parallel.fan_in.best_id']).toBe('r2');
  });

  it('custom handler registration and execution works', async () => {
    const engine = new PipelineEngine();
    const calls: string[] = [];
    engine.registerHandler('deploy', { execute: async ({ node }) => (calls.push(String(node.attrs.target)), { status: 'success', notes: 'deployed' }) }, ['target']);
    const { graph, diagnostics } = engine.prepare(`digraph G { start [shape=Mdiamond]; ship [type="deploy", target="staging"]; exit [shape=Msquare]; start -> ship -> exit }`);
    expect(diagnostics).toEqual([]);
    const result = await engine.run(graph, { logsRoot: temp() });
    expect(calls).toEqual(['staging']);
    expect(result.node_outcomes.ship).toMatchObject({ status: 'success', notes: 'deployed' });
  });

  it('pipeline with 10+ nodes completes without errors', async () => {
    const ids = Array.from({ length: 11 }, (_, i) => `step${i}`);
    const dot = `digraph G { start [shape=Mdiamond]; exit [shape=Msquare]; ${ids.map((id) => `${id} [prompt="do ${id}"]`).join('; ')}; start -> ${ids.join(' -> ')} -> exit }`;
    const engine = new PipelineEngine();
    const prepared = engine.prepare(dot);
    expect(prepared.diagnostics).toEqual([]);
    const result = await engine.run(prepared.graph, { logsRoot: temp() });
    expect(result.status).toBe('success');
    expect(result.completed_nodes).toHaveLength(13);
  });
});

describe('manager loop over a child pipeline, in process (§4.11)', () => {
  it('supervises a child DOT file until it completes', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'child.dot'), `digraph child { start [shape=Mdiamond]; work [shape=parallelogram, tool_command="echo child-ran > child.txt"]; exit [shape=Msquare]; start -> work -> exit }`);
    const parent = `digraph parent {
      graph [stack.child_dotfile="child.dot"]
      start [shape=Mdiamond]; exit [shape=Msquare]
      supervise [shape=house, manager.poll_interval="10ms", manager.max_cycles=500]
      start -> supervise -> exit
    }`;
    writeFileSync(join(dir, 'parent.dot'), parent);
    const engine = new PipelineEngine();
    const { graph, diagnostics } = engine.prepare(parent, join(dir, 'parent.dot'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const logsRoot = join(dir, 'logs');
    const result = await engine.run(graph, { logsRoot, graphPath: join(dir, 'parent.dot'), workdir: dir });
    expect(result.status).toBe('success');
    expect(readFileSync(join(dir, 'child.txt'), 'utf8')).toBe('child-ran\n');
    expect(loadCheckpoint(join(logsRoot, 'supervise', 'child')).completed_nodes).toEqual(['start', 'work', 'exit']);
  });
});

describe('artifact store (§5.5)', () => {
  it('keeps small values in memory and writes large ones to <logs>/artifacts', () => {
    const dir = temp();
    const store = new ArtifactStore({ baseDir: dir, thresholdBytes: 16 });
    const small = store.store('small', 'Small', { a: 1 });
    const large = store.store('large', 'Large', { text: 'x'.repeat(100) });
    expect(small.is_file_backed).toBe(false);
    expect(large.is_file_backed).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'artifacts', 'large.json'), 'utf8'))).toEqual({ text: 'x'.repeat(100) });
    expect(store.retrieve('large')).toEqual({ text: 'x'.repeat(100) });
    expect(store.list().map((a) => a.id)).toEqual(['small', 'large']);
    store.remove('large');
    expect(store.has('large')).toBe(false);
    expect(() => store.retrieve('large')).toThrow(/artifact not found/);
    expect(() => store.store('../escape', 'x', 1)).toThrow(/invalid artifact id/);
  });
});
