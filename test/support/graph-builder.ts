// Builds Graph values directly, for unit tests that should not depend on the DOT parser.
import type { Attrs, Graph, GraphEdge, GraphNode } from '../../core/engine/graph.ts';

export interface GraphSpec {
  name?: string;
  attrs?: Attrs;
  nodes: Record<string, Attrs>;
  /** `[from, to, attrs?]` in declaration order. */
  edges?: Array<[string, string, Attrs?]>;
}

export function buildGraph(spec: GraphSpec): Graph {
  const nodes = new Map<string, GraphNode>();
  for (const [id, attrs] of Object.entries(spec.nodes)) {
    const classes = typeof attrs.class === 'string' ? attrs.class.split(',').map((c) => c.trim()).filter(Boolean) : [];
    nodes.set(id, { id, attrs: { ...attrs }, classes });
  }
  const edges: GraphEdge[] = (spec.edges ?? []).map(([from, to, attrs], index) => ({ from, to, attrs: { ...(attrs ?? {}) }, index }));
  return { name: spec.name ?? 'G', attrs: { ...(spec.attrs ?? {}) }, nodes, edges };
}

/** start -> ids... -> exit, every middle node a box with a prompt. */
export function linearGraph(ids: string[], graphAttrs: Attrs = {}): Graph {
  const nodes: Record<string, Attrs> = { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' } };
  for (const id of ids) nodes[id] = { shape: 'box', prompt: `do ${id}` };
  const chain = ['start', ...ids, 'exit'];
  return buildGraph({ attrs: graphAttrs, nodes, edges: chain.slice(1).map((to, i) => [chain[i]!, to] as [string, string]) });
}
