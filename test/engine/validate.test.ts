import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../core/engine/diagnostics.ts';
import { ValidationError } from '../../core/engine/errors.ts';
import type { Graph } from '../../core/engine/graph.ts';
import { BUILT_IN_RULES, validate, validateOrRaise, type LintEnv, type LintRule } from '../../core/engine/validate/index.ts';
import { buildGraph, linearGraph } from '../support/graph-builder.ts';

function ofRule(diagnostics: Diagnostic[], rule: string): Diagnostic[] {
  return diagnostics.filter((d) => d.rule === rule);
}

function withEdge(graph: Graph, from: string, to: string, attrs: Graph['attrs'] = {}): Graph {
  graph.edges.push({ from, to, attrs, index: graph.edges.length });
  return graph;
}

describe('validate', () => {
  it('finds nothing to say about a well-formed linear pipeline', () => {
    expect(validate(linearGraph(['plan', 'implement', 'review'], { goal: 'ship' }))).toEqual([]);
  });

  it('runs every built-in rule of §7.2 and ours', () => {
    expect(BUILT_IN_RULES.map((r) => r.name).sort()).toEqual([
      'attribute_value', 'condition_outcome_value', 'condition_syntax', 'edge_target_exists', 'exit_no_outgoing',
      'fidelity_valid', 'goal_gate_has_retry', 'loop_bounds', 'parallel_fan_in', 'prompt_on_llm_nodes', 'reachability',
      'retry_target_exists', 'start_no_incoming', 'start_node', 'stylesheet_syntax', 'terminal_node', 'tool_command',
      'type_known', 'undeclared_node', 'unknown_attribute', 'name_length',
    ].sort());
  });

  it('runs registered custom rules after the built-in ones, with the lint environment', () => {
    const envs: LintEnv[] = [];
    const noShouting: LintRule = {
      name: 'no_shouting',
      apply(graph, env) {
        envs.push(env);
        return [...graph.nodes.values()]
          .filter((n) => n.id === n.id.toUpperCase())
          .map((n) => ({ rule: 'no_shouting', severity: 'warning', message: `node ${n.id} shouts`, node_id: n.id }));
      },
    };
    const graph = linearGraph(['plan', 'REVIEW'], { max_steps: 0 });
    const diagnostics = validate(graph, { extraRules: [noShouting], knownTypes: ['codergen', 'start'], extraAttributes: ['owner'] });
    expect(diagnostics.at(-1)).toEqual({ rule: 'no_shouting', severity: 'warning', message: 'node REVIEW shouts', node_id: 'REVIEW' });
    expect(ofRule(diagnostics, 'loop_bounds')).toHaveLength(1);
    expect(envs).toHaveLength(1);
    expect([...envs[0]!.knownTypes]).toEqual(['codergen', 'start']);
    expect([...envs[0]!.extraAttributes]).toEqual(['owner']);
  });

  it('defaults the known handler types to the nine built-in ones', () => {
    const graph = linearGraph(['a']);
    graph.nodes.get('a')!.attrs.type = 'stack.manager_loop';
    expect(ofRule(validate(graph), 'type_known')).toEqual([]);
    graph.nodes.get('a')!.attrs.type = 'deploy';
    expect(ofRule(validate(graph), 'type_known')).toHaveLength(1);
    expect(ofRule(validate(graph, { knownTypes: ['deploy'] }), 'type_known')).toEqual([]);
  });

  it('lets the host declare the extra attributes it reads', () => {
    const graph = linearGraph(['a']);
    graph.nodes.get('a')!.attrs.owner = 'team-x';
    expect(ofRule(validate(graph), 'unknown_attribute')).toHaveLength(1);
    expect(ofRule(validate(graph, { extraAttributes: ['owner'] }), 'unknown_attribute')).toEqual([]);
  });
});

describe('§11.2 validation and linting', () => {
  it('exactly one start node is required', () => {
    const none = buildGraph({ nodes: { a: { prompt: 'a' }, exit: { shape: 'Msquare' } }, edges: [['a', 'exit']] });
    expect(ofRule(validate(none), 'start_node')).toMatchObject([{ severity: 'error' }]);
    const two = withEdge(linearGraph(['a']), 'Start', 'a');
    two.nodes.set('Start', { id: 'Start', attrs: { shape: 'Mdiamond' }, classes: [] });
    expect(ofRule(validate(two), 'start_node')).toMatchObject([{ severity: 'error', node_id: 'Start' }]);
    expect(ofRule(validate(linearGraph(['a'])), 'start_node')).toEqual([]);
  });

  it('recognises a start node by its id when no node has shape=Mdiamond', () => {
    const graph = buildGraph({ nodes: { start: {}, a: { prompt: 'a' }, exit: { shape: 'Msquare' } }, edges: [['start', 'a'], ['a', 'exit']] });
    expect(ofRule(validate(graph), 'start_node')).toEqual([]);
  });

  it('exactly one exit node is required', () => {
    const none = buildGraph({ nodes: { start: { shape: 'Mdiamond' }, a: { prompt: 'a' } }, edges: [['start', 'a']] });
    expect(ofRule(validate(none), 'terminal_node')).toMatchObject([{ severity: 'error' }]);
    const two = withEdge(linearGraph(['a']), 'a', 'done');
    two.nodes.set('done', { id: 'done', attrs: { shape: 'Msquare' }, classes: [] });
    expect(ofRule(validate(two), 'terminal_node')).toMatchObject([{ severity: 'error', node_id: 'done' }]);
    const byId = buildGraph({ nodes: { start: { shape: 'Mdiamond' }, end: {} }, edges: [['start', 'end']] });
    expect(ofRule(validate(byId), 'terminal_node')).toEqual([]);
  });

  it('the start node has no incoming edges', () => {
    const graph = withEdge(linearGraph(['a']), 'a', 'start', { condition: 'outcome=fail' });
    expect(ofRule(validate(graph), 'start_no_incoming')).toEqual([expect.objectContaining({
      severity: 'error', node_id: 'start', edge: { from: 'a', to: 'start' },
    })]);
  });

  it('the exit node has no outgoing edges', () => {
    const graph = withEdge(linearGraph(['a']), 'exit', 'a');
    expect(ofRule(validate(graph), 'exit_no_outgoing')).toEqual([expect.objectContaining({
      severity: 'error', node_id: 'exit', edge: { from: 'exit', to: 'a' },
    })]);
  });

  it('all nodes are reachable from start', () => {
    const graph = linearGraph(['a']);
    graph.nodes.set('island', { id: 'island', attrs: { prompt: 'x' }, classes: [] });
    graph.nodes.set('island_2', { id: 'island_2', attrs: { prompt: 'y' }, classes: [] });
    withEdge(graph, 'island', 'island_2');
    expect(ofRule(validate(graph), 'reachability').map((d) => d.node_id)).toEqual(['island', 'island_2']);
  });

  it('all edges reference valid node ids, at both ends', () => {
    const graph = withEdge(withEdge(linearGraph(['plan']), 'plan', 'revew'), 'ghost', 'plan');
    expect(ofRule(validate(graph), 'edge_target_exists')).toEqual([
      expect.objectContaining({ severity: 'error', edge: { from: 'plan', to: 'revew' }, message: expect.stringContaining('target "revew"') }),
      expect.objectContaining({ severity: 'error', edge: { from: 'ghost', to: 'plan' }, message: expect.stringContaining('source "ghost"') }),
    ]);
  });

  it('codergen nodes without a prompt get a warning', () => {
    const graph = linearGraph(['a']);
    delete graph.nodes.get('a')!.attrs.prompt;
    expect(ofRule(validate(graph), 'prompt_on_llm_nodes')).toMatchObject([{ severity: 'warning', node_id: 'a' }]);
    graph.nodes.get('a')!.attrs.prompt = '  ';
    expect(ofRule(validate(graph), 'prompt_on_llm_nodes')).toHaveLength(1);
    // §7.2: a label is enough, the codergen handler uses it as the prompt.
    graph.nodes.get('a')!.attrs.label = 'Plan the work';
    expect(ofRule(validate(graph), 'prompt_on_llm_nodes')).toEqual([]);
  });

  it('condition expressions on edges must parse', () => {
    const graph = linearGraph(['a']);
    graph.edges[1]!.attrs.condition = 'outcome=success || outcome=partial_success';
    const [diagnostic, ...rest] = ofRule(validate(graph), 'condition_syntax');
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({ severity: 'error', edge: { from: 'a', to: 'exit' } });
    expect(diagnostic!.message).toContain('column 17');
    expect(diagnostic!.message).toContain("'||'");
    graph.edges[1]!.attrs.condition = 'outcome=success && context.ok=true';
    expect(ofRule(validate(graph), 'condition_syntax')).toEqual([]);
  });

  it('validateOrRaise throws on error-severity diagnostics', () => {
    const graph = buildGraph({ nodes: { a: { prompt: 'a' } } });
    expect(() => validateOrRaise(graph)).toThrow(ValidationError);
    try {
      validateOrRaise(graph);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe('validation');
      expect(ofRule((error as ValidationError).diagnostics, 'start_node')).toHaveLength(1);
      expect((error as ValidationError).message).toContain('[terminal_node]');
    }
  });

  it('validateOrRaise returns the warnings when there is no error', () => {
    const graph = linearGraph(['a']);
    graph.nodes.get('a')!.attrs.colour = 'red';
    expect(validateOrRaise(graph)).toEqual([expect.objectContaining({ rule: 'unknown_attribute', severity: 'warning' })]);
  });

  it('lint results carry rule, severity, node or edge, message, source position and a fix', () => {
    const graph = withEdge(linearGraph(['a']), 'exit', 'a');
    graph.nodes.get('a')!.loc = { line: 4, column: 3 };
    graph.nodes.get('a')!.attrs.promt = 'typo';
    graph.edges[2]!.loc = { line: 9, column: 5 };
    const diagnostics = validate(graph);
    expect(ofRule(diagnostics, 'unknown_attribute')).toEqual([{
      rule: 'unknown_attribute', severity: 'warning', message: expect.stringContaining('"promt"'),
      node_id: 'a', line: 4, column: 3, fix: 'did you mean "prompt"?',
    }]);
    expect(ofRule(diagnostics, 'exit_no_outgoing')).toEqual([{
      rule: 'exit_no_outgoing', severity: 'error', message: expect.stringContaining('exit -> a'),
      node_id: 'exit', edge: { from: 'exit', to: 'a' }, line: 9, column: 5, fix: expect.any(String),
    }]);
  });
});

describe('parity matrix: validation', () => {
  it('Validate: missing start node -> error', () => {
    const graph = buildGraph({ nodes: { a: { prompt: 'a' }, exit: { shape: 'Msquare' } }, edges: [['a', 'exit']] });
    expect(validate(graph)).toContainEqual(expect.objectContaining({ rule: 'start_node', severity: 'error' }));
  });

  it('Validate: missing exit node -> error', () => {
    const graph = buildGraph({ nodes: { start: { shape: 'Mdiamond' }, a: { prompt: 'a' } }, edges: [['start', 'a']] });
    expect(validate(graph)).toContainEqual(expect.objectContaining({ rule: 'terminal_node', severity: 'error' }));
  });

  it('Validate: orphan node -> reported (as an error: engine.md decision 5)', () => {
    const graph = linearGraph(['a']);
    graph.nodes.set('orphan', { id: 'orphan', attrs: { prompt: 'o' }, classes: [] });
    expect(validate(graph)).toContainEqual(expect.objectContaining({ rule: 'reachability', node_id: 'orphan', severity: 'error' }));
  });

  it('engine.md decision 5: unreachable nodes are an error', () => {
    const graph = linearGraph(['a']);
    graph.nodes.set('orphan', { id: 'orphan', attrs: { prompt: 'o' }, classes: [] });
    const unreachable = ofRule(validate(graph), 'reachability');
    expect(unreachable.map((d) => d.severity)).toEqual(['error']);
    expect(() => validateOrRaise(graph)).toThrow(ValidationError);
  });
});
