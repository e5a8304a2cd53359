// Builds a StageInput for one node of a test graph, with fakes for every engine service.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../core/engine/clock.ts';
import { Context } from '../../../core/engine/context.ts';
import type { EventInput } from '../../../core/engine/events.ts';
import type { Graph } from '../../../core/engine/graph.ts';
import type { EngineServices, StageInput } from '../../../core/engine/handler.ts';
import { QueueInterviewer } from '../../../core/engine/interviewers/queue.ts';
import { ArtifactStore } from '../../../core/engine/state/artifacts.ts';

/** A clock whose sleeps return at once, move time forward, and are recorded. */
export interface FakeClock extends Clock {
  sleeps: number[];
  advance(ms: number): void;
}

export function fakeClock(start = 1_000_000): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

export function tempDir(prefix = 'handlers-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface StageFixture {
  input: StageInput;
  events: EventInput[];
}

export function stageInput(
  graph: Graph,
  nodeId: string,
  options: {
    /** Directory that holds this stage's run directory (a fresh one under it); the test removes it. */
    root: string;
    context?: Context;
    services?: Partial<EngineServices>;
    signal?: AbortSignal;
  },
): StageFixture {
  const node = graph.nodes.get(nodeId);
  if (!node) throw new Error(`test graph has no node ${nodeId}`);
  const logsRoot = mkdtempSync(join(options.root, 'run-'));
  const stageDir = join(logsRoot, nodeId);
  mkdirSync(stageDir, { recursive: true });
  const events: EventInput[] = [];
  const services: EngineServices = {
    clock: fakeClock(),
    random: () => 0.5,
    workdir: logsRoot,
    interviewer: new QueueInterviewer(),
    artifacts: new ArtifactStore(),
    runBranch: () => Promise.reject(new Error('runBranch not provided by this test')),
    startChild: () => Promise.reject(new Error('startChild not provided by this test')),
    ...options.services,
  };
  const input: StageInput = {
    node,
    context: options.context ?? new Context(),
    graph,
    logsRoot,
    stageDir,
    attempt: 1,
    fidelity: 'compact',
    history: { completed_nodes: [], node_outcomes: {} },
    signal: options.signal ?? new AbortController().signal,
    emit: (event) => events.push(event),
    services,
  };
  return { input, events };
}
