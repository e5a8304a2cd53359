import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { Context } from '../../../core/engine/context.ts';
import type { Attrs } from '../../../core/engine/graph.ts';
import type { BranchResult, EngineServices } from '../../../core/engine/handler.ts';
import { ParallelHandler } from '../../../core/engine/handlers/parallel.ts';
import type { Outcome } from '../../../core/engine/outcome.ts';
import { buildGraph } from '../../support/graph-builder.ts';
import { stageInput, tempDir } from './stage-input.ts';

const root = tempDir('parallel-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fanOut(branches: string[], attrs: Attrs = {}) {
  const nodes: Record<string, Attrs> = { fork: { shape: 'component', ...attrs }, join: { shape: 'tripleoctagon' } };
  for (const b of branches) nodes[b] = {};
  return buildGraph({ nodes, edges: [...branches.map((b) => ['fork', b] as [string, string]), ...branches.map((b) => [b, 'join'] as [string, string])] });
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `joinedAt` null: the branch stopped before any fan-in node. */
function branchResult(branch: string, context: Context, outcome: Outcome, joinedAt: string | null = 'join'): BranchResult {
  return { branch, outcome, completed_nodes: [branch], joined_at: joinedAt ?? undefined, context };
}

const aborted = (signal: AbortSignal) =>
  new Promise((resolve) => (signal.aborted ? resolve(undefined) : signal.addEventListener('abort', resolve, { once: true })));

function run(graphBranches: string[], attrs: Attrs, runBranch: EngineServices['runBranch'], context = new Context(), signal?: AbortSignal) {
  const fixture = stageInput(fanOut(graphBranches, attrs), 'fork', { root, context, signal, services: { runBranch } });
  return { ...fixture, result: new ParallelHandler().execute(fixture.input) };
}

describe('parallel handler (§4.8, engine.md decision 4)', () => {
  it('runs at most max_parallel branches at once and all of them in the end', async () => {
    let active = 0;
    let peak = 0;
    const started: string[] = [];
    const { result } = run(['b1', 'b2', 'b3', 'b4', 'b5'], { max_parallel: 2 }, async (id, context) => {
      started.push(id);
      active++;
      peak = Math.max(peak, active);
      for (let i = 0; i < 3; i++) await tick();
      active--;
      return branchResult(id, context, { status: 'success' });
    });
    const outcome = await result;
    expect(peak).toBe(2);
    expect(started).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    expect(outcome.status).toBe('success');
  });

  it('runs four branches at once by default', async () => {
    let active = 0;
    let peak = 0;
    const { result } = run(['b1', 'b2', 'b3', 'b4', 'b5', 'b6'], {}, async (id, context) => {
      active++;
      peak = Math.max(peak, active);
      await tick();
      active--;
      return branchResult(id, context, { status: 'success' });
    });
    await result;
    expect(peak).toBe(4);
  });

  it('gives each branch its own clone of the context; nothing leaks back into the parent', async () => {
    const parent = new Context({ shared: { list: [1] }, last_response: 'from before' });
    const seen: Context[] = [];
    const { result } = run(['b1', 'b2'], {}, async (id, context) => {
      seen.push(context);
      expect(context.get('shared')).toEqual({ list: [1] });
      (context.get('shared') as { list: number[] }).list.push(2);
      context.set('branch.only', id);
      if (id === 'b2') context.set('last_response', 'b2 says hi');
      return branchResult(id, context, { status: 'success' });
    }, parent);
    const outcome = await result;
    expect(seen[0]).not.toBe(parent);
    expect(seen[0]).not.toBe(seen[1]);
    expect(parent.get('shared')).toEqual({ list: [1] });
    expect(parent.has('branch.only')).toBe(false);
    expect(parent.get('last_response')).toBe('from before');
    const records = outcome.context_updates?.['parallel.results'] as Array<Record<string, unknown>>;
    expect(records[0]).not.toHaveProperty('last_response');
    expect(records[1]).toMatchObject({ id: 'b2', last_response: 'b2 says hi' });
  });

  it('wait_all: success when every branch succeeds, with small result records and continue_at the fan-in', async () => {
    const { result, events } = run(['b1', 'b2'], {}, async (id, context) =>
      branchResult(id, context, { status: 'success', notes: `${id} done`, context_updates: { score: id === 'b1' ? 0.4 : '0.9' } }),
    );
    const outcome = await result;
    expect(outcome).toEqual({
      status: 'success',
      notes: '2 branches (wait_all): 2 succeeded, 0 failed',
      continue_at: 'join',
      context_updates: {
        'parallel.results': [
          { id: 'b1', status: 'success', notes: 'b1 done', score: 0.4, completed_nodes: ['b1'] },
          { id: 'b2', status: 'success', notes: 'b2 done', score: 0.9, completed_nodes: ['b2'] },
        ],
        'parallel.success_count': 2,
        'parallel.failure_count': 0,
      },
    });
    expect(events.map((e) => e.type)).toEqual([
      'parallel_started',
      'parallel_branch_started',
      'parallel_branch_started',
      'parallel_branch_completed',
      'parallel_branch_completed',
      'parallel_completed',
    ]);
    expect(events[0]).toEqual({ type: 'parallel_started', node_id: 'fork', branch_count: 2 });
    expect(events[5]).toMatchObject({ type: 'parallel_completed', node_id: 'fork', success_count: 2, failure_count: 0 });
  });

  it('wait_all: partial_success when some branches fail, fail when all do', async () => {
    const some = await run(['b1', 'b2'], {}, async (id, context) =>
      branchResult(id, context, id === 'b1' ? { status: 'fail', failure_reason: 'lint' } : { status: 'success' }),
    ).result;
    expect(some).toMatchObject({ status: 'partial_success', continue_at: 'join', context_updates: { 'parallel.success_count': 1, 'parallel.failure_count': 1 } });
    expect((some.context_updates?.['parallel.results'] as unknown[])[0]).toEqual({ id: 'b1', status: 'fail', failure_reason: 'lint', completed_nodes: ['b1'] });

    const all = await run(['b1', 'b2'], {}, async (id, context) => branchResult(id, context, { status: 'fail', failure_reason: `${id} broke` })).result;
    expect(all.status).toBe('fail');
    expect(all.failure_reason).toBe('No parallel branch succeeded (b1: b1 broke; b2: b2 broke)');
    expect(all.continue_at).toBeUndefined();
  });

  it('first_success: succeeds with the first successful branch and cancels the others', async () => {
    const signals: Record<string, AbortSignal> = {};
    const started: string[] = [];
    const { result, events } = run(['slow', 'fast', 'never'], { join_policy: 'first_success', max_parallel: 2 }, async (id, context, signal) => {
      started.push(id);
      signals[id] = signal;
      if (id === 'fast') return branchResult(id, context, { status: 'success' });
      await aborted(signal);
      return branchResult(id, context, { status: 'fail', failure_reason: 'aborted' }, null);
    });
    const outcome = await result;
    expect(started).toEqual(['slow', 'fast']);
    expect(signals.slow!.aborted).toBe(true);
    expect(outcome).toMatchObject({ status: 'success', continue_at: 'join', context_updates: { 'parallel.success_count': 1, 'parallel.failure_count': 0 } });
    expect(outcome.context_updates?.['parallel.results']).toEqual([
      { id: 'slow', status: 'skipped', notes: 'cancelled: first_success satisfied by branch fast', completed_nodes: ['slow'] },
      { id: 'fast', status: 'success', completed_nodes: ['fast'] },
    ]);
    expect(events.filter((e) => e.type === 'parallel_branch_completed')).toHaveLength(2);
  });

  it('first_success: fails when no branch succeeds', async () => {
    const outcome = await run(['b1', 'b2'], { join_policy: 'first_success' }, async (id, context) => branchResult(id, context, { status: 'fail' })).result;
    expect(outcome.status).toBe('fail');
  });

  it('fails clearly when the branches join at different nodes or at none', async () => {
    const apart = await run(['b1', 'b2'], {}, async (id, context) => branchResult(id, context, { status: 'success' }, id === 'b1' ? 'join' : 'other')).result;
    expect(apart).toMatchObject({ status: 'fail', failure_reason: 'Parallel branches joined at different fan-in nodes: join, other' });

    const nowhere = await run(['b1'], {}, async (id, context) => branchResult(id, context, { status: 'success' }, null)).result;
    expect(nowhere).toMatchObject({ status: 'fail', failure_reason: 'No parallel branch reached a fan-in node' });
  });

  it('records a branch that throws as a failed branch and keeps the others', async () => {
    const outcome = await run(['b1', 'b2'], {}, async (id, context) => {
      if (id === 'b1') throw new Error('exploded');
      return branchResult(id, context, { status: 'success' });
    }).result;
    expect(outcome.status).toBe('partial_success');
    expect((outcome.context_updates?.['parallel.results'] as unknown[])[0]).toEqual({ id: 'b1', status: 'fail', failure_reason: 'branch error: exploded', completed_nodes: [] });
  });

  it('passes a cancelled run on to the branches and rejects with its reason', async () => {
    const controller = new AbortController();
    const branchSignals: AbortSignal[] = [];
    const { result } = run(['b1', 'b2'], {}, async (id, context, signal) => {
      branchSignals.push(signal);
      if (id === 'b2') controller.abort(new Error('run cancelled'));
      await aborted(signal);
      return branchResult(id, context, { status: 'fail' });
    }, new Context(), controller.signal);
    await expect(result).rejects.toThrow('run cancelled');
    expect(branchSignals.every((s) => s.aborted)).toBe(true);
  });

  it('fails on an unknown join_policy or a node without outgoing edges', async () => {
    const unknown = await run(['b1'], { join_policy: 'quorum' }, async () => Promise.reject(new Error('not called'))).result;
    expect(unknown).toMatchObject({ status: 'fail', failure_reason: 'Unknown join_policy "quorum" (expected wait_all or first_success)' });
    const lonely = buildGraph({ nodes: { fork: { shape: 'component' } } });
    const { input } = stageInput(lonely, 'fork', { root });
    expect(await new ParallelHandler().execute(input)).toMatchObject({ status: 'fail', failure_reason: 'Parallel node fork has no outgoing edges' });
  });
});
