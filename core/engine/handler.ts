// The handler interface and registry (Attractor §4.1, §4.2, §2.8).
import type { CodergenBackend, FidelityMode, RunHistory } from './backend.ts';
import type { Clock, Random } from './clock.ts';
import type { Context } from './context.ts';
import type { EventInput } from './events.ts';
import type { Graph, GraphNode } from './graph.ts';
import type { Interviewer } from './interviewer.ts';
import type { HandlerResult, Outcome } from './outcome.ts';
import type { ArtifactStore } from './state/artifacts.ts';

export const SHAPE_TO_TYPE: Readonly<Record<string, string>> = {
  Mdiamond: 'start',
  Msquare: 'exit',
  box: 'codergen',
  hexagon: 'wait.human',
  diamond: 'conditional',
  component: 'parallel',
  tripleoctagon: 'parallel.fan_in',
  parallelogram: 'tool',
  house: 'stack.manager_loop',
};

/** The result of running a parallel branch until it reaches a fan-in node (or runs out of edges). */
export interface BranchResult {
  /** First node of the branch (the parallel node's edge target). */
  branch: string;
  outcome: Outcome;
  completed_nodes: string[];
  /** The fan-in node the branch stopped at, if any. */
  joined_at?: string;
  context: Context;
}

export interface ChildRunOptions {
  /** Path of the child DOT file, resolved by the host against the parent graph's directory. */
  dotfile: string;
  workdir: string;
  logsRoot: string;
  signal: AbortSignal;
}

/** A child pipeline running in process, for the manager loop (§4.11). */
export interface ChildRun {
  /** Latest known state: `running`, `completed` or `failed`, the active stage and outcomes so far. */
  status(): { status: 'running' | 'completed' | 'failed'; outcome?: string; current_node?: string; completed_nodes: string[]; retries: Record<string, number> };
  /** Write an intervention for the child's active stage (steer). */
  steer(message: string): Promise<void>;
  done: Promise<unknown>;
  abort(): void;
}

/** The working directory one parallel branch runs in (its own worktree or copy). */
export interface BranchWorkspace {
  /** The branch's first node. */
  branch: string;
  dir: string;
  /** The git branch it works on (`factory/<run id>/<branch id>`), when the base is a git working directory. */
  ref?: string;
  /** The commit that records the branch's changes, once sealed. */
  commit?: string;
}

export type FanInApplication = { applied: true; files: string[] } | { applied: false; conflicts: string[] };

/**
 * Isolated parallel branches (the host's: git worktrees or copies). The engine only knows this
 * interface; the CLI and the Action inject an implementation.
 */
export interface BranchWorkspaces {
  /** One working directory per branch, each created from the base directory's state at the fan-out. */
  fanOut(request: { runId: string; nodeId: string; branches: readonly string[]; baseDir: string }): Promise<BranchWorkspace[]>;
  /** Records what a finished branch changed (a commit on its branch). */
  seal(workspace: BranchWorkspace): Promise<BranchWorkspace>;
  /** Applies the branches' changes to the base directory; several branches are merged, and a conflict changes nothing. */
  fanIn(request: { baseDir: string; branches: readonly BranchWorkspace[] }): Promise<FanInApplication>;
}

/** Engine services a handler may use; everything with side effects is injected here. */
export interface EngineServices {
  clock: Clock;
  random: Random;
  /** Working directory for tools and agents (the checkout). */
  workdir: string;
  backend?: CodergenBackend;
  interviewer: Interviewer;
  artifacts: ArtifactStore;
  /** Runs a branch; `workdir` is its own working directory when branches are isolated. */
  runBranch(startNodeId: string, context: Context, signal: AbortSignal, workdir?: string): Promise<BranchResult>;
  /** Isolated working directories for parallel branches; absent, branches share `workdir`. */
  workspaces?: BranchWorkspaces;
  startChild(options: ChildRunOptions): Promise<ChildRun>;
}

export interface StageInput {
  node: GraphNode;
  context: Context;
  graph: Graph;
  logsRoot: string;
  /** `<logsRoot>/<node id>/`, created before the handler runs. */
  stageDir: string;
  /** 1-based attempt number within the node's retry policy. */
  attempt: number;
  fidelity: FidelityMode;
  threadKey?: string;
  history: RunHistory;
  signal: AbortSignal;
  emit(event: EventInput): void;
  services: EngineServices;
}

export interface Handler {
  execute(input: StageInput): Promise<HandlerResult>;
  /** True when the handler enforces the node's `timeout` itself; the executor then sets no timer of its own. */
  readonly enforcesTimeout?: boolean;
}

/** Resolution order of §4.2: explicit `type`, then shape, then the default (codergen). */
export class HandlerRegistry {
  #handlers = new Map<string, Handler>();
  #defaultType: string;

  constructor(defaultType = 'codergen') {
    this.#defaultType = defaultType;
  }

  register(type: string, handler: Handler): void {
    this.#handlers.set(type, handler);
  }

  /** The handler registered for a type, if any. */
  get(type: string): Handler | undefined {
    return this.#handlers.get(type);
  }

  has(type: string): boolean {
    return this.#handlers.has(type);
  }

  types(): string[] {
    return [...this.#handlers.keys()];
  }

  /** The handler type a node resolves to (used for events, lint and rendering). */
  typeOf(node: GraphNode): string {
    const explicit = typeof node.attrs.type === 'string' ? node.attrs.type : '';
    if (explicit && this.#handlers.has(explicit)) return explicit;
    const byShape = SHAPE_TO_TYPE[typeof node.attrs.shape === 'string' ? node.attrs.shape : 'box'];
    if (byShape && this.#handlers.has(byShape)) return byShape;
    return this.#defaultType;
  }

  resolve(node: GraphNode): Handler {
    const handler = this.#handlers.get(this.typeOf(node));
    if (!handler) throw new Error(`no handler registered for type "${this.typeOf(node)}"`);
    return handler;
  }
}

/** Handler type from attributes alone, without a registry (lint, rendering). */
export function declaredHandlerType(node: GraphNode): string {
  const explicit = typeof node.attrs.type === 'string' ? node.attrs.type : '';
  if (explicit) return explicit;
  return SHAPE_TO_TYPE[typeof node.attrs.shape === 'string' ? node.attrs.shape : 'box'] ?? 'codergen';
}
