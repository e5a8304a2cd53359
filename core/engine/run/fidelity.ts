// Context fidelity and thread resolution (Attractor §5.4), handed to the LLM backend.
import { FIDELITY_MODES, type FidelityMode } from '../backend.ts';
import { attrString, type Graph, type GraphEdge, type GraphNode } from '../graph.ts';

function asMode(value: string): FidelityMode | undefined {
  return (FIDELITY_MODES as readonly string[]).includes(value) ? (value as FidelityMode) : undefined;
}

/** Incoming edge → target node → graph `default_fidelity` → `compact`. */
export function resolveFidelity(graph: Graph, node: GraphNode, incoming: GraphEdge | undefined): FidelityMode {
  return (
    asMode(incoming ? attrString(incoming.attrs, 'fidelity') : '') ??
    asMode(attrString(node.attrs, 'fidelity')) ??
    asMode(attrString(graph.attrs, 'default_fidelity')) ??
    'compact'
  );
}

/** Node `thread_id` → edge `thread_id` → graph `thread_id` → enclosing subgraph class → previous node. */
export function resolveThreadKey(graph: Graph, node: GraphNode, incoming: GraphEdge | undefined, previousNodeId: string | undefined): string | undefined {
  return (
    attrString(node.attrs, 'thread_id') ||
    (incoming ? attrString(incoming.attrs, 'thread_id') : '') ||
    attrString(graph.attrs, 'thread_id') ||
    node.subgraphClass ||
    previousNodeId
  );
}
