// Graph → Mermaid flowchart text; with a run overlay, node states become classDef/class lines and
// the edges taken get a linkStyle.
import { attrString, type Graph, type GraphNode } from '../graph.ts';
import { SHAPE_TO_TYPE } from '../handler.ts';
import { findExitNodes, findStartNodes } from '../structure.ts';
import type { NodeState, RunOverlay } from './overlay.ts';
import { STATE_COLOURS, STOPPED_BORDER_COLOUR, STOPPED_BORDER_WIDTH, TAKEN_EDGE_COLOUR, TAKEN_EDGE_WIDTH } from './palette.ts';

const SAFE_ID = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Words the flowchart grammar reads as keywords at the start of a statement or inside one. */
const RESERVED_IDS = new Set(['end', 'graph', 'flowchart', 'subgraph', 'direction', 'style', 'linkstyle', 'classdef', 'class', 'click', 'call', 'href', 'default']);

const DIRECTIONS: Readonly<Record<string, string>> = { LR: 'LR', RL: 'RL', BT: 'BT', TB: 'TD' };

/** [open, close] delimiters of a node per Graphviz shape. */
const SHAPES: Readonly<Record<string, readonly [string, string]>> = {
  Mdiamond: ['((', '))'],
  Msquare: ['([', '])'],
  box: ['[', ']'],
  rect: ['[', ']'],
  rectangle: ['[', ']'],
  diamond: ['{', '}'],
  hexagon: ['{{', '}}'],
  parallelogram: ['[/', '/]'],
  component: ['[[', ']]'],
  tripleoctagon: ['[[', ']]'],
  house: ['[/', '\\]'],
  circle: ['((', '))'],
  doublecircle: ['(((', ')))'],
  ellipse: ['([', '])'],
  oval: ['([', '])'],
  cylinder: ['[(', ')]'],
};
const TYPE_TO_SHAPE: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SHAPE_TO_TYPE).map(([shape, type]) => [type, shape]));

/** Mermaid node ids: bare ids where safe, else `n_` + a sanitized form, unique across the graph. */
export function mermaidIds(graph: Graph): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const id of graph.nodes.keys()) {
    let safe = SAFE_ID.test(id) && !RESERVED_IDS.has(id.toLowerCase()) ? id : `n_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
    for (let suffix = 2; used.has(safe); suffix++) safe = `${safe}_${suffix}`;
    used.add(safe);
    ids.set(id, safe);
  }
  return ids;
}

/** A quoted Mermaid label: entity codes keep quotes, `#`, `|` and markup literal; DOT's `\n` breaks the line. */
export function mermaidLabel(text: string): string {
  const escaped = text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/&/g, '#amp;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;')
    .replace(/\\[nlr]|\r?\n/g, '<br/>');
  return `"${escaped}"`;
}

function shapeOf(node: GraphNode, starts: ReadonlySet<string>, exits: ReadonlySet<string>): readonly [string, string] {
  const shape = attrString(node.attrs, 'shape') || (starts.has(node.id) ? 'Mdiamond' : exits.has(node.id) ? 'Msquare' : TYPE_TO_SHAPE[attrString(node.attrs, 'type')] ?? 'box');
  return SHAPES[shape] ?? SHAPES.box!;
}

function classDefs(overlay: RunOverlay, ids: ReadonlyMap<string, string>): string[] {
  const byState = new Map<NodeState, string[]>();
  for (const [nodeId, state] of overlay.states) {
    const list = byState.get(state) ?? [];
    list.push(ids.get(nodeId)!);
    byState.set(state, list);
  }
  const lines: string[] = [];
  for (const [state, members] of byState) {
    const colours = STATE_COLOURS[state];
    lines.push(`  classDef ${state} fill:${colours.fill},stroke:${colours.stroke},color:${colours.text};`);
    lines.push(`  class ${members.join(',')} ${state};`);
  }
  if (overlay.stoppedAt) {
    // Defined last so its border wins over the state class.
    lines.push(`  classDef stopped_here stroke:${STOPPED_BORDER_COLOUR},stroke-width:${STOPPED_BORDER_WIDTH}px;`);
    lines.push(`  class ${ids.get(overlay.stoppedAt)} stopped_here;`);
  }
  return lines;
}

export function renderMermaid(graph: Graph, overlay?: RunOverlay): string {
  const ids = mermaidIds(graph);
  const starts = new Set(findStartNodes(graph).map((n) => n.id));
  const exits = new Set(findExitNodes(graph).map((n) => n.id));
  const lines = [`flowchart ${DIRECTIONS[attrString(graph.attrs, 'rankdir').toUpperCase()] ?? 'TD'}`];
  for (const node of graph.nodes.values()) {
    const [open, close] = shapeOf(node, starts, exits);
    lines.push(`  ${ids.get(node.id)}${open}${mermaidLabel(attrString(node.attrs, 'label') || node.id)}${close}`);
  }
  const taken: number[] = [];
  let link = 0;
  for (const edge of graph.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    // Edges to undeclared nodes cannot exist after parsing; skip rather than invent nodes.
    if (!from || !to) continue;
    const label = attrString(edge.attrs, 'label') || attrString(edge.attrs, 'condition');
    lines.push(`  ${from} -->${label ? `|${mermaidLabel(label)}|` : ''} ${to}`);
    if (overlay?.takenEdges.has(edge.index)) taken.push(link);
    link++;
  }
  if (overlay) {
    lines.push(...classDefs(overlay, ids));
    if (taken.length > 0) lines.push(`  linkStyle ${taken.join(',')} stroke:${TAKEN_EDGE_COLOUR},stroke-width:${TAKEN_EDGE_WIDTH}px;`);
  }
  return `${lines.join('\n')}\n`;
}
