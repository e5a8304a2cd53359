// The graph as plain JSON, the "graph" object of `factory lint --json` (contracts.md §1).
import { isDuration, type Attrs } from './graph.ts';
import type { Graph } from './graph.ts';

export type JsonAttrValue = string | number | boolean;
export type JsonAttrs = Record<string, JsonAttrValue>;

export interface GraphJson {
  name: string;
  attrs: JsonAttrs;
  nodes: Array<{ id: string; attrs: JsonAttrs }>;
  edges: Array<{ from: string; to: string; attrs: JsonAttrs }>;
}

/** Node and edge order is declaration order; durations become integer milliseconds. */
export function graphToJson(graph: Graph): GraphJson {
  return {
    name: graph.name,
    attrs: attrsToJson(graph.attrs),
    nodes: [...graph.nodes.values()].map((node) => ({ id: node.id, attrs: attrsToJson(node.attrs) })),
    edges: graph.edges.map((edge) => ({ from: edge.from, to: edge.to, attrs: attrsToJson(edge.attrs) })),
  };
}

function attrsToJson(attrs: Attrs): JsonAttrs {
  const json: JsonAttrs = {};
  for (const [key, value] of Object.entries(attrs)) json[key] = isDuration(value) ? value.ms : value;
  return json;
}
