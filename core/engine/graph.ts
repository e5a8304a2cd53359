// The in-memory graph model (Attractor §2): what the parser produces and everything else reads.

export interface SourceLocation {
  line: number;
  column: number;
}

/** A duration value (§2.4), kept with its source text so it can be printed back unchanged. */
export interface Duration {
  kind: 'duration';
  ms: number;
  text: string;
}

export type AttrValue = string | number | boolean | Duration;
export type Attrs = Record<string, AttrValue>;

export interface GraphNode {
  id: string;
  attrs: Attrs;
  /** Classes from the `class` attribute plus those derived from enclosing subgraph labels (§2.10). */
  classes: string[];
  /** Thread id derived from the innermost enclosing subgraph's class (§5.4 thread resolution step 4). */
  subgraphClass?: string;
  loc?: SourceLocation;
  /** Only ever mentioned by edges, never in a node statement (its `loc` is the first such edge). */
  implicit?: true;
}

export interface GraphEdge {
  from: string;
  to: string;
  attrs: Attrs;
  /** Position among all edges in declaration order; keeps parallel edges between the same nodes distinct. */
  index: number;
  loc?: SourceLocation;
}

export interface Graph {
  name: string;
  attrs: Attrs;
  /** Insertion-ordered by first declaration. */
  nodes: Map<string, GraphNode>;
  edges: GraphEdge[];
}

export function isDuration(value: unknown): value is Duration {
  return typeof value === 'object' && value !== null && (value as Duration).kind === 'duration';
}

export function outgoingEdges(graph: Graph, nodeId: string): GraphEdge[] {
  return graph.edges.filter((edge) => edge.from === nodeId);
}

export function incomingEdges(graph: Graph, nodeId: string): GraphEdge[] {
  return graph.edges.filter((edge) => edge.to === nodeId);
}

/** String view of any attribute value: durations print their source text, absent is "". */
export function attrString(attrs: Attrs, key: string): string {
  const value = attrs[key];
  if (value === undefined) return '';
  if (isDuration(value)) return value.text;
  return String(value);
}

export function attrNumber(attrs: Attrs, key: string): number | undefined {
  const value = attrs[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function attrBoolean(attrs: Attrs, key: string): boolean {
  const value = attrs[key];
  return value === true || value === 'true';
}

/** Duration in milliseconds; integers without a unit are seconds (engine.md §8). */
export function attrDurationMs(attrs: Attrs, key: string): number | undefined {
  const value = attrs[key];
  if (isDuration(value)) return value.ms;
  if (typeof value === 'number') return value * 1000;
  return undefined;
}

/** Deep copy, so transforms never modify their input (§9.1). */
export function cloneGraph(graph: Graph): Graph {
  const copyAttrs = (attrs: Attrs): Attrs => {
    const out: Attrs = {};
    for (const [key, value] of Object.entries(attrs)) out[key] = isDuration(value) ? { ...value } : value;
    return out;
  };
  const nodes = new Map<string, GraphNode>();
  for (const [id, node] of graph.nodes) {
    nodes.set(id, { ...node, attrs: copyAttrs(node.attrs), classes: [...node.classes], loc: node.loc && { ...node.loc } });
  }
  return {
    name: graph.name,
    attrs: copyAttrs(graph.attrs),
    nodes,
    edges: graph.edges.map((edge) => ({ ...edge, attrs: copyAttrs(edge.attrs), loc: edge.loc && { ...edge.loc } })),
  };
}
