import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerminalStageError, CheckpointError } from '../../../core/engine/errors.ts';
import type { PipelineEvent } from '../../../core/engine/events.ts';
import type { Graph } from '../../../core/engine/graph.ts';
import type { Interviewer } from '../../../core/engine/interviewer.ts';
import { runPipeline, startRun, type RunOptions } from '../../../core/engine/run/executor.ts';
import { loadCheckpoint } from '../../../core/engine/run/checkpoint.ts';
import { createDefaultHandlers } from '../../../core/engine/handlers/index.ts';
import { buildGraph, linearGraph } from '../../support/graph-builder.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { scriptedRegistry, type ScriptStep } from '../../support/scripted-registry.ts';

const silentInterviewer: Interviewer = { ask: async () => ({ value: 'SKIPPED' }) };
const dirs: string[] = [];

function tempLogs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'factory-exec-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(graph: Graph, script: Record<string, ScriptStep[]> = {}, extra: Partial<RunOptions> = {}) {
  const scripted = scriptedRegistry(script);
  const clock = new FakeClock();
  const logsRoot = extra.logsRoot ?? tempLogs();
  const options: RunOptions = { logsRoot, registry: scripted.registry, interviewer: silentInterviewer, clock, random: () => 0.5, ...extra };
  return { ...scripted, clock, logsRoot, options, run: (more: Partial<RunOptions> = {}) => runPipeline(graph, { ...options, ...more }) };
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** A stage during which the runner is killed: the stage never completes. */
function killRunner(controller: AbortController): ScriptStep {
  return () => {
    controller.abort(new Error('runner killed'));
    throw new Error('killed mid-stage');
  };
}

function events(logsRoot: string): PipelineEvent[] {
  return readFileSync(join(logsRoot, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as PipelineEvent);
}

describe('executor: the core loop (§3.2, §11.3)', () => {
  it('executes a linear 3-node pipeline end to end and writes the run directory', async () => {
    const graph = linearGraph(['a', 'b', 'c'], { goal: 'ship it' });
    const { run, logsRoot, calls } = setup(graph);
    const result = await run({ graphSource: 'digraph G {}', graphPath: 'g.dot' });

    expect(result.status).toBe('success');
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(result.completed_nodes).toEqual(['start', 'a', 'b', 'c', 'exit']);
    for (const id of ['start', 'a', 'b', 'c', 'exit']) {
      expect(readJson(join(logsRoot, id, 'status.json'))).toMatchObject({ outcome: 'success' });
    }
    const manifest = readJson(join(logsRoot, 'manifest.json')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ run_id: result.run_id, graph: { path: 'g.dot', name: 'G', goal: 'ship it' } });
    expect((manifest.graph as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readJson(join(logsRoot, 'result.json'))).toMatchObject({ status: 'success', completed_nodes: result.completed_nodes });
    const types = events(logsRoot).map((e) => e.type);
    expect(types[0]).toBe('pipeline_started');
    expect(types.at(-1)).toBe('pipeline_completed');
    expect(types.filter((t) => t === 'stage_completed')).toHaveLength(5);
  });

  it('engine.md decision 6: completed_nodes includes the exit node and the final checkpoint is written at the exit', async () => {
    const { run, logsRoot } = setup(linearGraph(['a']));
    await run();
    const checkpoint = loadCheckpoint(logsRoot);
    expect(checkpoint.current_node).toBe('exit');
    expect(checkpoint.completed_nodes).toEqual(['start', 'a', 'exit']);
    expect(checkpoint.status).toBe('success');
  });

  it('pipeline with 10+ nodes completes without errors', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `n${i}`);
    const { run } = setup(linearGraph(ids));
    const result = await run();
    expect(result.status).toBe('success');
    expect(result.completed_nodes).toHaveLength(14);
  });

  it('makes context updates from one node visible to the next', async () => {
    const graph = linearGraph(['producer', 'consumer']);
    let seen: unknown;
    const { run } = setup(graph, {
      producer: [{ status: 'success', context_updates: { 'context.answer': 42 } }],
      consumer: [(input) => ((seen = input.context.get('context.answer')), { status: 'success' })],
    });
    const result = await run();
    expect(result.status).toBe('success');
    expect(seen).toBe(42);
  });

  it('sets the built-in context keys (§5.1)', async () => {
    const graph = linearGraph(['a', 'b'], { goal: 'the goal' });
    let snapshot: Record<string, unknown> = {};
    const { run } = setup(graph, {
      a: [{ status: 'partial_success', preferred_label: 'Next' }],
      b: [(input) => ((snapshot = input.context.snapshot()), { status: 'success' })],
    });
    await run();
    expect(snapshot).toMatchObject({ 'graph.goal': 'the goal', current_node: 'b', outcome: 'partial_success', preferred_label: 'Next', 'internal.retry_count.a': 0 });
  });

  it('routes on conditions: success and failure paths', async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, work: {}, good: {}, bad: {} },
      edges: [['start', 'work'], ['work', 'good', { condition: 'outcome=success' }], ['work', 'bad', { condition: 'outcome=fail' }], ['good', 'exit'], ['bad', 'exit']],
    });
    const pass = await setup(graph).run();
    expect(pass.completed_nodes).toEqual(['start', 'work', 'good', 'exit']);
    const fail = await setup(graph, { work: [{ status: 'fail', failure_reason: 'broken' }] }).run();
    expect(fail.completed_nodes).toEqual(['start', 'work', 'bad', 'exit']);
    expect(fail.status).toBe('success');
  });

  it('engine.md decision 4: one edge per step — a plain node with two unconditional edges runs only one target', async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, a: {}, b: {}, c: {} },
      edges: [['start', 'a'], ['a', 'c'], ['a', 'b'], ['b', 'exit'], ['c', 'exit']],
    });
    const { run, calls } = setup(graph);
    await run();
    expect(calls).toEqual(['a', 'b']);
  });
});

describe('executor: retries (§3.5–§3.6, engine.md decision 3)', () => {
  it('retries a failing node with max_retries=2: three attempts with exponential backoff', async () => {
    const graph = linearGraph(['flaky']);
    graph.nodes.get('flaky')!.attrs.max_retries = 2;
    const { run, calls, clock, logsRoot } = setup(graph, { flaky: [{ status: 'fail', failure_reason: 'nope' }, { status: 'retry' }, { status: 'success' }] });
    const result = await run();
    expect(result.status).toBe('success');
    expect(calls).toEqual(['flaky', 'flaky', 'flaky']);
    expect(clock.sleeps).toEqual([200, 400]);
    const retrying = events(logsRoot).filter((e) => e.type === 'stage_retrying');
    expect(retrying.map((e) => (e as { attempt: number }).attempt)).toEqual([2, 3]);
    expect(loadCheckpoint(logsRoot).node_retries.flaky).toEqual([2]);
  });

  it('engine.md decision 3: max_retries retries both retry and fail outcomes, then uses the final outcome for routing', async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, work: { max_retries: 1 }, recover: {} },
      edges: [['start', 'work'], ['work', 'exit', { condition: 'outcome=success' }], ['work', 'recover', { condition: 'outcome=fail' }], ['recover', 'exit']],
    });
    const { run, calls } = setup(graph, { work: [{ status: 'fail', failure_reason: 'x' }] });
    const result = await run();
    expect(calls).toEqual(['work', 'work', 'recover']);
    expect(result.node_outcomes.work).toMatchObject({ status: 'fail', failure_reason: 'x' });
  });

  it('engine.md decision 3: a terminal error fails at once without retrying', async () => {
    const graph = linearGraph(['auth']);
    graph.nodes.get('auth')!.attrs.max_retries = 4;
    const { run, calls } = setup(graph, { auth: [new TerminalStageError('authentication', 'invalid API key')] });
    const result = await run();
    expect(calls).toEqual(['auth']);
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toContain('invalid API key');
  });

  it('engine.md decision 3: a thrown transient error is retried', async () => {
    const graph = linearGraph(['net']);
    graph.nodes.get('net')!.attrs.max_retries = 1;
    const transient = Object.assign(new Error('rate limited'), { status: 429 });
    const { run, calls } = setup(graph, { net: [transient, { status: 'success' }] });
    expect((await run()).status).toBe('success');
    expect(calls).toEqual(['net', 'net']);
  });

  it('engine.md decision 3: after exhaustion allow_partial turns a retry into partial_success', async () => {
    const graph = linearGraph(['soft']);
    Object.assign(graph.nodes.get('soft')!.attrs, { max_retries: 1, allow_partial: true });
    const { run } = setup(graph, { soft: [{ status: 'retry' }] });
    const result = await run();
    expect(result.status).toBe('success');
    expect(result.node_outcomes.soft!.status).toBe('partial_success');
  });

  it('engine.md decision 3: a retry outcome exhausted without allow_partial fails', async () => {
    const graph = linearGraph(['hard']);
    graph.nodes.get('hard')!.attrs.max_retries = 1;
    const { run } = setup(graph, { hard: [{ status: 'retry' }] });
    const result = await run();
    expect(result.status).toBe('fail');
    expect(result.node_outcomes.hard).toMatchObject({ status: 'fail', failure_reason: 'max retries exceeded' });
  });

  it('uses the graph default_max_retries and the node retry_policy preset', async () => {
    const graph = linearGraph(['a', 'b'], { default_max_retries: 1 });
    graph.nodes.get('b')!.attrs.retry_policy = 'linear';
    const { run, calls, clock } = setup(graph, { a: [{ status: 'fail' }, { status: 'success' }], b: [{ status: 'fail' }, { status: 'fail' }, { status: 'success' }] });
    expect((await run()).status).toBe('success');
    expect(calls).toEqual(['a', 'a', 'b', 'b', 'b']);
    expect(clock.sleeps).toEqual([200, 500, 500]);
  });
});

describe('executor: goal gates (§3.4, §11.4)', () => {
  function gated(extraGraph: Record<string, unknown> = {}, gateAttrs: Record<string, unknown> = {}) {
    return buildGraph({
      attrs: extraGraph as never,
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, implement: { goal_gate: true, ...gateAttrs } as never, review: {} },
      edges: [['start', 'implement'], ['implement', 'review'], ['review', 'exit']],
    });
  }

  it('goal gate blocks exit when unsatisfied: routes to the retry target until satisfied', async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, implement: { goal_gate: true, retry_target: 'implement' }, review: {} },
      edges: [['start', 'implement'], ['implement', 'review', { condition: 'outcome=fail' }], ['implement', 'review'], ['review', 'exit']],
    });
    const { run, calls } = setup(graph, { implement: [{ status: 'fail', failure_reason: 'tests red' }, { status: 'success' }] });
    const result = await run();
    expect(result.status).toBe('success');
    expect(calls).toEqual(['implement', 'review', 'implement', 'review']);
    expect(result.completed_nodes.at(-1)).toBe('exit');
  });

  it('falls back to the graph-level retry_target', async () => {
    const graph = buildGraph({
      attrs: { retry_target: 'plan' },
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, plan: {}, implement: { goal_gate: true } },
      edges: [['start', 'plan'], ['plan', 'implement'], ['implement', 'exit', { condition: 'outcome=fail' }], ['implement', 'exit']],
    });
    const { run, calls } = setup(graph, { implement: [{ status: 'fail', failure_reason: 'x' }, { status: 'success' }] });
    expect((await run()).status).toBe('success');
    expect(calls).toEqual(['plan', 'implement', 'plan', 'implement']);
  });

  it('fails the pipeline when a goal gate is unsatisfied and no retry target exists', async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, implement: { goal_gate: true } },
      edges: [['start', 'implement'], ['implement', 'exit', { condition: 'outcome=fail' }]],
    });
    const { run, logsRoot } = setup(graph, { implement: [{ status: 'fail', failure_reason: 'x' }] });
    const result = await run();
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toMatch(/goal gate "implement" unsatisfied and no retry target/);
    expect(loadCheckpoint(logsRoot).status).toBe('fail');
  });

  it('allows exit when all goal gates are satisfied', async () => {
    const { run } = setup(gated());
    const result = await run();
    expect(result.status).toBe('success');
  });
});

describe('executor: failure routing (engine.md decision 1)', () => {
  function graphWith(workAttrs: Record<string, unknown>, edges: Array<[string, string, Record<string, unknown>?]>) {
    return buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, work: workAttrs as never, fix: {}, fallback: {}, next: {}, gate: { shape: 'diamond' } },
      edges: [['start', 'work'], ...(edges as Array<[string, string]>), ['fix', 'exit'], ['fallback', 'exit'], ['next', 'exit'], ['gate', 'exit']],
    });
  }
  const failing = { work: [{ status: 'fail', failure_reason: 'boom' }] as ScriptStep[] };

  it('engine.md decision 1: a matching conditional edge comes first', async () => {
    const graph = graphWith({ retry_target: 'fallback' }, [['work', 'fix', { condition: 'outcome=fail' }], ['work', 'next']]);
    const result = await setup(graph, failing).run();
    expect(result.completed_nodes).toContain('fix');
  });

  it('engine.md decision 1: then the node retry_target, then fallback_retry_target', async () => {
    const viaRetry = await setup(graphWith({ retry_target: 'fix', fallback_retry_target: 'fallback' }, [['work', 'next']]), failing).run();
    expect(viaRetry.completed_nodes).toEqual(['start', 'work', 'fix', 'exit']);
    const viaFallback = await setup(graphWith({ retry_target: 'missing', fallback_retry_target: 'fallback' }, [['work', 'next']]), failing).run();
    expect(viaFallback.completed_nodes).toEqual(['start', 'work', 'fallback', 'exit']);
  });

  it('engine.md decision 1: then the only unconditional edge when it leads to a diamond', async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, work: {}, gate: { shape: 'diamond' }, repair: {} },
      edges: [['start', 'work'], ['work', 'gate'], ['gate', 'repair', { condition: 'outcome=fail' }], ['gate', 'exit', { condition: 'outcome=success' }], ['repair', 'exit']],
    });
    const scripted = scriptedRegistry({ work: [{ status: 'fail', failure_reason: 'boom' }] });
    scripted.registry.register('conditional', {
      execute: async ({ context }) => ({ status: (context.getString('outcome') || 'success') as 'fail' }),
    });
    const result = await runPipeline(graph, { logsRoot: tempLogs(), registry: scripted.registry, interviewer: silentInterviewer, clock: new FakeClock() });
    expect(result.completed_nodes).toEqual(['start', 'work', 'gate', 'repair', 'exit']);
  });

  it('engine.md decision 1: otherwise the run fails with the stage failure reason (unconditional edges are not followed)', async () => {
    const { run, calls } = setup(graphWith({}, [['work', 'next']]), failing);
    const result = await run();
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toBe('stage "work" failed: boom');
    expect(calls).toEqual(['work']);
  });
});

describe('executor: loop bounds (engine.md decision 7)', () => {
  function loop(graphAttrs: Record<string, unknown> = {}, nodeAttrs: Record<string, unknown> = {}) {
    return buildGraph({
      attrs: graphAttrs as never,
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, spin: nodeAttrs as never, check: {} },
      edges: [['start', 'spin'], ['spin', 'check'], ['check', 'spin', { condition: 'outcome=success' }], ['check', 'exit', { condition: 'outcome=partial_success' }]],
    });
  }

  it('engine.md decision 7: max_visits caps a node and names the bound', async () => {
    const { run, calls } = setup(loop({}, { max_visits: 3 }));
    const result = await run();
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toMatch(/max_visits bound reached: node "spin" already ran 3 times/);
    expect(calls.filter((c) => c === 'spin')).toHaveLength(3);
  });

  it('engine.md decision 7: default_max_visits defaults to 25', async () => {
    const { run, calls } = setup(loop());
    const result = await run();
    expect(result.failure_reason).toMatch(/max_visits=25/);
    expect(calls.filter((c) => c === 'spin')).toHaveLength(25);
  });

  it('engine.md decision 7: max_steps caps the whole run', async () => {
    const { run } = setup(loop({ max_steps: 7 }));
    const result = await run();
    expect(result.failure_reason).toMatch(/max_steps bound reached: the run executed 7 stages \(max_steps=7\)/);
  });

  it('engine.md decision 7: the same failure on three consecutive visits ends the run', async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, build: {}, fix: {} },
      edges: [['start', 'build'], ['build', 'fix', { condition: 'outcome=fail' }], ['build', 'exit', { condition: 'outcome=success' }], ['fix', 'build']],
    });
    const { run, calls } = setup(graph, { build: [{ status: 'fail', failure_reason: 'compile error in main.ts' }] });
    const result = await run();
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toBe('node "build" failed 3 visits in a row with the same reason: compile error in main.ts');
    expect(calls.filter((c) => c === 'build')).toHaveLength(3);
  });

  it('engine.md decision 7: different failure reasons do not trip the repeated-failure stop', async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, build: {}, fix: {} },
      edges: [['start', 'build'], ['build', 'fix', { condition: 'outcome=fail' }], ['build', 'exit', { condition: 'outcome=success' }], ['fix', 'build']],
    });
    const { run } = setup(graph, { build: [{ status: 'fail', failure_reason: 'a' }, { status: 'fail', failure_reason: 'b' }, { status: 'fail', failure_reason: 'c' }, { status: 'success' }] });
    expect((await run()).status).toBe('success');
  });
});

describe('executor: checkpoints and resume (§5.3, §11.7)', () => {
  const graph = linearGraph(['a', 'b', 'c', 'd']);

  it('checkpoint save and resume produces the same result without re-running completed nodes', async () => {
    const reference = await setup(graph).run();

    const logsRoot = tempLogs();
    const controller = new AbortController();
    const first = setup(graph, { c: [killRunner(controller)] }, { logsRoot });
    const interrupted = await first.run({ signal: controller.signal });
    expect(interrupted.status).toBe('cancelled');
    const checkpoint = loadCheckpoint(logsRoot);
    expect(checkpoint.completed_nodes).toEqual(['start', 'a', 'b']);
    expect(checkpoint.next_node).toBe('c');

    const second = setup(graph, {}, { logsRoot });
    const resumed = await second.run({ resume: true });
    expect(second.calls).toEqual(['c', 'd']);
    expect(resumed.status).toBe(reference.status);
    expect(resumed.completed_nodes).toEqual(reference.completed_nodes);
    expect(resumed.run_id).toBe(interrupted.run_id);
  });

  it('restores retry counters on resume', async () => {
    const logsRoot = tempLogs();
    const retrying = linearGraph(['a', 'b']);
    retrying.nodes.get('a')!.attrs.max_retries = 3;
    const controller = new AbortController();
    await setup(retrying, { a: [{ status: 'fail' }, { status: 'success' }], b: [killRunner(controller)] }, { logsRoot }).run({ signal: controller.signal });
    let seen: unknown;
    await setup(retrying, { b: [(input) => ((seen = input.context.get('internal.retry_count.a')), { status: 'success' })] }, { logsRoot }).run({ resume: true });
    expect(seen).toBe(1);
    expect(loadCheckpoint(logsRoot).node_retries.a).toEqual([1]);
  });

  it('resume anything: a run that failed re-enters at the failed stage with a fresh attempt, never re-running a completed one', async () => {
    const logsRoot = tempLogs();
    const flaky = linearGraph(['a', 'b', 'c']);
    flaky.nodes.get('b')!.attrs.max_retries = 1;
    const first = setup(flaky, { b: [{ status: 'fail', failure_reason: 'missing input' }] }, { logsRoot });
    const failed = await first.run();
    expect(failed.status).toBe('fail');
    expect(first.calls).toEqual(['a', 'b', 'b']);
    expect(loadCheckpoint(logsRoot)).toMatchObject({ status: 'fail', current_node: 'a', next_node: 'b' });

    const second = setup(flaky, {}, { logsRoot });
    const resumed = await second.run({ resume: true });
    expect(resumed.status).toBe('success');
    expect(second.calls).toEqual(['b', 'c']);
    expect(second.inputs[0]).toMatchObject({ attempt: 1 });
    expect(second.inputs[0]!.context.get('internal.retry_count.b')).toBe(0);
    expect(resumed.run_id).toBe(failed.run_id);
    // Every visit's retries are kept, and the failed attempt's files stay beside the new ones.
    expect(loadCheckpoint(logsRoot).node_retries.b).toEqual([1, 0]);
    expect(readJson(join(logsRoot, 'b', 'attempts', '1', 'status.json'))).toMatchObject({ outcome: 'fail', failure_reason: 'missing input' });
    expect(readJson(join(logsRoot, 'b', 'status.json'))).toMatchObject({ outcome: 'success' });
    expect(resumed.completed_nodes).toEqual(['start', 'a', 'b', 'b', 'c', 'exit']);
  });

  it('resume anything: a budget stop continues after the stage that spent it, but only with a raised max_usd', async () => {
    const logsRoot = tempLogs();
    const costly = setup(graph, { b: [{ status: 'success', cost_usd: 2 }] }, { logsRoot });
    const stopped = await costly.run({ maxUsd: 1 });
    expect(stopped).toMatchObject({ status: 'fail', failure_reason: expect.stringMatching(/^budget exhausted/) });
    expect(costly.calls).toEqual(['a', 'b']);
    expect(loadCheckpoint(logsRoot)).toMatchObject({ status: 'fail', current_node: 'b', next_node: 'c' });

    const sameBudget = setup(graph, {}, { logsRoot });
    const refused = await sameBudget.run({ resume: true, maxUsd: 1 });
    expect(refused.failure_reason).toMatch(/budget exhausted: spent \$2\.0000 of max_usd \$1; resume with a higher max_usd/);
    expect(sameBudget.calls).toEqual([]);

    const raised = setup(graph, {}, { logsRoot });
    const done = await raised.run({ resume: true, maxUsd: 5 });
    expect(done.status).toBe('success');
    expect(raised.calls).toEqual(['c', 'd']);
    expect(done.cost_usd).toBe(2);
  });

  it('resume anything: the same failure three visits in a row stops the run, and a resume gives the stage a fresh attempt', async () => {
    const logsRoot = tempLogs();
    const looping = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, work: { shape: 'box', prompt: 'w' } },
      edges: [['start', 'work'], ['work', 'exit', { condition: 'outcome=success' }], ['work', 'work', { condition: 'outcome=fail' }]],
    });
    const first = setup(looping, { work: [{ status: 'fail', failure_reason: 'same' }] }, { logsRoot });
    expect((await first.run()).failure_reason).toMatch(/failed 3 visits in a row/);
    const second = setup(looping, {}, { logsRoot });
    expect(await second.run({ resume: true })).toMatchObject({ status: 'success' });
    expect(second.calls).toEqual(['work']);
  });

  it('a finished successful run answers "already complete" and runs nothing', async () => {
    const logsRoot = tempLogs();
    await setup(graph, {}, { logsRoot }).run();
    const again = setup(graph, {}, { logsRoot });
    expect(await again.run({ resume: true })).toMatchObject({ status: 'success', already_complete: true });
    expect(again.calls).toEqual([]);
  });

  it('resumes a checkpoint in the shape of Attractor §5.3 (no run_id, context_values), at the node after current_node', async () => {
    const logsRoot = tempLogs();
    writeFileSync(join(logsRoot, 'checkpoint.json'), JSON.stringify({
      timestamp: '2026-01-01T00:00:00Z',
      current_node: 'b',
      completed_nodes: ['start', 'a', 'b'],
      node_retries: { a: 1 },
      context_values: { 'graph.goal': 'g', outcome: 'success', 'a.result': 'made' },
      logs: ['from another implementation'],
    }));
    const resumed = setup(graph, {}, { logsRoot });
    const result = await resumed.run({ resume: true });
    expect(result.status).toBe('success');
    expect(resumed.calls).toEqual(['c', 'd']);
    expect(resumed.inputs[0]!.context.get('a.result')).toBe('made');
    expect(resumed.inputs[0]!.context.get('internal.retry_count.a')).toBe(1);
    expect(result.completed_nodes).toEqual(['start', 'a', 'b', 'c', 'd', 'exit']);
    const ours = loadCheckpoint(logsRoot);
    expect(ours.node_retries.a).toEqual([1]);
    expect(ours.logs).toContain('from another implementation');
  });

  it('a §5.3 checkpoint whose last stage failed re-runs that stage; one at the exit is already complete', async () => {
    const logsRoot = tempLogs();
    const spec = (current: string, outcome: string) => JSON.stringify({ timestamp: 't', current_node: current, completed_nodes: ['start', 'a'], node_retries: {}, context_values: { outcome }, logs: [] });
    writeFileSync(join(logsRoot, 'checkpoint.json'), spec('a', 'fail'));
    const rerun = setup(graph, {}, { logsRoot });
    await rerun.run({ resume: true });
    expect(rerun.calls).toEqual(['a', 'b', 'c', 'd']);
    writeFileSync(join(logsRoot, 'checkpoint.json'), spec('exit', 'success'));
    expect(await setup(graph, {}, { logsRoot }).run({ resume: true })).toMatchObject({ already_complete: true });
    writeFileSync(join(logsRoot, 'checkpoint.json'), spec('nowhere', 'success'));
    await expect(setup(graph, {}, { logsRoot }).run({ resume: true })).rejects.toThrow(/current_node "nowhere" is not a node/);
  });

  it('refuses a checkpoint from another graph', async () => {
    const logsRoot = tempLogs();
    await setup(graph, {}, { logsRoot }).run({ graphSource: 'one' });
    await expect(setup(graph, {}, { logsRoot }).run({ resume: true, graphSource: 'two' })).rejects.toThrow(CheckpointError);
    await expect(setup(graph, {}, { logsRoot }).run({ resume: true, graphSource: 'two' })).rejects.toThrow(/belongs to graph "G"/);
  });

  it('refuses to resume without a checkpoint', async () => {
    await expect(setup(graph).run({ resume: true })).rejects.toThrow(/no checkpoint to resume from/);
  });

  it('resuming a finished run returns its result without running anything', async () => {
    const logsRoot = tempLogs();
    const done = await setup(graph, {}, { logsRoot }).run();
    const again = setup(graph, {}, { logsRoot });
    const result = await again.run({ resume: true });
    expect(again.calls).toEqual([]);
    expect(result.completed_nodes).toEqual(done.completed_nodes);
  });

  it('engine.md decision 10: checkpoints are written atomically and keyed by node, not by history', async () => {
    const loop = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, spin: { max_visits: 20 }, check: { max_visits: 20 } },
      edges: [['start', 'spin'], ['spin', 'check'], ['check', 'spin', { condition: 'outcome=success' }], ['check', 'exit', { condition: 'outcome=partial_success' }]],
    });
    const steps: ScriptStep[] = Array.from({ length: 19 }, () => ({ status: 'success' as const, context_updates: { 'context.iteration': 'x' } }));
    const { run, logsRoot } = setup(loop, { check: [...steps, { status: 'partial_success' }] });
    expect((await run()).status).toBe('success');
    const checkpoint = loadCheckpoint(logsRoot);
    expect(Object.keys(checkpoint.node_outcomes).sort()).toEqual(['check', 'exit', 'spin', 'start']);
    expect(Object.keys(checkpoint.node_retries)).toHaveLength(4);
    expect(readdirSync(logsRoot).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('executor: human gates that park (engine.md decision 9)', () => {
  it('engine.md decision 9: "no answer yet" parks the run and an answer resumes it at the gate', async () => {
    const graph = linearGraph(['before', 'gate', 'after']);
    const logsRoot = tempLogs();
    const parked = setup(graph, { gate: [{ status: 'waiting', question: { text: 'Ship?' } }] }, { logsRoot });
    const first = await parked.run();
    expect(first.status).toBe('waiting');
    expect(first.waiting_for).toEqual({ node_id: 'gate', question: { text: 'Ship?' } });
    expect(loadCheckpoint(logsRoot)).toMatchObject({ status: 'waiting', current_node: 'before', next_node: 'gate' });
    expect(events(logsRoot).some((e) => e.type === 'pipeline_waiting')).toBe(true);

    const answered = setup(graph, { gate: [{ status: 'success', preferred_label: 'yes' }] }, { logsRoot });
    const second = await answered.run({ resume: true });
    expect(answered.calls).toEqual(['gate', 'after']);
    expect(second.status).toBe('success');
    expect(second.completed_nodes).toEqual(['start', 'before', 'gate', 'after', 'exit']);
  });
});

describe('executor: events (§9.6, engine.md decision 11)', () => {
  it('engine.md decision 11: every event reaches observers, the async iterator and events.jsonl, with usage and cost', async () => {
    const graph = linearGraph(['llm']);
    const { options, logsRoot } = setup(graph, { llm: [{ status: 'success', usage: { input_tokens: 100, output_tokens: 20 }, cost_usd: 0.01 }] });
    const observed: PipelineEvent[] = [];
    const handle = startRun(graph, options);
    handle.bus.subscribe((e) => observed.push(e));
    const iterated: PipelineEvent[] = [];
    const consuming = (async () => {
      for await (const e of handle.bus.stream()) iterated.push(e);
    })();
    const result = await handle.result;
    await consuming;
    const written = events(logsRoot);
    expect(observed.map((e) => e.type)).toEqual(written.map((e) => e.type));
    expect(iterated.map((e) => e.type)).toEqual(written.map((e) => e.type));
    const completed = written.find((e) => e.type === 'stage_completed' && e.name === 'llm');
    expect(completed).toMatchObject({ usage: { input_tokens: 100, output_tokens: 20 }, cost_usd: 0.01 });
    expect(written.every((e) => typeof e.ts === 'string' && e.run_id === result.run_id)).toBe(true);
    expect(result.usage).toMatchObject({ input_tokens: 100, output_tokens: 20 });
    expect(result.cost_usd).toBe(0.01);
    expect(written.filter((e) => e.type === 'checkpoint_saved').length).toBeGreaterThanOrEqual(3);
  });

  it('sums usage over retried attempts and reports unknown cost as null', async () => {
    const graph = linearGraph(['llm']);
    graph.nodes.get('llm')!.attrs.max_retries = 1;
    const { run } = setup(graph, { llm: [{ status: 'fail', usage: { input_tokens: 10, output_tokens: 1 }, cost_usd: null }, { status: 'success', usage: { input_tokens: 5, output_tokens: 2 }, cost_usd: 0.5 }] });
    const result = await run();
    expect(result.usage).toMatchObject({ input_tokens: 15, output_tokens: 3 });
    expect(result.cost_usd).toBeNull();
  });

  it('keeps the usage and cost a terminal error reports for the work it stopped', async () => {
    const graph = linearGraph(['llm']);
    const stopped = Object.assign(new TerminalStageError('budget_exhausted', 'budget exhausted'), { usage: { input_tokens: 70, output_tokens: 7 }, cost_usd: 2.5 });
    const { run } = setup(graph, { llm: [stopped] });
    const result = await run();
    expect(result.status).toBe('fail');
    expect(result.usage).toMatchObject({ input_tokens: 70, output_tokens: 7 });
    expect(result.cost_usd).toBe(2.5);
    expect(result.node_outcomes.llm).toMatchObject({ status: 'fail', cost_usd: 2.5 });
  });

  it('stops the run once the budget is exceeded', async () => {
    const graph = linearGraph(['a', 'b', 'c']);
    const { run, calls } = setup(graph, { a: [{ status: 'success', cost_usd: 0.6 }], b: [{ status: 'success', cost_usd: 0.6 }] }, { maxUsd: 1 });
    const result = await run();
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toBe('budget exhausted: spent $1.2000 of max_usd $1');
    expect(calls).toEqual(['a', 'b']);
  });
});

describe('executor: timeouts, cancellation, loop_restart, fidelity', () => {
  it('fails an attempt that outlives the node timeout', async () => {
    const graph = linearGraph(['slow']);
    graph.nodes.get('slow')!.attrs.timeout = { kind: 'duration', ms: 20, text: '20ms' };
    let aborted = false;
    const { run } = setup(graph, {
      slow: [(input) => new Promise((resolve) => input.signal.addEventListener('abort', () => ((aborted = true), resolve({ status: 'success' }))))],
    });
    const result = await run();
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toContain('stage timed out after 20 ms');
    expect(aborted).toBe(true);
  });

  it('leaves the timeout to handlers that enforce it themselves (the tool handler kills its process group)', async () => {
    const graph = linearGraph([]);
    graph.nodes.set('slow', { id: 'slow', classes: [], attrs: { shape: 'parallelogram', tool_command: 'sleep 5', timeout: { kind: 'duration', ms: 200, text: '200ms' } } });
    graph.edges = [{ from: 'start', to: 'slow', attrs: {}, index: 0 }, { from: 'slow', to: 'exit', attrs: {}, index: 1 }];
    const result = await runPipeline(graph, { logsRoot: tempLogs(), registry: createDefaultHandlers(), interviewer: silentInterviewer, workdir: tempLogs() });
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toMatch(/tool_command timed out after 200ms/);
  });

  it('loop_restart archives the pass and starts over with a fresh context', async () => {
    const graph = buildGraph({
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, work: {}, decide: {} },
      edges: [['start', 'work'], ['work', 'decide'], ['decide', 'work', { condition: 'outcome=partial_success', loop_restart: true }], ['decide', 'exit', { condition: 'outcome=success' }]],
    });
    let contextOnSecondPass: unknown = 'unset';
    let passes = 0;
    const { run, logsRoot } = setup(graph, {
      work: [(input) => (passes++ === 1 && (contextOnSecondPass = input.context.get('context.stale')), { status: 'success', context_updates: { 'context.stale': 'yes' } })],
      decide: [{ status: 'partial_success' }, { status: 'success' }],
    });
    const result = await run();
    expect(result.status).toBe('success');
    expect(contextOnSecondPass).toBeUndefined();
    expect(result.completed_nodes).toEqual(['work', 'decide', 'exit']);
    expect(existsSync(join(logsRoot, 'restarts', '1', 'work', 'status.json'))).toBe(true);
    expect(events(logsRoot).some((e) => e.type === 'pipeline_restarted')).toBe(true);
  });

  it('resolves fidelity (edge → node → graph → compact) and degrades full to summary:high once after a resume', async () => {
    const graph = buildGraph({
      attrs: { default_fidelity: 'truncate' },
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, a: {}, b: { fidelity: 'full', thread_id: 'loop' }, c: { fidelity: 'full' }, d: {} },
      edges: [['start', 'a'], ['a', 'b'], ['b', 'c', { fidelity: 'summary:low' }], ['c', 'd'], ['d', 'exit']],
    });
    const first = setup(graph);
    await first.run();
    expect(first.inputs.map((i) => [i.node.id, i.fidelity, i.threadKey])).toEqual([
      ['a', 'truncate', 'start'],
      ['b', 'full', 'loop'],
      ['c', 'summary:low', 'b'],
      ['d', 'truncate', 'c'],
    ]);

    const logsRoot = tempLogs();
    const controller = new AbortController();
    await setup(graph, { a: [() => (controller.abort(), { status: 'success' })] }, { logsRoot }).run({ signal: controller.signal });
    const resumed = setup(graph, {}, { logsRoot });
    await resumed.run({ resume: true });
    expect(resumed.inputs.map((i) => i.fidelity)).toEqual(['summary:high', 'summary:low', 'truncate']);
  });
});
