// The core execution loop (Attractor §3.1–§3.8) with the decisions of engine.md.
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { CodergenBackend, FidelityMode } from '../backend.ts';
import { systemClock, type Clock, type Random } from '../clock.ts';
import { Context } from '../context.ts';
import { CheckpointError } from '../errors.ts';
import { EventBus, type EventInput } from '../events.ts';
import { attrBoolean, attrDurationMs, attrNumber, attrString, type Graph, type GraphEdge, type GraphNode } from '../graph.ts';
import type { BranchResult, BranchWorkspaces, ChildRun, ChildRunOptions, EngineServices, HandlerRegistry, StageInput } from '../handler.ts';
import type { Interviewer } from '../interviewer.ts';
import { addUsage, isWaiting, STAGE_STATUSES, type HandlerResult, type Outcome, type StageStatus, type Usage, type WaitingResult } from '../outcome.ts';
import { ArtifactStore } from '../state/artifacts.ts';
import { findExitNodes, findStartNodes } from '../structure.ts';
import { loadAnyCheckpoint, saveCheckpoint, type Checkpoint, type SpecCheckpoint } from './checkpoint.ts';
import { routeFailure, selectEdge } from './edge-selection.ts';
import { resolveFidelity, resolveThreadKey } from './fidelity.ts';
import { findUnsatisfiedGoalGate, goalGateRetryTarget } from './goal-gates.ts';
import { buildRetryPolicy, delayForAttempt } from './retry.ts';
import { STEERING_FILE } from '../handlers/steering.ts';
import { EventLog, stageDir, writeManifest, writeResult, writeStageStatus, type Manifest, type RunResult, type RunStatus } from './run-dir.ts';

export const DEFAULT_MAX_VISITS = 25;
export const DEFAULT_MAX_STEPS = 500;
const SAME_FAILURE_LIMIT = 3;

export interface RunOptions {
  logsRoot: string;
  registry: HandlerRegistry;
  /** Working directory for tools and agents; default the process's. */
  workdir?: string;
  backend?: CodergenBackend;
  interviewer: Interviewer;
  clock?: Clock;
  random?: Random;
  runId?: string;
  /** Continue from `<logsRoot>/checkpoint.json` without re-running completed nodes. */
  resume?: boolean;
  signal?: AbortSignal;
  /** The DOT source and its path, recorded in the manifest (the sha256 identifies the graph on resume). */
  graphSource?: string;
  graphPath?: string;
  manifest?: { spec_sha?: string; tool_version?: string; models?: Record<string, string> };
  /** Stop the run with a budget failure once the recorded cost exceeds this. */
  maxUsd?: number;
  /** Extra files that receive every event as a JSON line, besides `<logsRoot>/events.jsonl`. */
  eventFiles?: string[];
  bus?: EventBus;
  /** Isolated working directories for parallel branches (git worktrees or copies, from the host). */
  workspaces?: BranchWorkspaces;
  /** Loads a child graph for the manager loop (parse, transform, validate). */
  loadChildGraph?: (dotfile: string) => Graph;
}

/** A run in progress: its events and, eventually, its result. */
export interface RunHandle {
  runId: string;
  bus: EventBus;
  result: Promise<RunResult>;
  cancel(reason?: string): void;
}

class RunCancelled extends Error {}

/** Where a run (re-)enters: the node, the edge that led there, and the node before it. */
interface ResumePoint {
  node: string;
  edge?: GraphEdge | undefined;
  previous?: string | undefined;
}

/** Inside a stage directory: the files of attempts a resume replaced. */
export const ATTEMPTS_DIR = 'attempts';

function isStageStatus(value: string): value is StageStatus {
  return (STAGE_STATUSES as readonly string[]).includes(value);
}

interface StageRun {
  result: Outcome | WaitingResult;
  attempts: number;
  retries: number;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Usage and cost an error reports for the work done before it was thrown (e.g. a budget stop). */
function spentBy(error: unknown): Pick<Outcome, 'usage' | 'cost_usd'> {
  if (typeof error !== 'object' || error === null) return {};
  const { usage, cost_usd } = error as { usage?: Usage; cost_usd?: number | null };
  const spent: Pick<Outcome, 'usage' | 'cost_usd'> = {};
  if (usage && typeof usage.input_tokens === 'number') spent.usage = usage;
  if (cost_usd === null || typeof cost_usd === 'number') spent.cost_usd = cost_usd;
  return spent;
}

function graphHash(graph: Graph, source: string | undefined): string {
  const hash = createHash('sha256');
  if (source !== undefined) return hash.update(source).digest('hex');
  const canonical = {
    name: graph.name,
    attrs: graph.attrs,
    nodes: [...graph.nodes.values()].map((n) => [n.id, n.attrs]),
    edges: graph.edges.map((e) => [e.from, e.to, e.attrs]),
  };
  return hash.update(JSON.stringify(canonical)).digest('hex');
}

function modelsOf(graph: Graph): Record<string, string> {
  const models: Record<string, string> = {};
  for (const node of graph.nodes.values()) {
    const model = attrString(node.attrs, 'llm_model');
    if (!model) continue;
    const provider = attrString(node.attrs, 'llm_provider');
    models[node.id] = provider ? `${provider}/${model}` : model;
  }
  return models;
}

export function startRun(graph: Graph, options: RunOptions): RunHandle {
  const runId = options.runId ?? randomUUID();
  const bus = options.bus ?? new EventBus(runId, (options.clock ?? systemClock).now);
  bus.runId = runId;
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), { once: true });
  const run = new PipelineRun(graph, { ...options, runId, bus, signal: controller.signal });
  // Start on a later microtask so callers can subscribe before the first event.
  const result = Promise.resolve()
    .then(() => run.execute())
    .finally(() => bus.close());
  return { runId, bus, result, cancel: (reason) => controller.abort(new Error(reason ?? 'cancelled')) };
}

export function runPipeline(graph: Graph, options: RunOptions): Promise<RunResult> {
  return startRun(graph, options).result;
}

class PipelineRun {
  readonly #graph: Graph;
  readonly #options: RunOptions & { runId: string; bus: EventBus; signal: AbortSignal };
  /** The run's id; a resume takes the checkpoint's, so a resumed run keeps its identity. */
  #runId: string;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #logsRoot: string;
  readonly #graphSha: string;
  readonly #maxSteps: number;
  readonly #exitIds: ReadonlySet<string>;
  #artifacts: ArtifactStore;
  #eventLog: EventLog | undefined;

  #context = new Context();
  #completed: string[] = [];
  #outcomes: Record<string, Outcome> = {};
  /** Retries of every visit of each node, in visit order. */
  #retries: Record<string, number[]> = {};
  #visits: Record<string, number> = {};
  #steps = 0;
  #restarts = 0;
  #usage: Usage | undefined;
  #cost: number | null | undefined;
  #sameFailure = new Map<string, { reason: string; count: number }>();
  /** After a resume, the first `full` stage degrades to `summary:high` (§5.3 step 6). */
  #degradeNextFull = false;
  #startedAt = 0;

  constructor(graph: Graph, options: RunOptions & { runId: string; bus: EventBus; signal: AbortSignal }) {
    this.#graph = graph;
    this.#options = options;
    this.#runId = options.runId;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#logsRoot = options.logsRoot;
    this.#graphSha = graphHash(graph, options.graphSource);
    this.#maxSteps = attrNumber(graph.attrs, 'max_steps') ?? DEFAULT_MAX_STEPS;
    this.#exitIds = new Set(findExitNodes(graph).map((node) => node.id));
    this.#artifacts = new ArtifactStore({ baseDir: options.logsRoot, now: this.#clock.now });
  }

  #emit = (event: EventInput): void => {
    const stamped = this.#options.bus.emit(event);
    this.#eventLog?.write(stamped);
  };

  async execute(): Promise<RunResult> {
    this.#startedAt = this.#clock.now();
    mkdirSync(this.#logsRoot, { recursive: true });
    let start: ResumePoint;
    if (this.#options.resume) {
      const restored = this.#restore();
      if ('finished' in restored) return restored.finished;
      start = restored;
    } else {
      start = { node: this.#startNode() };
      this.#seedContext();
      writeManifest(this.#logsRoot, this.#manifest());
    }
    this.#eventLog = new EventLog([join(this.#logsRoot, 'events.jsonl'), ...(this.#options.eventFiles ?? [])]);
    try {
      this.#emit({ type: 'pipeline_started', name: this.#graph.name, goal: attrString(this.#graph.attrs, 'goal'), resumed: Boolean(this.#options.resume) });
      if (this.#options.resume) {
        // A raised budget must come with the resume, or the run would stop again after one stage.
        const stop = this.#budgetExceeded();
        if (stop) return this.#fail(`${stop}; resume with a higher max_usd (--max-usd)`, start);
      }
      return await this.#loop(start.node, start.edge, start.previous);
    } finally {
      this.#eventLog.close();
    }
  }

  #startNode(): string {
    const starts = findStartNodes(this.#graph);
    if (starts.length !== 1) throw new CheckpointError(`graph must have exactly one start node, found ${starts.length}`);
    return starts[0]!.id;
  }

  #seedContext(): void {
    this.#context.set('graph.goal', attrString(this.#graph.attrs, 'goal'));
    this.#context.set('graph.label', attrString(this.#graph.attrs, 'label'));
    this.#context.set('run.id', this.#runId);
  }

  #manifest(): Manifest {
    const { manifest = {} } = this.#options;
    return {
      run_id: this.#runId,
      graph: { path: this.#options.graphPath, sha256: this.#graphSha, name: this.#graph.name, goal: attrString(this.#graph.attrs, 'goal') },
      started_at: new Date(this.#clock.now()).toISOString(),
      spec_sha: manifest.spec_sha,
      models: { ...modelsOf(this.#graph), ...manifest.models },
      tool_version: manifest.tool_version,
    };
  }

  #restore(): ResumePoint | { finished: RunResult } {
    const loaded = loadAnyCheckpoint(this.#logsRoot);
    if (loaded.shape === 'spec') return this.#restoreSpecShape(loaded.checkpoint);
    const { checkpoint } = loaded;
    if (checkpoint.graph.sha256 !== this.#graphSha) {
      throw new CheckpointError(
        `checkpoint in ${this.#logsRoot} belongs to graph "${checkpoint.graph.name}" (sha256 ${checkpoint.graph.sha256.slice(0, 12)}), not to "${this.#graph.name}" (sha256 ${this.#graphSha.slice(0, 12)})`,
      );
    }
    this.#runId = checkpoint.run_id;
    this.#options.bus.runId = checkpoint.run_id;
    this.#context = new Context(checkpoint.context, checkpoint.logs);
    this.#completed = [...checkpoint.completed_nodes];
    this.#outcomes = { ...checkpoint.node_outcomes };
    this.#retries = Object.fromEntries(Object.entries(checkpoint.node_retries).map(([id, visits]) => [id, [...visits]]));
    this.#visits = { ...checkpoint.node_visits };
    this.#steps = checkpoint.steps;
    this.#restarts = checkpoint.restarts;
    this.#usage = checkpoint.usage;
    this.#cost = checkpoint.cost_usd;
    for (const [nodeId, visits] of Object.entries(this.#retries)) this.#context.set(`internal.retry_count.${nodeId}`, visits.at(-1) ?? 0);
    if (checkpoint.status === 'success') return { finished: { ...this.#result('success', undefined), already_complete: true } };
    // Resume anything (a failure, a budget stop, a cancellation, a crash): re-enter at the stage
    // that did not complete. A checkpoint written before resume points existed for failures names
    // the failed stage as its current node.
    const nodeId = checkpoint.next_node ?? (checkpoint.status === 'fail' ? checkpoint.current_node : undefined);
    if (!nodeId) return { finished: this.#result('fail', checkpoint.failure_reason) };
    if (!this.#graph.nodes.has(nodeId)) {
      throw new CheckpointError(`checkpoint resumes at node "${nodeId}", which this graph does not have`);
    }
    this.#degradeNextFull = true;
    const edge = checkpoint.next_node !== undefined && checkpoint.next_edge_index !== undefined ? this.#graph.edges[checkpoint.next_edge_index] : undefined;
    const previous = checkpoint.next_node !== undefined ? checkpoint.current_node : undefined;
    // A parked gate resumes with its question; any other stage gets a fresh attempt, the earlier
    // attempt's files kept beside it.
    if (checkpoint.status !== 'waiting') {
      this.#archiveAttempt(nodeId);
      this.#context.set(`internal.retry_count.${nodeId}`, 0);
    }
    return { node: nodeId, ...(edge ? { edge } : {}), ...(previous ? { previous } : {}) };
  }

  /** A §5.3 checkpoint: the next node is the one after `current_node` in the traversal (§5.3 step 5). */
  #restoreSpecShape(checkpoint: SpecCheckpoint): ResumePoint | { finished: RunResult } {
    const current = this.#graph.nodes.get(checkpoint.current_node);
    if (!current) throw new CheckpointError(`checkpoint's current_node "${checkpoint.current_node}" is not a node of this graph`);
    const runId = typeof checkpoint.context['run.id'] === 'string' ? checkpoint.context['run.id'] : this.#runId;
    this.#runId = runId;
    this.#options.bus.runId = runId;
    this.#context = new Context(checkpoint.context, checkpoint.logs);
    this.#completed = [...checkpoint.completed_nodes];
    this.#retries = Object.fromEntries(Object.entries(checkpoint.node_retries).map(([id, count]) => [id, [count]]));
    for (const id of this.#completed) this.#visits[id] = (this.#visits[id] ?? 0) + 1;
    this.#steps = this.#completed.length;
    for (const [nodeId, count] of Object.entries(checkpoint.node_retries)) this.#context.set(`internal.retry_count.${nodeId}`, count);
    writeManifest(this.#logsRoot, this.#manifest());
    if (this.#exitIds.has(current.id)) return { finished: { ...this.#result('success', undefined), already_complete: true } };
    const status = this.#context.getString('outcome');
    const outcome: Outcome = { status: isStageStatus(status) ? status : 'success' };
    const label = this.#context.getString('preferred_label');
    if (label) outcome.preferred_label = label;
    this.#degradeNextFull = true;
    const next = this.#nextStep(current, outcome, this.#context);
    // The last stage failed with nowhere to go: it is the one that did not complete.
    if ('end' in next) {
      if (next.end === 'success') return { finished: { ...this.#result('success', undefined), already_complete: true } };
      this.#archiveAttempt(current.id);
      return { node: current.id };
    }
    return { node: next.node, ...(next.edge ? { edge: next.edge } : {}), previous: current.id };
  }

  /** Moves the files of a stage's unfinished attempt to `<stage>/attempts/<n>/` before it runs again. */
  #archiveAttempt(nodeId: string): void {
    const dir = stageDir(this.#logsRoot, nodeId);
    if (!existsSync(dir)) return;
    const entries = readdirSync(dir).filter((entry) => entry !== ATTEMPTS_DIR);
    if (entries.length === 0) return;
    const attempts = join(dir, ATTEMPTS_DIR);
    mkdirSync(attempts, { recursive: true });
    const archive = join(attempts, String(readdirSync(attempts).length + 1));
    mkdirSync(archive);
    for (const entry of entries) renameSync(join(dir, entry), join(archive, entry));
  }

  async #loop(firstNode: string, firstEdge: GraphEdge | undefined, firstPrevious: string | undefined): Promise<RunResult> {
    let currentId = firstNode;
    let incoming = firstEdge;
    let previous = firstPrevious;
    try {
      while (true) {
        const node = this.#graph.nodes.get(currentId);
        if (!node) return this.#fail(`node "${currentId}" does not exist`, undefined, previous);

        if (this.#exitIds.has(node.id)) {
          const gate = findUnsatisfiedGoalGate(this.#graph, this.#outcomes);
          if (gate) {
            const target = goalGateRetryTarget(this.#graph, gate);
            if (!target) return this.#fail(`goal gate "${gate.id}" unsatisfied and no retry target`, { node: node.id, edge: incoming, previous });
            this.#context.appendLog(`goal gate ${gate.id} unsatisfied; jumping to ${target}`);
            const bound = this.#checkBounds(this.#graph.nodes.get(target)!);
            if (bound) return this.#fail(bound, { node: target, previous });
            currentId = target;
            incoming = undefined;
            continue;
          }
          const stage = await this.#executeNode(node, this.#context, incoming, previous, this.#options.signal);
          this.#record(node, stage.result as Outcome, stage.retries, this.#context);
          this.#checkpoint(node.id, undefined, undefined, 'success');
          return this.#finish('success', undefined);
        }

        const bound = this.#checkBounds(node);
        if (bound) return this.#fail(bound, { node: node.id, edge: incoming, previous });
        this.#steps++;
        this.#visits[node.id] = (this.#visits[node.id] ?? 0) + 1;
        this.#context.set('current_node', node.id);

        const stage = await this.#executeNode(node, this.#context, incoming, previous, this.#options.signal);
        if (isWaiting(stage.result)) {
          this.#steps--;
          this.#visits[node.id]!--;
          this.#checkpoint(previous ?? node.id, node.id, incoming?.index, 'waiting');
          this.#emit({ type: 'pipeline_waiting', node_id: node.id, question: stage.result.question });
          return this.#finish('waiting', undefined, { node_id: node.id, question: stage.result.question });
        }
        const outcome = stage.result;
        this.#record(node, outcome, stage.retries, this.#context);

        const repeated = this.#repeatedFailure(node, outcome);
        if (repeated) return this.#fail(repeated, { node: node.id, edge: incoming, previous });
        const next = this.#nextStep(node, outcome, this.#context);
        const budgetStop = this.#budgetExceeded();
        if (budgetStop && !('end' in next && next.end === 'success')) {
          // The stage itself completed: a resume continues after it (or re-runs it, when it failed).
          return this.#fail(budgetStop, 'end' in next ? { node: node.id, edge: incoming, previous } : { node: next.node, edge: next.edge, previous: node.id });
        }
        if ('end' in next) {
          if (next.end === 'fail') {
            // Resume re-enters at the failed stage with a fresh attempt.
            this.#checkpoint(previous ?? node.id, node.id, incoming?.index, 'fail', next.reason);
            return this.#finish('fail', next.reason);
          }
          this.#checkpoint(node.id, undefined, undefined, next.end, next.reason);
          return this.#finish(next.end, next.reason);
        }
        if (next.edge && attrBoolean(next.edge.attrs, 'loop_restart')) {
          this.#restart(node.id, next.node);
          previous = undefined;
          incoming = undefined;
          currentId = next.node;
          this.#checkpoint(node.id, currentId, undefined, 'running');
          continue;
        }
        this.#checkpoint(node.id, next.node, next.edge?.index, 'running');
        previous = node.id;
        incoming = next.edge;
        currentId = next.node;
      }
    } catch (error) {
      if (error instanceof RunCancelled || this.#options.signal.aborted) {
        this.#checkpoint(previous ?? currentId, currentId, incoming?.index, 'cancelled');
        return this.#finish('cancelled', `cancelled: ${errorMessage(this.#options.signal.reason ?? error)}`);
      }
      throw error;
    }
  }

  /** Where to go after a node: continue_at, failure routing, or the five-step edge selection. */
  #nextStep(node: GraphNode, outcome: Outcome, context: Context): { node: string; edge?: GraphEdge } | { end: RunStatus; reason?: string } {
    if (outcome.continue_at) return { node: outcome.continue_at };
    if (outcome.status === 'fail') {
      const route = routeFailure(this.#graph, node, outcome, context);
      if (route.kind === 'edge') return { node: route.edge.to, edge: route.edge };
      if (route.kind === 'jump') {
        context.appendLog(`${node.id} failed; jumping to ${route.via} ${route.target}`);
        return { node: route.target };
      }
      return { end: 'fail', reason: `stage "${node.id}" failed: ${outcome.failure_reason ?? 'no reason given'}` };
    }
    const edge = selectEdge(this.#graph, node.id, outcome, context);
    if (!edge) return { end: 'success', reason: undefined };
    return { node: edge.to, edge };
  }

  #checkBounds(node: GraphNode): string | undefined {
    if (this.#steps >= this.#maxSteps) return `max_steps bound reached: the run executed ${this.#steps} stages (max_steps=${this.#maxSteps})`;
    const maxVisits = attrNumber(node.attrs, 'max_visits') ?? attrNumber(this.#graph.attrs, 'default_max_visits') ?? DEFAULT_MAX_VISITS;
    if ((this.#visits[node.id] ?? 0) >= maxVisits) return `max_visits bound reached: node "${node.id}" already ran ${maxVisits} times (max_visits=${maxVisits})`;
    return undefined;
  }

  #budgetExceeded(): string | undefined {
    const max = this.#options.maxUsd;
    if (max === undefined || typeof this.#cost !== 'number' || this.#cost <= max) return undefined;
    return `budget exhausted: spent $${this.#cost.toFixed(4)} of max_usd $${max}`;
  }

  /** engine.md decision 7: the same failure on three consecutive visits of a node ends the run. */
  #repeatedFailure(node: GraphNode, outcome: Outcome): string | undefined {
    if (outcome.status !== 'fail') {
      this.#sameFailure.delete(node.id);
      return undefined;
    }
    const reason = outcome.failure_reason ?? '';
    const last = this.#sameFailure.get(node.id);
    const count = last && last.reason === reason ? last.count + 1 : 1;
    this.#sameFailure.set(node.id, { reason, count });
    if (count < SAME_FAILURE_LIMIT) return undefined;
    return `node "${node.id}" failed ${count} visits in a row with the same reason: ${reason || '(none)'}`;
  }

  #record(node: GraphNode, outcome: Outcome, retries: number, context: Context): void {
    this.#completed.push(node.id);
    const { continue_at: _continueAt, ...stored } = outcome;
    // The checkpoint keeps what routing, goal gates and summaries need; context updates are
    // already in the context and in the stage's status.json (engine.md decision 10).
    const { context_updates: _updates, ...kept } = stored;
    this.#outcomes[node.id] = kept;
    (this.#retries[node.id] ??= []).push(retries);
    context.applyUpdates(outcome.context_updates);
    context.set('outcome', outcome.status);
    if (outcome.preferred_label) context.set('preferred_label', outcome.preferred_label);
    else context.delete('preferred_label');
    context.set(`internal.retry_count.${node.id}`, retries);
    this.#usage = addUsage(this.#usage, outcome.usage);
    if (outcome.cost_usd === null) this.#cost = null;
    else if (typeof outcome.cost_usd === 'number' && this.#cost !== null) this.#cost = (this.#cost ?? 0) + outcome.cost_usd;
    writeStageStatus(this.#logsRoot, node.id, stored);
  }

  #checkpoint(currentNode: string, nextNode: string | undefined, nextEdgeIndex: number | undefined, status: Checkpoint['status'], failureReason?: string): void {
    const checkpoint: Checkpoint = {
      timestamp: new Date(this.#clock.now()).toISOString(),
      run_id: this.#runId,
      graph: { name: this.#graph.name, sha256: this.#graphSha },
      current_node: currentNode,
      next_node: nextNode,
      next_edge_index: nextEdgeIndex,
      completed_nodes: this.#completed,
      node_outcomes: this.#outcomes,
      node_retries: this.#retries,
      node_visits: this.#visits,
      steps: this.#steps,
      restarts: this.#restarts,
      context: this.#context.toJSON(),
      logs: [...this.#context.logs],
      usage: this.#usage,
      cost_usd: this.#cost,
      status,
      failure_reason: failureReason,
    };
    saveCheckpoint(this.#logsRoot, checkpoint);
    this.#emit({ type: 'checkpoint_saved', node_id: currentNode });
  }

  /** `loop_restart` (§2.7): archive this pass's files and start over with a fresh context. */
  #restart(fromNode: string, toNode: string): void {
    this.#restarts++;
    const archive = join(this.#logsRoot, 'restarts', String(this.#restarts));
    mkdirSync(archive, { recursive: true });
    for (const entry of readdirSync(this.#logsRoot)) {
      if (entry === 'restarts' || entry === 'events.jsonl' || entry === 'manifest.json') continue;
      renameSync(join(this.#logsRoot, entry), join(archive, entry));
    }
    this.#context = new Context();
    this.#seedContext();
    this.#completed = [];
    this.#outcomes = {};
    this.#retries = {};
    this.#visits = {};
    this.#sameFailure.clear();
    this.#artifacts = new ArtifactStore({ baseDir: this.#logsRoot, now: this.#clock.now });
    this.#emit({ type: 'pipeline_restarted', from_node: fromNode, to_node: toNode, logs_root: this.#logsRoot });
  }

  #result(status: RunStatus, failureReason: string | undefined, waitingFor?: RunResult['waiting_for']): RunResult {
    const result: RunResult = {
      status,
      completed_nodes: [...this.#completed],
      node_outcomes: { ...this.#outcomes },
      run_id: this.#runId,
      logs_root: this.#logsRoot,
    };
    if (failureReason) result.failure_reason = failureReason;
    if (this.#usage) result.usage = this.#usage;
    if (this.#cost !== undefined) result.cost_usd = this.#cost;
    if (waitingFor) result.waiting_for = waitingFor;
    return result;
  }

  /** Ends the run with `fail`; `resumeAt` is where `--resume` re-enters (the stage that did not complete). */
  #fail(reason: string, resumeAt: ResumePoint | undefined, lastNode?: string): RunResult {
    if (resumeAt) this.#checkpoint(resumeAt.previous ?? resumeAt.node, resumeAt.node, resumeAt.edge?.index, 'fail', reason);
    else this.#checkpoint(lastNode ?? '', undefined, undefined, 'fail', reason);
    return this.#finish('fail', reason);
  }

  #finish(status: RunStatus, failureReason: string | undefined, waitingFor?: RunResult['waiting_for']): RunResult {
    const result = this.#result(status, failureReason, waitingFor);
    writeResult(this.#logsRoot, result);
    const duration = this.#clock.now() - this.#startedAt;
    if (status === 'success') {
      this.#emit({ type: 'pipeline_completed', duration_ms: duration, artifact_count: this.#artifacts.size, usage: this.#usage, cost_usd: this.#cost });
    } else if (status === 'fail' || status === 'cancelled') {
      this.#emit({ type: 'pipeline_failed', error: failureReason ?? status, duration_ms: duration, usage: this.#usage, cost_usd: this.#cost });
    }
    return result;
  }

  #services(workdir?: string): EngineServices {
    return {
      clock: this.#clock,
      random: this.#random,
      workdir: workdir ?? this.#options.workdir ?? process.cwd(),
      ...(this.#options.workspaces ? { workspaces: this.#options.workspaces } : {}),
      backend: this.#options.backend,
      interviewer: this.#options.interviewer,
      artifacts: this.#artifacts,
      runBranch: (startNodeId, context, signal, branchDir) => this.#runBranch(startNodeId, context, signal, branchDir),
      startChild: (options) => this.#startChild(options),
    };
  }

  /** Runs one node with its retry policy (engine.md decision 3). */
  async #executeNode(node: GraphNode, context: Context, incoming: GraphEdge | undefined, previous: string | undefined, signal: AbortSignal, workdir?: string): Promise<StageRun> {
    const handlerType = this.#options.registry.typeOf(node);
    const handler = this.#options.registry.resolve(node);
    const policy = buildRetryPolicy(node, this.#graph);
    const dir = stageDir(this.#logsRoot, node.id);
    mkdirSync(dir, { recursive: true });
    const index = this.#steps;
    let fidelity: FidelityMode = resolveFidelity(this.#graph, node, incoming);
    if (fidelity === 'full' && this.#degradeNextFull && handlerType === 'codergen') {
      fidelity = 'summary:high';
      this.#degradeNextFull = false;
    }
    const threadKey = resolveThreadKey(this.#graph, node, incoming, previous);
    const timeoutMs = handler.enforcesTimeout ? undefined : attrDurationMs(node.attrs, 'timeout');
    let usage: Usage | undefined;
    let cost: number | null | undefined;
    let retries = 0;

    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new RunCancelled();
      this.#emit({ type: 'stage_started', name: node.id, index, attempt, handler: handlerType });
      const started = this.#clock.now();
      const input: StageInput = {
        node,
        context,
        graph: this.#graph,
        logsRoot: this.#logsRoot,
        stageDir: dir,
        attempt,
        fidelity,
        threadKey,
        history: { completed_nodes: this.#completed, node_outcomes: this.#outcomes },
        signal,
        emit: this.#emit,
        services: this.#services(workdir),
      };
      let result: HandlerResult;
      try {
        result = await this.#invoke(handler.execute.bind(handler), input, timeoutMs);
      } catch (error) {
        if (signal.aborted) throw new RunCancelled();
        result = { status: 'fail', failure_reason: errorMessage(error), ...spentBy(error) };
        if (!policy.shouldRetry(error)) {
          usage = addUsage(usage, result.usage);
          if (result.cost_usd === null) cost = null;
          else if (typeof result.cost_usd === 'number' && cost !== null) cost = (cost ?? 0) + result.cost_usd;
          return this.#settle(node, index, result, attempt, retries, usage, cost, started, false);
        }
      }
      if (isWaiting(result)) return { result, attempts: attempt, retries };

      usage = addUsage(usage, result.usage);
      if (result.cost_usd === null) cost = null;
      else if (typeof result.cost_usd === 'number' && cost !== null) cost = (cost ?? 0) + result.cost_usd;

      const retryable = result.status === 'retry' || result.status === 'fail';
      if (retryable && attempt < policy.max_attempts) {
        const delay = delayForAttempt(attempt, policy.backoff, this.#random);
        this.#emit({ type: 'stage_failed', name: node.id, index, error: result.failure_reason ?? result.status, will_retry: true, usage: result.usage, cost_usd: result.cost_usd });
        this.#emit({ type: 'stage_retrying', name: node.id, index, attempt: attempt + 1, delay_ms: delay });
        retries++;
        context.set(`internal.retry_count.${node.id}`, retries);
        await this.#clock.sleep(delay, signal).catch(() => {
          throw new RunCancelled();
        });
        continue;
      }
      return this.#settle(node, index, result, attempt, retries, usage, cost, started, retryable && attempt >= policy.max_attempts);
    }
  }

  /** The final outcome of a node's attempts, with usage summed over all of them. */
  #settle(node: GraphNode, index: number, last: Outcome, attempts: number, retries: number, usage: Usage | undefined, cost: number | null | undefined, started: number, exhausted: boolean): StageRun {
    let outcome: Outcome = { ...last };
    if (exhausted && last.status === 'retry') {
      outcome = attrBoolean(node.attrs, 'allow_partial')
        ? { ...last, status: 'partial_success', notes: 'retries exhausted, partial accepted' }
        : { ...last, status: 'fail', failure_reason: last.failure_reason ?? 'max retries exceeded' };
    }
    if (usage) outcome.usage = usage;
    if (cost !== undefined) outcome.cost_usd = cost;
    const duration = this.#clock.now() - started;
    if (outcome.status === 'fail') {
      this.#emit({ type: 'stage_failed', name: node.id, index, error: outcome.failure_reason ?? 'failed', will_retry: false, usage: outcome.usage, cost_usd: outcome.cost_usd });
    } else {
      this.#emit({ type: 'stage_completed', name: node.id, index, duration_ms: duration, status: outcome.status, usage: outcome.usage, cost_usd: outcome.cost_usd });
    }
    return { result: outcome, attempts, retries };
  }

  /** Calls a handler with the node's timeout; a handler that outlives it fails the attempt. */
  async #invoke(execute: (input: StageInput) => Promise<HandlerResult>, input: StageInput, timeoutMs: number | undefined): Promise<HandlerResult> {
    if (timeoutMs === undefined) return execute(input);
    const attempt = new AbortController();
    const onAbort = () => attempt.abort(input.signal.reason);
    input.signal.addEventListener('abort', onAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<HandlerResult>((resolve) => {
      timer = setTimeout(() => {
        attempt.abort(new Error('timeout'));
        resolve({ status: 'fail', failure_reason: `stage timed out after ${timeoutMs} ms` });
      }, timeoutMs);
    });
    try {
      return await Promise.race([execute({ ...input, signal: attempt.signal }), timedOut]);
    } finally {
      clearTimeout(timer);
      input.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Runs a parallel branch until it reaches a fan-in node, the exit, or a dead end (engine.md decision 4). */
  async #runBranch(startNodeId: string, context: Context, signal: AbortSignal, workdir?: string): Promise<BranchResult> {
    const completed: string[] = [];
    let currentId = startNodeId;
    let incoming: GraphEdge | undefined;
    let previous: string | undefined;
    let last: Outcome = { status: 'success' };
    while (true) {
      const node = this.#graph.nodes.get(currentId);
      if (!node) return { branch: startNodeId, outcome: { status: 'fail', failure_reason: `node "${currentId}" does not exist` }, completed_nodes: completed, context };
      const type = this.#options.registry.typeOf(node);
      if (type === 'parallel.fan_in') return { branch: startNodeId, outcome: last, completed_nodes: completed, joined_at: node.id, context };
      if (this.#exitIds.has(node.id)) return { branch: startNodeId, outcome: last, completed_nodes: completed, context };
      const bound = this.#checkBounds(node);
      if (bound) return { branch: startNodeId, outcome: { status: 'fail', failure_reason: bound }, completed_nodes: completed, context };
      this.#steps++;
      this.#visits[node.id] = (this.#visits[node.id] ?? 0) + 1;
      const stage = await this.#executeNode(node, context, incoming, previous, signal, workdir);
      if (isWaiting(stage.result)) {
        return { branch: startNodeId, outcome: { status: 'fail', failure_reason: `human gate "${node.id}" cannot wait inside a parallel branch` }, completed_nodes: completed, context };
      }
      last = stage.result;
      this.#record(node, last, stage.retries, context);
      completed.push(node.id);
      const next = this.#nextStep(node, last, context);
      if ('end' in next) return { branch: startNodeId, outcome: last, completed_nodes: completed, context };
      previous = node.id;
      incoming = next.edge;
      currentId = next.node;
    }
  }

  /** A child pipeline in process, supervised by the manager loop (§4.11). */
  async #startChild(options: ChildRunOptions): Promise<ChildRun> {
    const load = this.#options.loadChildGraph;
    if (!load) throw new Error('this host cannot start child pipelines (no loadChildGraph)');
    const graph = load(options.dotfile);
    const bus = new EventBus('child', this.#clock.now);
    const state = { status: 'running' as 'running' | 'completed' | 'failed', outcome: undefined as string | undefined, current_node: undefined as string | undefined, completed_nodes: [] as string[], retries: {} as Record<string, number> };
    bus.subscribe((event) => {
      if (event.type === 'stage_started') {
        state.current_node = event.name;
        if (event.attempt > 1) state.retries[event.name] = event.attempt - 1;
      } else if (event.type === 'stage_completed') state.completed_nodes.push(event.name);
    });
    const handle = startRun(graph, {
      ...this.#options,
      logsRoot: options.logsRoot,
      workdir: options.workdir,
      signal: options.signal,
      resume: false,
      runId: undefined,
      bus,
      graphSource: undefined,
      graphPath: options.dotfile,
      eventFiles: [],
    });
    const done = handle.result.then(
      (result) => {
        state.status = result.status === 'success' ? 'completed' : 'failed';
        state.outcome = result.status;
        return result;
      },
      (error: unknown) => {
        state.status = 'failed';
        state.outcome = 'fail';
        return { status: 'fail', failure_reason: errorMessage(error) };
      },
    );
    return {
      status: () => ({ ...state, completed_nodes: [...state.completed_nodes], retries: { ...state.retries } }),
      steer: async (message) => {
        if (!state.current_node) return;
        const dir = stageDir(options.logsRoot, state.current_node);
        mkdirSync(dir, { recursive: true });
        appendFileSync(join(dir, STEERING_FILE), `${message}\n`);
      },
      done,
      abort: () => handle.cancel('stopped by manager'),
    };
  }
}
