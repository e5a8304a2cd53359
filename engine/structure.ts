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

/** Ids reachable from `from` over edges whose targets exist (breadth first, `from` included). */
export function reachableFrom(graph: Graph, from: string): Set<string> {
  const adjacency = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = adjacency.get(edge.from);
    if (list) list.push(edge.to);
    else adjacency.set(edge.from, [edge.to]);
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
