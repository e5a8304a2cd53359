import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../../core/engine/context.ts';
import type { Attrs } from '../../../core/engine/graph.ts';
import type { ChildRun, ChildRunOptions } from '../../../core/engine/handler.ts';
import { ManagerLoopHandler } from '../../../core/engine/handlers/manager-loop.ts';
import { buildGraph } from '../../support/graph-builder.ts';
import { fakeClock, stageInput, tempDir } from './stage-input.ts';

const root = tempDir('manager-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

type ChildStatus = ReturnType<ChildRun['status']>;

const running = (current_node: string, completed: string[] = [], retries: Record<string, number> = {}): ChildStatus => ({
  status: 'running',
  current_node,
  completed_nodes: completed,
  retries,
});

/** A child whose state moves one script step per poll (each clock sleep); the last step repeats. */
function scriptedChild(script: ChildStatus[]) {
  let step = 0;
  const steers: string[] = [];
  const starts: ChildRunOptions[] = [];
  let aborted = false;
  const child: ChildRun = {
    status: () => (aborted ? { ...script[Math.min(step, script.length - 1)]!, status: 'failed', outcome: 'cancelled' } : script[Math.min(step, script.length - 1)]!),
    steer: async (message) => {
      steers.push(message);
    },
    done: Promise.resolve(),
    abort: () => {
      aborted = true;
    },
  };
  const clock = fakeClock();
  const baseSleep = clock.sleep;
  clock.sleep = async (ms, signal) => {
    await baseSleep(ms, signal);
    step++;
  };
  return {
    clock,
    steers,
    starts,
    wasAborted: () => aborted,
    startChild: async (options: ChildRunOptions) => {
      starts.push(options);
      return child;
    },
  };
}

function manager(nodeAttrs: Attrs, fake: ReturnType<typeof scriptedChild>, options: { graphAttrs?: Attrs; context?: Context; signal?: AbortSignal } = {}) {
  const graph = buildGraph({ attrs: options.graphAttrs ?? { 'stack.child_dotfile': 'child.dot' }, nodes: { supervise: { shape: 'house', ...nodeAttrs } } });
  return stageInput(graph, 'supervise', {
    root,
    context: options.context,
    signal: options.signal,
    services: { clock: fake.clock, startChild: fake.startChild, workdir: '/repo' },
  });
}

describe('manager loop handler (§4.11)', () => {
  it('fails without a child dotfile', async () => {
    const fake = scriptedChild([running('a')]);
    const { input } = manager({}, fake, { graphAttrs: {} });
    expect(await new ManagerLoopHandler().execute(input)).toEqual({ status: 'fail', failure_reason: 'No stack.child_dotfile specified' });
    expect(fake.starts).toEqual([]);
  });

  it('starts the child, observes it every poll, and succeeds when it completes successfully', async () => {
    const fake = scriptedChild([running('plan'), running('build', ['plan']), { status: 'completed', outcome: 'success', completed_nodes: ['plan', 'build', 'exit'], retries: {} }]);
    const { input } = manager({}, fake);
    const outcome = await new ManagerLoopHandler().execute(input);

    expect(fake.starts).toEqual([{ dotfile: 'child.dot', workdir: '/repo', logsRoot: join(input.stageDir, 'child'), signal: input.signal }]);
    expect(fake.clock.sleeps).toEqual([45_000, 45_000]);
    expect(outcome).toEqual({
      status: 'success',
      notes: 'Child completed',
      context_updates: {
        'stack.child.status': 'completed',
        'stack.child.outcome': 'success',
        'stack.child.current_node': '',
        'stack.child.completed_count': 3,
      },
    });
    expect(input.context.get('stack.child.completed_count')).toBe(3);
    expect(fake.wasAborted()).toBe(false);
  });

  it('prefers the node’s dotfile and workdir, resolving the workdir against the services workdir', async () => {
    const fake = scriptedChild([{ status: 'completed', outcome: 'success', completed_nodes: [], retries: {} }]);
    const { input } = manager({ 'stack.child_dotfile': 'sprint.dot', 'stack.child_workdir': 'packages/core' }, fake);
    await new ManagerLoopHandler().execute(input);
    expect(fake.starts[0]).toMatchObject({ dotfile: 'sprint.dot', workdir: '/repo/packages/core' });
  });

  it('fails when the child fails', async () => {
    const fake = scriptedChild([running('build'), { status: 'failed', outcome: 'fail', completed_nodes: ['build'], retries: {} }]);
    const { input } = manager({ 'manager.poll_interval': { kind: 'duration', ms: 10_000, text: '10s' } }, fake);
    const outcome = await new ManagerLoopHandler().execute(input);
    expect(outcome).toMatchObject({ status: 'fail', failure_reason: 'Child failed' });
    expect(fake.clock.sleeps).toEqual([10_000]);
  });

  it('steers a child that keeps retrying, at most once per cooldown', async () => {
    const stuck = running('build', ['plan'], { build: 2 });
    const fake = scriptedChild([running('plan'), stuck, stuck, stuck, stuck, stuck, stuck, { status: 'completed', outcome: 'success', completed_nodes: [], retries: {} }]);
    const attrs: Attrs = {
      'manager.actions': 'observe, steer, wait',
      'manager.poll_interval': { kind: 'duration', ms: 60_000, text: '1m' },
      'manager.steer_cooldown': { kind: 'duration', ms: 180_000, text: '3m' },
    };
    const { input } = manager(attrs, fake);
    await new ManagerLoopHandler().execute(input);
    // Stuck from the second poll on (t = 1m … 6m): steered at 1m and again once 3m have passed, at 4m.
    expect(fake.steers).toHaveLength(2);
    expect(fake.steers[0]).toContain('build');
  });

  it('steers with manager.steer_message when given, and not at all without steer in the actions', async () => {
    const stuck = running('build', [], { build: 1 });
    const done: ChildStatus = { status: 'completed', outcome: 'success', completed_nodes: [], retries: {} };
    const withMessage = scriptedChild([stuck, done]);
    await new ManagerLoopHandler().execute(manager({ 'manager.actions': 'steer,wait', 'manager.steer_message': 'Try smaller steps.' }, withMessage).input);
    expect(withMessage.steers).toEqual(['Try smaller steps.']);

    const withoutSteer = scriptedChild([stuck, done]);
    await new ManagerLoopHandler().execute(manager({}, withoutSteer).input);
    expect(withoutSteer.steers).toEqual([]);
  });

  it('stops with success when the stop condition holds, and stops the child', async () => {
    const fake = scriptedChild([running('a'), running('b', ['a']), running('c', ['a', 'b'])]);
    const { input } = manager({ 'manager.stop_condition': 'context.stack.child.current_node=b' }, fake);
    const outcome = await new ManagerLoopHandler().execute(input);
    expect(outcome).toMatchObject({ status: 'success', notes: 'Stop condition satisfied' });
    expect(fake.clock.sleeps).toHaveLength(1);
    expect(fake.wasAborted()).toBe(true);
  });

  it('fails with "Max cycles exceeded" and stops the child when the cycles run out', async () => {
    const fake = scriptedChild([running('a')]);
    const { input } = manager({ 'manager.max_cycles': 3 }, fake);
    expect(await new ManagerLoopHandler().execute(input)).toMatchObject({ status: 'fail', failure_reason: 'Max cycles exceeded' });
    expect(fake.clock.sleeps).toHaveLength(2);
    expect(fake.wasAborted()).toBe(true);
  });

  it('without autostart supervises no child and relies on the stop condition', async () => {
    const fake = scriptedChild([running('a')]);
    const context = new Context({ 'sprint.done': 'true' });
    const { input } = manager({ 'stack.child_autostart': false, 'manager.stop_condition': 'context.sprint.done=true' }, fake, { context });
    expect(await new ManagerLoopHandler().execute(input)).toMatchObject({ status: 'success', notes: 'Stop condition satisfied' });
    expect(fake.starts).toEqual([]);
  });

  it('stops the child and rejects when the run is cancelled while waiting', async () => {
    const fake = scriptedChild([running('a')]);
    const controller = new AbortController();
    const baseSleep = fake.clock.sleep;
    fake.clock.sleep = async (ms, signal) => {
      controller.abort(new Error('run cancelled'));
      return baseSleep(ms, signal);
    };
    const { input } = manager({}, fake, { signal: controller.signal });
    await expect(new ManagerLoopHandler().execute(input)).rejects.toThrow('run cancelled');
    expect(fake.wasAborted()).toBe(true);
  });
});
