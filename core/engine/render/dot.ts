// Graph → DOT text that parses back to the same graph (ids, attributes and their types; durations in
// their source form), with an optional run overlay expressed as Graphviz presentation attributes.
import { attrString, isDuration, type Attrs, type AttrValue, type Graph, type GraphEdge, type GraphNode } from '../graph.ts';
import type { RunOverlay } from './overlay.ts';
import { OTHER_EDGE_COLOUR, STATE_COLOURS, STOPPED_BORDER_COLOUR, STOPPED_BORDER_WIDTH, TAKEN_EDGE_COLOUR, TAKEN_EDGE_WIDTH } from './palette.ts';

const DOT_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOT_NUMERAL = /^-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)$/;
/** DOT's keywords, case-insensitive: as a bare id they would be read as the keyword. */
const DOT_KEYWORDS = new Set(['node', 'edge', 'graph', 'digraph', 'subgraph', 'strict']);

/**
 * A DOT quoted string that reads back as `text` (§2.2 escapes): `\` and `"` are escaped, so a
 * string ending in a backslash still closes, and a line feed is written `\n` so every statement
 * stays on one line. Tabs, carriage returns and every other character are written as they are.
 */
export function quoteDot(text: string): string {
  return `"${text.replace(/[\\"\n]/g, (character) => (character === '\n' ? '\\n' : `\\${character}`))}"`;
}

/** An id (graph name, node id, attribute name) bare when DOT reads it back as itself, else quoted. */
function dotId(text: string): string {
  return DOT_IDENTIFIER.test(text) && !DOT_KEYWORDS.has(text.toLowerCase()) ? text : quoteDot(text);
}

function dotValue(value: AttrValue): string {
  if (isDuration(value)) return quoteDot(value.text);
  if (typeof value === 'number') return DOT_NUMERAL.test(String(value)) ? String(value) : quoteDot(String(value));
  if (typeof value === 'boolean') return String(value);
  return quoteDot(value);
}

function attrList(attrs: Attrs): string {
  const entries = Object.entries(attrs);
  if (entries.length === 0) return '';
  return ` [${entries.map(([key, value]) => `${dotId(key)}=${dotValue(value)}`).join(', ')}]`;
}

function withStyle(attrs: Attrs, style: string): string {
  const existing = attrString(attrs, 'style')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== style);
  return [style, ...existing].join(',');
}

function overlaidNodeAttrs(node: GraphNode, overlay: RunOverlay): Attrs {
  const state = overlay.states.get(node.id) ?? 'not_visited';
  const colours = STATE_COLOURS[state];
  const attrs: Attrs = { ...node.attrs, style: withStyle(node.attrs, 'filled'), fillcolor: colours.fill, color: colours.stroke, fontcolor: colours.text };
  const note = overlay.notes.get(node.id);
  if (note) attrs.tooltip = note;
  if (overlay.stoppedAt === node.id) {
    attrs.color = STOPPED_BORDER_COLOUR;
    attrs.penwidth = STOPPED_BORDER_WIDTH;
  }
  return attrs;
}

function overlaidEdgeAttrs(edge: GraphEdge, overlay: RunOverlay): Attrs {
  if (overlay.takenEdges.has(edge.index)) return { ...edge.attrs, color: TAKEN_EDGE_COLOUR, penwidth: TAKEN_EDGE_WIDTH, style: withStyle(edge.attrs, 'bold') };
  return { ...edge.attrs, color: OTHER_EDGE_COLOUR, fontcolor: OTHER_EDGE_COLOUR };
}

export function renderDot(graph: Graph, overlay?: RunOverlay): string {
  const lines = [`digraph ${dotId(graph.name || 'G')} {`];
  if (Object.keys(graph.attrs).length > 0) lines.push(`  graph${attrList(graph.attrs)};`);
  for (const node of graph.nodes.values()) {
    lines.push(`  ${dotId(node.id)}${attrList(overlay ? overlaidNodeAttrs(node, overlay) : node.attrs)};`);
  }
  for (const edge of graph.edges) {
    lines.push(`  ${dotId(edge.from)} -> ${dotId(edge.to)}${attrList(overlay ? overlaidEdgeAttrs(edge, overlay) : edge.attrs)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
