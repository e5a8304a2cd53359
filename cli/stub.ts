// `factory run --stub`: outcomes per node from a file (contracts.md §1), consumed in order with the
// last one repeating. A stubbed node's outcome replaces its handler's work; other nodes run as usual.
import { z } from 'zod';
import type { Graph } from '../core/engine/graph.ts';
import type { Handler, HandlerRegistry, StageInput } from '../core/engine/handler.ts';
import type { HandlerResult, Outcome } from '../core/engine/outcome.ts';
import { STAGE_STATUSES } from '../core/engine/outcome.ts';
import { findExitNodes, findStartNodes } from '../core/engine/structure.ts';
import { UsageError } from './errors.ts';
import { readJsonFile } from './json-file.ts';

const statusSchema = z.enum(STAGE_STATUSES);

const outcomeObjectSchema = z.strictObject({
  status: statusSchema.default('success'),
  preferred_label: z.string().optional(),
  suggested_next_ids: z.array(z.string()).optional(),
  context_updates: z.record(z.string(), z.unknown()).optional(),
  notes: z.string().optional(),
  failure_reason: z.string().optional(),
  /** What the stage spent, so budget stops can be rehearsed without a model. */
  cost_usd: z.number().nonnegative().optional(),
});

const stubEntrySchema = z.union([statusSchema, outcomeObjectSchema]);

export const stubFileSchema = z.strictObject({
  outcomes: z.record(z.string(), z.union([statusSchema, z.array(stubEntrySchema).min(1), outcomeObjectSchema])),
});

export type StubFile = z.infer<typeof stubFileSchema>;
type StubEntry = z.infer<typeof stubEntrySchema>;

/** Handler types whose nodes a stub may not replace: they only mark where a run begins and ends. */
const UNSTUBBABLE_TYPES = new Set(['start', 'exit']);

function toOutcome(entry: StubEntry, nodeId: string): Outcome {
  const outcome: Outcome = typeof entry === 'string' ? { status: entry } : { ...entry };
  if (outcome.status === 'fail' && !outcome.failure_reason) outcome.failure_reason = `stubbed failure of ${nodeId}`;
  if (!outcome.notes) outcome.notes = `stubbed outcome: ${outcome.status}`;
  return outcome;
}

/** The per-node outcome queues of one run; each node's calls are counted here, not globally. */
export class StubPlan {
  readonly #outcomes: ReadonlyMap<string, Outcome[]>;
  readonly #calls = new Map<string, number>();

  constructor(file: StubFile) {
    const outcomes = new Map<string, Outcome[]>();
    for (const [nodeId, value] of Object.entries(file.outcomes)) {
      const entries = Array.isArray(value) ? value : [value];
      outcomes.set(nodeId, entries.map((entry) => toOutcome(entry, nodeId)));
    }
    this.#outcomes = outcomes;
  }

  nodeIds(): string[] {
    return [...this.#outcomes.keys()];
  }

  /** The next outcome for a stubbed node (the last one repeats), or undefined for other nodes. */
  next(nodeId: string): Outcome | undefined {
    const queue = this.#outcomes.get(nodeId);
    if (!queue) return undefined;
    const call = this.#calls.get(nodeId) ?? 0;
    this.#calls.set(nodeId, call + 1);
    return structuredClone(queue[Math.min(call, queue.length - 1)]!);
  }
}

class StubbedHandler implements Handler {
  readonly #inner: Handler;
  readonly #plan: StubPlan;

  constructor(inner: Handler, plan: StubPlan) {
    this.#inner = inner;
    this.#plan = plan;
  }

  execute(input: StageInput): Promise<HandlerResult> {
    const stubbed = this.#plan.next(input.node.id);
    return stubbed ? Promise.resolve(stubbed) : this.#inner.execute(input);
  }
}

export function loadStub(path: string): StubFile {
  return readJsonFile(path, stubFileSchema, 'a stub file');
}

/** Every stubbed id must be a node of the graph that a stub may replace. */
export function checkStubAgainstGraph(plan: StubPlan, graph: Graph, registry: HandlerRegistry, path: string): void {
  const endpoints = new Set([...findStartNodes(graph), ...findExitNodes(graph)].map((node) => node.id));
  for (const nodeId of plan.nodeIds()) {
    const node = graph.nodes.get(nodeId);
    if (!node) throw new UsageError(`${path}: outcomes.${nodeId}: the graph has no node "${nodeId}"`);
    if (endpoints.has(nodeId) || UNSTUBBABLE_TYPES.has(registry.typeOf(node))) {
      throw new UsageError(`${path}: outcomes.${nodeId}: "${nodeId}" is a start or exit node, which cannot be stubbed`);
    }
  }
}

function handlerForType(registry: HandlerRegistry, type: string): Handler {
  const handler = registry.get(type);
  if (!handler) throw new Error(`no handler registered for type "${type}"`);
  return handler;
}

/** Wraps every registered handler (start and exit aside) so stubbed nodes skip the real work. */
export function installStub(plan: StubPlan, register: (type: string, handler: Handler) => void, registry: HandlerRegistry): void {
  for (const type of registry.types()) {
    if (UNSTUBBABLE_TYPES.has(type)) continue;
    register(type, new StubbedHandler(handlerForType(registry, type), plan));
  }
}
