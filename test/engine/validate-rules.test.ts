import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../core/engine/diagnostics.ts';
import type { Attrs, Graph } from '../../core/engine/graph.ts';
import { parseDot } from '../../core/engine/parser/index.ts';
import { validate } from '../../core/engine/validate/index.ts';
import { closestMatch, editDistance } from '../../core/engine/validate/suggest.ts';
import { buildGraph, linearGraph } from '../support/graph-builder.ts';

function lint(graph: Graph, rule: string): Diagnostic[] {
  return validate(graph).filter((d) => d.rule === rule);
}

/** start -> a -> exit with extra attributes on `a`. */
function withNode(attrs: Attrs, graphAttrs: Attrs = {}): Graph {
  const graph = linearGraph(['a'], graphAttrs);
  Object.assign(graph.nodes.get('a')!.attrs, attrs);
  return graph;
}

describe('stylesheet_syntax', () => {
  it('reports an unparsable model_stylesheet as an error with the position in the stylesheet', () => {
    const [diagnostic, ...rest] = lint(linearGraph(['a'], { model_stylesheet: '* { llm_model: m }\n.x { colour: red }' }), 'stylesheet_syntax');
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({ severity: 'error', message: expect.stringContaining('line 2, column 6') });
    expect(diagnostic!.message).toContain("unknown property 'colour'");
  });

  it('accepts a valid or absent stylesheet', () => {
    expect(lint(linearGraph(['a'], { model_stylesheet: 'box { reasoning_effort: high }' }), 'stylesheet_syntax')).toEqual([]);
    expect(lint(linearGraph(['a']), 'stylesheet_syntax')).toEqual([]);
  });
});

describe('type_known', () => {
  it('warns about a type no handler provides, suggesting a near one', () => {
    expect(lint(withNode({ type: 'wait.humans' }), 'type_known')).toEqual([expect.objectContaining({
      severity: 'warning', node_id: 'a', fix: 'did you mean "wait.human"?',
    })]);
  });
});

describe('fidelity_valid', () => {
  it('checks node, edge and graph default fidelity', () => {
    const graph = withNode({ fidelity: 'summary:hi' }, { default_fidelity: 'everything' });
    graph.edges[0]!.attrs.fidelity = 'full';
    graph.edges[1]!.attrs.fidelity = 'compacted';
    const found = lint(graph, 'fidelity_valid');
    expect(found.map((d) => [d.severity, d.node_id, d.edge])).toEqual([
      ['warning', undefined, undefined],
      ['warning', 'a', undefined],
      ['warning', undefined, { from: 'a', to: 'exit' }],
    ]);
    expect(found[1]!.fix).toBe('did you mean "summary:high"?');
  });

  it('accepts every mode of §5.4', () => {
    for (const mode of ['full', 'truncate', 'compact', 'summary:low', 'summary:medium', 'summary:high']) {
      expect(lint(withNode({ fidelity: mode }, { default_fidelity: mode }), 'fidelity_valid')).toEqual([]);
    }
  });
});

describe('retry_target_exists', () => {
  it('warns about node and graph retry targets that are not nodes', () => {
    const graph = withNode({ retry_target: 'plan', fallback_retry_target: 'a' }, { fallback_retry_target: 'nowhere' });
    expect(lint(graph, 'retry_target_exists').map((d) => [d.severity, d.node_id ?? 'graph', d.message])).toEqual([
      ['warning', 'graph', expect.stringContaining('fallback_retry_target "nowhere"')],
      ['warning', 'a', expect.stringContaining('retry_target "plan"')],
    ]);
  });
});

describe('goal_gate_has_retry', () => {
  it('warns about a goal gate with nowhere to retry', () => {
    expect(lint(withNode({ goal_gate: true }), 'goal_gate_has_retry')).toMatchObject([{ severity: 'warning', node_id: 'a' }]);
  });

  it('is satisfied by a node retry target, a fallback or a graph-level one', () => {
    expect(lint(withNode({ goal_gate: true, retry_target: 'a' }), 'goal_gate_has_retry')).toEqual([]);
    expect(lint(withNode({ goal_gate: true, fallback_retry_target: 'a' }), 'goal_gate_has_retry')).toEqual([]);
    expect(lint(withNode({ goal_gate: true }, { retry_target: 'a' }), 'goal_gate_has_retry')).toEqual([]);
    expect(lint(withNode({ goal_gate: true }, { fallback_retry_target: 'a' }), 'goal_gate_has_retry')).toEqual([]);
  });
});

describe('loop_bounds (engine.md decision 7)', () => {
  it.each([0, -3, 2.5, 'many', true])('rejects %j as a bound', (value) => {
    const found = lint(withNode({ max_visits: value }, { default_max_visits: value, max_steps: value }), 'loop_bounds');
    expect(found.map((d) => [d.severity, d.node_id ?? 'graph'])).toEqual([['error', 'graph'], ['error', 'graph'], ['error', 'a']]);
    expect(found.map((d) => d.message).join('\n')).toMatch(/max_steps.*\n.*default_max_visits.*\n.*max_visits/);
  });

  it('accepts positive integers, also written as text', () => {
    expect(lint(withNode({ max_visits: 3 }, { default_max_visits: '10', max_steps: 50 }), 'loop_bounds')).toEqual([]);
  });

  it('warns when a visit cap exceeds the step budget, explicit or the default of 500', () => {
    expect(lint(withNode({ max_visits: 60 }, { max_steps: 50 }), 'loop_bounds')).toMatchObject([{ severity: 'warning', node_id: 'a' }]);
    expect(lint(withNode({ max_visits: 501 }), 'loop_bounds')).toMatchObject([{ severity: 'warning', node_id: 'a' }]);
    expect(lint(withNode({ max_visits: 500 }), 'loop_bounds')).toEqual([]);
    expect(lint(withNode({}, { default_max_visits: 80, max_steps: 50 }), 'loop_bounds')).toMatchObject([{ severity: 'warning', message: expect.stringContaining('default_max_visits=80') }]);
  });
});

describe('unknown_attribute', () => {
  it('names the key and its owner on graph, nodes and edges, with a near known key as the fix', () => {
    const graph = withNode({ promt: 'p', shape: 'box' }, { gaol: 'g' });
    graph.edges[1]!.attrs.conditon = 'outcome=success';
    expect(lint(graph, 'unknown_attribute').map((d) => [d.message, d.node_id, d.edge, d.fix])).toEqual([
      [expect.stringMatching(/graph.*"gaol"/), undefined, undefined, 'did you mean "goal"?'],
      [expect.stringMatching(/node "a".*"promt"/), 'a', undefined, 'did you mean "prompt"?'],
      [expect.stringMatching(/edge a -> exit.*"conditon"/), undefined, { from: 'a', to: 'exit' }, 'did you mean "condition"?'],
    ]);
  });

  it('suggests nothing when no known key is within two edits', () => {
    expect(lint(withNode({ owner: 'team' }), 'unknown_attribute')).toEqual([expect.not.objectContaining({ fix: expect.anything() })]);
  });

  it('points an alias that reached the graph unmapped at its canonical name', () => {
    expect(lint(withNode({ node_type: 'tool' }), 'unknown_attribute')[0]!.fix).toBe('rename it to "type"');
  });

  it('accepts presentation attributes and keys of the right scope only', () => {
    expect(lint(withNode({ color: 'red', fillcolor: 'blue', style: 'filled' }, { rankdir: 'LR' }), 'unknown_attribute')).toEqual([]);
    const graph = linearGraph(['a']);
    graph.edges[0]!.attrs.prompt = 'edges have no prompt';
    expect(lint(graph, 'unknown_attribute')).toMatchObject([{ edge: { from: 'start', to: 'a' } }]);
  });
});

describe('attribute_value', () => {
  it('warns about enumerated attributes outside their values', () => {
    const graph = withNode({ reasoning_effort: 'extreme', retry_policy: 'standrd' }, { default_retry_policy: 'linear' });
    expect(lint(graph, 'attribute_value').map((d) => [d.severity, d.node_id, d.fix])).toEqual([
      ['warning', 'a', 'use one of low, medium, high'],
      ['warning', 'a', 'did you mean "standard"?'],
    ]);
  });

  it('accepts the listed values', () => {
    expect(lint(withNode({ reasoning_effort: 'low', join_policy: 'first_success' }), 'attribute_value')).toEqual([]);
  });
});

describe('tool_command', () => {
  it('is an error for a tool node, by shape or by type, without a command', () => {
    const graph = withNode({ shape: 'parallelogram' });
    expect(lint(graph, 'tool_command')).toMatchObject([{ severity: 'error', node_id: 'a' }]);
    expect(lint(withNode({ type: 'tool', tool_command: ' ' }), 'tool_command')).toHaveLength(1);
    expect(lint(withNode({ shape: 'parallelogram', tool_command: 'npm test' }), 'tool_command')).toEqual([]);
  });
});

describe('parallel_fan_in', () => {
  function fanOut(edges: Array<[string, string]>, extraNodes: Record<string, Attrs> = {}): Graph {
    return buildGraph({
      nodes: {
        start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, fork: { shape: 'component' },
        b1: { prompt: 'b1' }, b2: { prompt: 'b2' }, b2_more: { prompt: 'more' }, join: { shape: 'tripleoctagon' },
        ...extraNodes,
      },
      edges: [['start', 'fork'], ['fork', 'b1'], ['fork', 'b2'], ...edges, ['join', 'exit']],
    });
  }

  it('accepts branches that all lead to one fan-in node', () => {
    expect(lint(fanOut([['b1', 'join'], ['b2', 'b2_more'], ['b2_more', 'join']]), 'parallel_fan_in')).toEqual([]);
  });

  it('warns when a branch reaches no fan-in node', () => {
    const found = lint(fanOut([['b1', 'join'], ['b2', 'b2_more'], ['b2_more', 'exit']]), 'parallel_fan_in');
    expect(found).toMatchObject([{ severity: 'warning', node_id: 'fork', message: expect.stringContaining('"b2"') }]);
  });

  it('warns when branches join at different fan-in nodes', () => {
    const graph = fanOut([['b1', 'join'], ['b2', 'b2_more'], ['b2_more', 'join_2'], ['join_2', 'exit']], { join_2: { shape: 'tripleoctagon' } });
    expect(lint(graph, 'parallel_fan_in')).toMatchObject([{ node_id: 'fork', message: expect.stringContaining('different fan-in') }]);
  });

  it('warns about a parallel node without branches', () => {
    const graph = buildGraph({ nodes: { start: { shape: 'Mdiamond' }, fork: { type: 'parallel' } }, edges: [['start', 'fork']] });
    expect(lint(graph, 'parallel_fan_in')).toMatchObject([{ node_id: 'fork', message: expect.stringContaining('no branches') }]);
  });
});

describe('condition_outcome_value', () => {
  it('warns when outcome is compared with something that is not a stage status', () => {
    const graph = linearGraph(['a']);
    graph.edges[1]!.attrs.condition = 'outcome=SUCCESS && context.x=1 && outcome!=failed';
    expect(lint(graph, 'condition_outcome_value').map((d) => [d.severity, d.edge, d.fix])).toEqual([
      ['warning', { from: 'a', to: 'exit' }, 'did you mean "success"?'],
      ['warning', { from: 'a', to: 'exit' }, 'did you mean "fail"?'],
    ]);
  });

  it('accepts every stage status and ignores conditions that do not parse', () => {
    const graph = linearGraph(['a']);
    graph.edges[1]!.attrs.condition = 'outcome=success && outcome!=partial_success && outcome!=retry && outcome!=fail && outcome!=skipped';
    expect(lint(graph, 'condition_outcome_value')).toEqual([]);
    graph.edges[1]!.attrs.condition = 'outcome=nonsense ||';
    expect(lint(graph, 'condition_outcome_value')).toEqual([]);
  });
});

describe('suggestions', () => {
  it('measures edit distance and picks the nearest candidate within two edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closestMatch('promt', ['prompt', 'label'])).toBe('prompt');
    expect(closestMatch('xyzzy', ['prompt', 'label'])).toBeUndefined();
  });
});

describe('undeclared_node', () => {
  it('warns about an edge to a node no statement declares, naming the declared node it most likely meant', () => {
    const { graph } = parseDot('digraph G {\n  start [shape=Mdiamond]\n  exit [shape=Msquare]\n  review [prompt="r"]\n  start -> review\n  review -> reviw\n  reviw -> exit\n}');
    expect(lint(graph, 'undeclared_node')).toEqual([{
      rule: 'undeclared_node',
      severity: 'warning',
      message: 'node "reviw" is never declared, only used by an edge; likely a typo for "review"',
      node_id: 'reviw',
      edge: { from: 'review', to: 'reviw' },
      line: 6,
      column: 3,
      fix: 'did you mean "review"? rename the edge\'s endpoint, or declare reviw [...]',
    }]);
  });

  it('is silent when every node is declared, and names no typo when nothing is close', () => {
    expect(lint(parseDot('digraph G { start [shape=Mdiamond]; exit [shape=Msquare]; a; start -> a -> exit }').graph, 'undeclared_node')).toEqual([]);
    const [finding] = lint(parseDot('digraph G { start [shape=Mdiamond]; exit [shape=Msquare]; start -> deploy_everything -> exit }').graph, 'undeclared_node');
    expect(finding).toMatchObject({ severity: 'warning', message: 'node "deploy_everything" is never declared, only used by an edge' });
  });
});

describe('a 10,000-edge chain', () => {
  it('parses and lints in one chained statement, with one undeclared-node warning per implicit stage and no error', () => {
    const ids = Array.from({ length: 9_999 }, (_, i) => `n${i}`);
    const source = `digraph Chain {\n  start [shape=Mdiamond]\n  exit [shape=Msquare]\n  node [shape=parallelogram, tool_command="true"]\n  start -> ${ids.join(' -> ')} -> exit\n}`;
    const { graph } = parseDot(source);
    expect(graph.edges).toHaveLength(10_000);
    const diagnostics = validate(graph);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.filter((d) => d.rule === 'undeclared_node')).toHaveLength(9_999);
  });
});
