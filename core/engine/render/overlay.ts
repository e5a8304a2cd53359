// What a run did, reduced to what a drawing needs: each node's state, the edges taken, where it stopped.
import type { Graph } from '../graph.ts';
import { declaredHandlerType } from '../handler.ts';
import type { Outcome, StageStatus } from '../outcome.ts';

export type RunStatusForRender = 'running' | 'success' | 'fail' | 'waiting' | 'cancelled';

/** The parts of a checkpoint (and result) that a drawing uses. */
export interface RunRecord {
  completed_nodes: readonly string[];
  node_outcomes: Readonly<Record<string, Pick<Outcome, 'status' | 'failure_reason'>>>;
  current_node?: string;
  next_node?: string;
  next_edge_index?: number;
  status?: RunStatusForRender;
}

/** A node's state in a drawing: its latest outcome, or where the run is parked, or not visited. */
export type NodeState = StageStatus | 'waiting' | 'cancelled' | 'not_visited';

export interface RunOverlay {
  states: ReadonlyMap<string, NodeState>;
  /** Indexes (GraphEdge.index) of edges the run went along. */
  takenEdges: ReadonlySet<number>;
  /** Where the run stopped: the exit, the failing node, the gate it waits at, the stage it was cancelled in. */
  stoppedAt?: string;
  /** Tooltip-sized notes per visited node (status and failure reason). */
  notes: ReadonlyMap<string, string>;
}

function isFanOutOrIn(graph: Graph, from: string, to: string): boolean {
  const source = graph.nodes.get(from);
  const target = graph.nodes.get(to);
  return (source !== undefined && declaredHandlerType(source) === 'parallel') || (target !== undefined && declaredHandlerType(target) === 'parallel.fan_in');
}

/** Nodes a parallel node's branches may run: everything after it up to (not including) a fan-in node. */
function branchNodes(graph: Graph, parallelId: string): Set<string> {
  const found = new Set<string>();
  const queue = graph.edges.filter((edge) => edge.from === parallelId).map((edge) => edge.to);
  while (queue.length > 0) {
    const id = queue.shift()!;
    const node = graph.nodes.get(id);
    if (!node || found.has(id) || id === parallelId || declaredHandlerType(node) === 'parallel.fan_in') continue;
    found.add(id);
    for (const edge of graph.edges) if (edge.from === id) queue.push(edge.to);
  }
  return found;
}

/** The run's path in walking order: a parallel node is recorded after its branches but ran before them. */
function walkingOrder(graph: Graph, completed: readonly string[]): string[] {
  const path = [...completed];
  for (let i = 0; i < path.length; i++) {
    const node = graph.nodes.get(path[i]!);
    if (!node || declaredHandlerType(node) !== 'parallel') continue;
    const branches = branchNodes(graph, node.id);
    let j = i;
    while (j > 0 && branches.has(path[j - 1]!)) j--;
    if (j < i) path.splice(j, 0, ...path.splice(i, 1));
  }
  return path;
}

/**
 * Edges between consecutive completed nodes (in walking order), plus the fan-out and fan-in edges of parallel nodes
 * whose both ends ran (branches finish before their parallel node is recorded, so they are not consecutive).
 */
function takenEdgeIndexes(graph: Graph, run: RunRecord): Set<number> {
  const taken = new Set<number>();
  const path = walkingOrder(graph, run.completed_nodes);
  for (let i = 0; i + 1 < path.length; i++) {
    for (const edge of graph.edges) if (edge.from === path[i] && edge.to === path[i + 1]) taken.add(edge.index);
  }
  const visited = new Set(path);
  for (const edge of graph.edges) {
    if (visited.has(edge.from) && visited.has(edge.to) && isFanOutOrIn(graph, edge.from, edge.to)) taken.add(edge.index);
  }
  if (run.next_edge_index !== undefined && graph.edges[run.next_edge_index]) taken.add(run.next_edge_index);
  return taken;
}

export function buildRunOverlay(graph: Graph, run: RunRecord): RunOverlay {
  const states = new Map<string, NodeState>();
  const notes = new Map<string, string>();
  for (const id of graph.nodes.keys()) states.set(id, 'not_visited');
  for (const [id, outcome] of Object.entries(run.node_outcomes)) {
    if (!states.has(id)) continue;
    states.set(id, outcome.status);
    const reason = outcome.failure_reason?.split('\n', 1)[0];
    notes.set(id, reason ? `${outcome.status}: ${reason}` : outcome.status);
  }
  const stoppedAt = run.next_node ?? (run.current_node || undefined);
  if (stoppedAt && states.get(stoppedAt) === 'not_visited' && (run.status === 'waiting' || run.status === 'cancelled')) {
    states.set(stoppedAt, run.status);
    notes.set(stoppedAt, run.status);
  }
  const overlay: RunOverlay = { states, takenEdges: takenEdgeIndexes(graph, run), notes };
  if (stoppedAt && graph.nodes.has(stoppedAt)) overlay.stoppedAt = stoppedAt;
  return overlay;
}
