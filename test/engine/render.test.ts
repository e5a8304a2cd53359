import { describe, expect, it } from '@jest/globals';
import { buildRunOverlay, mermaidIds, mermaidLabel, renderDot, renderMermaid } from '../../core/engine/render/index.ts';
import { buildGraph } from '../support/graph-builder.ts';

const parallelGraph = () =>
  buildGraph({
    name: 'fan',
    nodes: {
      start: { shape: 'Mdiamond' },
      plan: { shape: 'box' },
      board: { shape: 'component' },
      a: { shape: 'box' },
      b: { shape: 'box' },
      join: { shape: 'tripleoctagon' },
      exit: { shape: 'Msquare' },
    },
    edges: [['start', 'plan'], ['plan', 'board'], ['board', 'a'], ['board', 'b'], ['a', 'join'], ['b', 'join'], ['join', 'exit']],
  });

describe('renderDot', () => {
  it('keeps attribute types: numbers and booleans bare, strings and durations quoted, dotted keys quoted', () => {
    const graph = buildGraph({
      name: 'typed',
      attrs: { goal: 'Say "hi"', default_max_retries: 2 },
      nodes: { work: { shape: 'box', goal_gate: true, timeout: { kind: 'duration', ms: 90_000, text: '90s' }, 'human.default_choice': 'exit' } },
    });
    expect(renderDot(graph)).toBe(
      ['digraph typed {', '  graph [goal="Say \\"hi\\"", default_max_retries=2];', '  work [shape="box", goal_gate=true, timeout="90s", "human.default_choice"="exit"];', '}', ''].join('\n'),
    );
  });

  it('quotes a graph name that is not an identifier and keeps parallel edges', () => {
    const graph = buildGraph({ name: 'my graph', nodes: { a: {}, b: {} }, edges: [['a', 'b', { label: 'x' }], ['a', 'b', { label: 'y' }]] });
    const text = renderDot(graph);
    expect(text.startsWith('digraph "my graph" {')).toBe(true);
    expect(text).toContain('  a -> b [label="x"];\n  a -> b [label="y"];');
  });

  it('adds the overlay as presentation attributes and keeps an existing style', () => {
    const graph = buildGraph({ nodes: { start: { shape: 'Mdiamond' }, work: { style: 'rounded' }, exit: { shape: 'Msquare' } }, edges: [['start', 'work'], ['work', 'exit']] });
    const overlay = buildRunOverlay(graph, { completed_nodes: ['start', 'work'], node_outcomes: { start: { status: 'success' }, work: { status: 'fail', failure_reason: 'boom\nmore' } }, current_node: 'work', status: 'fail' });
    const text = renderDot(graph, overlay);
    expect(text).toContain('work [style="filled,rounded", fillcolor="#ffcdd2"');
    expect(text).toContain('tooltip="fail: boom"');
    expect(text).toContain('penwidth=4');
    expect(text).toMatch(/start -> work \[color="#1565c0", penwidth=3, style="bold"\]/);
    expect(text).toMatch(/work -> exit \[color="#bdbdbd"/);
    expect(text).toMatch(/exit \[shape="Msquare", style="filled", fillcolor="#f5f5f5"/);
  });
});

describe('renderMermaid', () => {
  it('sanitizes ids that are Mermaid keywords or not bare identifiers, keeping them unique', () => {
    const graph = buildGraph({ nodes: { end: {}, n_end: {}, class: {}, Start: {}, 'two words': {} } });
    expect([...mermaidIds(graph).entries()]).toEqual([
      ['end', 'n_end'],
      ['n_end', 'n_end_2'],
      ['class', 'n_class'],
      ['Start', 'Start'],
      ['two words', 'n_two_words'],
    ]);
  });

  it('escapes quotes, #, |, markup, and turns DOT line breaks into <br/>', () => {
    expect(mermaidLabel('say "hi" #1 | <b>\\nnext')).toBe('"say #quot;hi#quot; #35;1 #124; #lt;b#gt;<br/>next"');
  });

  it('maps shapes: start circle, exit stadium, diamond rhombus, hexagon, parallelogram, component and tripleoctagon subroutines', () => {
    const graph = buildGraph({
      attrs: { rankdir: 'LR' },
      nodes: {
        start: { shape: 'Mdiamond' },
        exit: { shape: 'Msquare' },
        check: { shape: 'diamond' },
        ask: { shape: 'hexagon', label: 'Ship?' },
        tool: { shape: 'parallelogram' },
        fan: { shape: 'component' },
        join: { shape: 'tripleoctagon' },
        plain: {},
        typed: { type: 'wait.human' },
      },
    });
    expect(renderMermaid(graph).split('\n')).toEqual([
      'flowchart LR',
      '  start(("start"))',
      '  exit(["exit"])',
      '  check{"check"}',
      '  ask{{"Ship?"}}',
      '  tool[/"tool"/]',
      '  fan[["fan"]]',
      '  join[["join"]]',
      '  plain["plain"]',
      '  typed{{"typed"}}',
      '',
    ]);
  });

  it('labels edges with their label, else their condition', () => {
    const graph = buildGraph({ nodes: { a: {}, b: {}, c: {} }, edges: [['a', 'b', { label: 'Go' }], ['a', 'c', { condition: 'outcome=fail' }], ['b', 'c']] });
    expect(renderMermaid(graph)).toContain('  a -->|"Go"| b\n  a -->|"outcome=fail"| c\n  b --> c\n');
  });
});

describe('buildRunOverlay', () => {
  it('marks the fan-out and fan-in edges of a parallel node, whose branches are recorded before it', () => {
    const graph = parallelGraph();
    const overlay = buildRunOverlay(graph, {
      completed_nodes: ['start', 'plan', 'a', 'b', 'board', 'join', 'exit'],
      node_outcomes: Object.fromEntries(['start', 'plan', 'a', 'b', 'board', 'join', 'exit'].map((id) => [id, { status: 'success' as const }])),
      current_node: 'exit',
      status: 'success',
    });
    expect([...overlay.takenEdges].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(overlay.stoppedAt).toBe('exit');
  });

  it('marks where a waiting run is parked, and the edge it took there', () => {
    const graph = buildGraph({ nodes: { start: { shape: 'Mdiamond' }, gate: { shape: 'hexagon' }, exit: { shape: 'Msquare' } }, edges: [['start', 'gate'], ['gate', 'exit']] });
    const overlay = buildRunOverlay(graph, { completed_nodes: ['start'], node_outcomes: { start: { status: 'success' } }, current_node: 'start', next_node: 'gate', next_edge_index: 0, status: 'waiting' });
    expect(overlay.stoppedAt).toBe('gate');
    expect(overlay.states.get('gate')).toBe('waiting');
    expect(overlay.states.get('exit')).toBe('not_visited');
    expect([...overlay.takenEdges]).toEqual([0]);
    const mermaid = renderMermaid(graph, overlay);
    expect(mermaid).toContain('  class gate waiting;');
    expect(mermaid).toContain('  class gate stopped_here;');
    expect(mermaid).toContain('  linkStyle 0 stroke:#1565c0,stroke-width:3px;');
  });

  it('does not mark edges that were not walked when a node was visited twice', () => {
    const graph = buildGraph({ nodes: { start: { shape: 'Mdiamond' }, a: {}, b: {}, exit: { shape: 'Msquare' } }, edges: [['start', 'a'], ['a', 'b'], ['b', 'a'], ['a', 'exit'], ['b', 'exit']] });
    const overlay = buildRunOverlay(graph, { completed_nodes: ['start', 'a', 'b', 'a', 'exit'], node_outcomes: {}, current_node: 'exit' });
    expect([...overlay.takenEdges].sort()).toEqual([0, 1, 2, 3]);
  });
});
