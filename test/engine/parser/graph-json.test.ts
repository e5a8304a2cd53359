import { describe, expect, it } from '@jest/globals';
import { graphToJson } from '../../../core/engine/graph-json.ts';
import { parseDot } from '../../../core/engine/parser/index.ts';
import { buildGraph } from '../../support/graph-builder.ts';

describe('graphToJson (the "graph" of factory lint --json)', () => {
  it('lists name, graph attributes, nodes and edges in declaration order with typed values', () => {
    const { graph } = parseDot(`digraph Shape {
      goal = "Ship it"; default_max_retries = 2
      node [timeout=15m]
      start [shape=Mdiamond]
      work [prompt="Do the work", goal_gate=true, ratio=0.5, class="heavy"]
      start -> work [weight=3, label="go"]
      work -> work [loop_restart=false]
    }`);
    expect(graphToJson(graph)).toEqual({
      name: 'Shape',
      attrs: { goal: 'Ship it', default_max_retries: 2 },
      nodes: [
        { id: 'start', attrs: { timeout: 900_000, shape: 'Mdiamond' } },
        { id: 'work', attrs: { timeout: 900_000, prompt: 'Do the work', goal_gate: true, ratio: 0.5, class: 'heavy' } },
      ],
      edges: [
        { from: 'start', to: 'work', attrs: { weight: 3, label: 'go' } },
        { from: 'work', to: 'work', attrs: { loop_restart: false } },
      ],
    });
  });

  it('turns every duration into integer milliseconds and survives JSON.stringify unchanged', () => {
    const graph = buildGraph({
      nodes: { a: { timeout: { kind: 'duration', ms: 250, text: '250ms' }, 'manager.poll_interval': { kind: 'duration', ms: 30_000, text: '30s' } } },
      edges: [['a', 'a', { fidelity: 'full' }]],
    });
    const json = graphToJson(graph);
    expect(json.nodes[0]?.attrs).toEqual({ timeout: 250, 'manager.poll_interval': 30_000 });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('does not share attribute objects with the graph', () => {
    const { graph } = parseDot('digraph G { a [label="x"] }');
    const json = graphToJson(graph);
    json.nodes[0]!.attrs.label = 'changed';
    expect(graph.nodes.get('a')?.attrs.label).toBe('x');
  });
});
