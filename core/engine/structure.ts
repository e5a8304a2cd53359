// Structural queries shared by validation and execution: start/exit resolution and reachability.
import { attrString, type Graph, type GraphNode } from './graph.ts';

/** Start nodes: shape=Mdiamond, or id `start`/`Start` (§3.2, §7.2). */
export function findStartNodes(graph: Graph): GraphNode[] {
  const byShape = [...graph.nodes.values()].filter((n) => attrString(n.attrs, 'shape') === 'Mdiamond');
  if (byShape.length > 0) return byShape;
  return [...graph.nodes.values()].filter((n) => n.id === 'start' || n.id === 'Start');
}

/** Exit nodes: shape=Msquare, or id `exit`/`end` (§4.4, §7.2). */
export function findExitNodes(graph: Graph): GraphNode[] {
  const byShape = [...graph.nodes.values()].filter((n) => attrString(n.attrs, 'shape') === 'Msquare');
  if (byShape.length > 0) return byShape;
  return [...graph.nodes.values()].filter((n) => n.id === 'exit' || n.id === 'end');
}

export function isExitNode(graph: Graph, node: GraphNode): boolean {
  return findExitNodes(graph).some((n) => n.id === node.id);
}

/**
 * Ids reachable from `from` (breadth first, `from` included) over edges and over the jumps the
 * executor makes: a node's `retry_target`/`fallback_retry_target`, and the graph's, which a goal
 * gate can send the run to from the exit.
 */
export function reachableFrom(graph: Graph, from: string): Set<string> {
  const adjacency = new Map<string, string[]>();
  const link = (source: string, target: string) => {
    const list = adjacency.get(source);
    if (list) list.push(target);
    else adjacency.set(source, [target]);
  };
  for (const edge of graph.edges) link(edge.from, edge.to);
  for (const node of graph.nodes.values()) {
    for (const key of ['retry_target', 'fallback_retry_target']) {
      const target = attrString(node.attrs, key);
      if (target) link(node.id, target);
    }
  }
  for (const exit of findExitNodes(graph)) {
    for (const key of ['retry_target', 'fallback_retry_target']) {
      const target = attrString(graph.attrs, key);
      if (target) link(exit.id, target);
    }
  }
  const seen = new Set<string>([from]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    for (const next of adjacency.get(queue[i]!) ?? []) {
      if (!seen.has(next) && graph.nodes.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
