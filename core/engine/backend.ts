// The codergen backend interface (Attractor §4.5): the engine's only view of an LLM.
import type { Context } from './context.ts';
import type { EventInput } from './events.ts';
import type { Graph, GraphNode } from './graph.ts';
import type { Outcome } from './outcome.ts';

export const FIDELITY_MODES = ['full', 'truncate', 'compact', 'summary:low', 'summary:medium', 'summary:high'] as const;
export type FidelityMode = (typeof FIDELITY_MODES)[number];

/** What the run has done so far, for backends that build a fidelity preamble (§5.4). */
export interface RunHistory {
  completed_nodes: readonly string[];
  node_outcomes: Readonly<Record<string, Outcome>>;
}

export interface CodergenRequest {
  node: GraphNode;
  /** The stage prompt with `$goal` expanded (falls back to the label). */
  prompt: string;
  context: Context;
  graph: Graph;
  logsRoot: string;
  stageDir: string;
  /** Resolved edge → node → graph → `compact`; `full` degraded to `summary:high` on the first stage after a resume. */
  fidelity: FidelityMode;
  /** Session reuse key when fidelity is `full`. */
  threadKey?: string;
  history: RunHistory;
  signal: AbortSignal;
  emit(event: EventInput): void;
}

export interface CodergenBackend {
  /** A string is the response text (the handler reports success); an Outcome is used as is. */
  run(request: CodergenRequest): Promise<string | Outcome>;
}
