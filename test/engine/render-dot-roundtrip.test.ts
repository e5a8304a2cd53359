// renderDot prints DOT that parseDot reads back as the same graph, for graphs whose ids are DOT
// keywords and whose labels and prompts hold quotes, backslashes, line breaks, unicode, DOT
// punctuation and keywords (property-based, fixed seed so a failure reproduces).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Attrs, AttrValue, Graph } from '../../core/engine/graph.ts';
import { parseDot } from '../../core/engine/parser/index.ts';
import { renderDot } from '../../core/engine/render/index.ts';
import { buildGraph } from '../support/graph-builder.ts';

const SEED = 20;
const RUNS = 300;

/** What a graph means, without source locations. */
function meaning(graph: Graph): unknown {
  return {
    name: graph.name,
    attrs: graph.attrs,
    nodes: [...graph.nodes.values()].map((node) => ({ id: node.id, attrs: node.attrs, classes: node.classes })),
    edges: graph.edges.map((edge) => ({ from: edge.from, to: edge.to, attrs: edge.attrs })),
  };
}

const KEYWORDS = ['node', 'edge', 'graph', 'digraph', 'subgraph', 'strict', 'Node', 'EDGE', 'Graph', 'DiGraph', 'SUBGRAPH', 'Strict'];

/** Pieces that break naive quoting: escapes, a trailing backslash, DOT punctuation and keywords. */
const TRICKY = fc.constantFrom(
  '"', '\\', '\\"', '"\\', '\\\\', '\\n', '\\t', '\n', '\r\n', '\r', '\t', '\\\n', ' ', '',
  '->', '--', ';', ',', '[', ']', '{', '}', '=', '#', '//', '/*', '*/', '<b>', '<', '>', '&amp;',
  ...KEYWORDS, 'é', 'ß', '日本語', '🚀', '👩‍💻', '\u2028', '\u00a0', '\ufeff',
);

/** Printable text (graphemes: no lone surrogates, none of the control characters DOT files refuse). */
const refusedInDot = (character: string): boolean => {
  const code = character.charCodeAt(0);
  return character.length === 1 && code < 0x20 && (code < 0x09 || code > 0x0d);
};
const PLAIN = fc.string({ unit: 'grapheme', maxLength: 8 }).map((text) => [...text].filter((character) => !refusedInDot(character)).join(''));

const TEXT = fc.array(fc.oneof({ weight: 3, arbitrary: TRICKY }, { weight: 1, arbitrary: PLAIN }), { maxLength: 8 }).map((pieces) => pieces.join(''));

const IDENTIFIER = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/);
const ID = fc.oneof(IDENTIFIER, fc.constantFrom(...KEYWORDS));

/** Typed values the parser gives back as the same type: strings, integers, booleans, durations. */
const DURATION = fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom('ms', 's', 'm', 'h')).map(([n, unit]): AttrValue => ({ kind: 'duration', ms: n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit], text: `${n}${unit}` }));

const NODE_ATTRS = fc.record(
  {
    label: TEXT,
    prompt: TEXT,
    shape: fc.constantFrom('box', 'diamond', 'hexagon', 'Mdiamond'),
    max_retries: fc.integer({ min: 0, max: 50 }),
    goal_gate: fc.boolean(),
    timeout: DURATION,
    'human.default_choice': TEXT,
    note: TEXT,
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Attrs>;

const EDGE_ATTRS = fc.record({ label: TEXT, weight: fc.integer({ min: -5, max: 5 }), loop_restart: fc.boolean() }, { requiredKeys: [] }) as fc.Arbitrary<Attrs>;

const GRAPH_ATTRS = fc.record({ goal: TEXT, label: TEXT, default_max_retries: fc.integer({ min: 0, max: 9 }) }, { requiredKeys: [] }) as fc.Arbitrary<Attrs>;

const GRAPHS = fc
  .record({
    name: ID,
    attrs: GRAPH_ATTRS,
    nodes: fc.uniqueArray(fc.tuple(ID, NODE_ATTRS), { minLength: 1, maxLength: 6, selector: ([id]) => id }),
    edgePicks: fc.array(fc.tuple(fc.nat(), fc.nat(), EDGE_ATTRS), { maxLength: 8 }),
  })
  .map(({ name, attrs, nodes, edgePicks }) => {
    const ids = nodes.map(([id]) => id);
    return buildGraph({
      name,
      attrs,
      nodes: Object.fromEntries(nodes),
      edges: edgePicks.map(([from, to, edgeAttrs]): [string, string, Attrs] => [ids[from % ids.length]!, ids[to % ids.length]!, edgeAttrs]),
    });
  });

describe('renderDot round-trips through parseDot', () => {
  it('prints every generated graph as DOT that parses, without diagnostics, to the same graph', () => {
    fc.assert(
      fc.property(GRAPHS, (graph) => {
        const { graph: parsed, diagnostics } = parseDot(renderDot(graph));
        expect(diagnostics).toEqual([]);
        expect(meaning(parsed)).toEqual(meaning(graph));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('closes a string that ends in a backslash and quotes ids that are DOT keywords', () => {
    const graph = buildGraph({ name: 'graph', nodes: { node: { prompt: 'ends with \\' }, Edge: { label: 'say "hi"\nthen \\"bye\\"' } }, edges: [['node', 'Edge']] });
    const text = renderDot(graph);
    expect(text).toBe(['digraph "graph" {', '  "node" [prompt="ends with \\\\"];', '  "Edge" [label="say \\"hi\\"\\nthen \\\\\\"bye\\\\\\""];', '  "node" -> "Edge";', '}', ''].join('\n'));
    expect(meaning(parseDot(text).graph)).toEqual(meaning(graph));
  });
});
