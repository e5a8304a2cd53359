import { describe, expect, it } from '@jest/globals';
import { cloneGraph, type Graph } from '../../core/engine/graph.ts';
import { applyTransforms, goalExpansionTransform, stylesheetTransform, type Transform } from '../../core/engine/transforms.ts';
import { validate } from '../../core/engine/validate/index.ts';
import { buildGraph, linearGraph } from '../support/graph-builder.ts';

/** A plain-data view of a graph, to compare before and after a transform. */
function snapshot(graph: Graph): unknown {
  return { ...graph, nodes: [...graph.nodes.entries()] };
}

function styledGraph(stylesheet: string): Graph {
  return buildGraph({
    attrs: { model_stylesheet: stylesheet },
    nodes: {
      start: { shape: 'Mdiamond' },
      exit: { shape: 'Msquare' },
      plan: { shape: 'box', prompt: 'plan', class: 'planning' },
      implement: { shape: 'box', prompt: 'implement', class: 'code' },
      review: { shape: 'box', prompt: 'review', class: 'code', llm_model: 'explicit-model' },
      gate: { shape: 'hexagon', label: 'Approve?' },
    },
    edges: [['start', 'plan'], ['plan', 'implement'], ['implement', 'review'], ['review', 'gate'], ['gate', 'exit']],
  });
}

describe('stylesheetTransform', () => {
  it('parity matrix: stylesheet applies model override to nodes by shape', () => {
    const result = stylesheetTransform.apply(styledGraph('box { llm_model: claude-opus-4-6; llm_provider: anthropic }'));
    expect(result.nodes.get('plan')!.attrs).toMatchObject({ llm_model: 'claude-opus-4-6', llm_provider: 'anthropic' });
    expect(result.nodes.get('implement')!.attrs.llm_model).toBe('claude-opus-4-6');
    expect(result.nodes.get('gate')!.attrs.llm_model).toBeUndefined();
    expect(result.nodes.get('start')!.attrs.llm_model).toBeUndefined();
  });

  it('§11.10: explicit node attributes override stylesheet values', () => {
    const result = stylesheetTransform.apply(styledGraph('.code { llm_model: from-stylesheet; reasoning_effort: low }'));
    expect(result.nodes.get('review')!.attrs).toMatchObject({ llm_model: 'explicit-model', reasoning_effort: 'low' });
    expect(result.nodes.get('implement')!.attrs.llm_model).toBe('from-stylesheet');
  });

  it('applies the §8.6 example as the spec describes', () => {
    const graph = styledGraph(`
      * { llm_model: claude-sonnet-4-5; llm_provider: anthropic; }
      .code { llm_model: claude-opus-4-6; llm_provider: anthropic; }
      #implement { llm_model: gpt-5.2; llm_provider: openai; reasoning_effort: high; }
    `);
    const result = stylesheetTransform.apply(graph);
    expect(result.nodes.get('plan')!.attrs.llm_model).toBe('claude-sonnet-4-5');
    expect(result.nodes.get('implement')!.attrs).toMatchObject({ llm_model: 'gpt-5.2', llm_provider: 'openai', reasoning_effort: 'high' });
    expect(result.nodes.get('review')!.attrs).toMatchObject({ llm_model: 'explicit-model', llm_provider: 'anthropic' });
  });

  it('does not modify its input', () => {
    const graph = styledGraph('* { llm_model: m }');
    const before = snapshot(cloneGraph(graph));
    const result = stylesheetTransform.apply(graph);
    expect(snapshot(graph)).toEqual(before);
    expect(result).not.toBe(graph);
    expect(result.nodes.get('plan')).not.toBe(graph.nodes.get('plan'));
  });

  it('leaves nodes unchanged when the stylesheet does not parse, and lint reports it', () => {
    const graph = styledGraph('* { llm_model: m; temperature: 1 }');
    const result = stylesheetTransform.apply(graph);
    expect(snapshot(result)).toEqual(snapshot(graph));
    expect(validate(result).filter((d) => d.rule === 'stylesheet_syntax')).toHaveLength(1);
  });
});

describe('goalExpansionTransform', () => {
  it('parity matrix: prompt variable expansion ($goal) works', () => {
    const graph = linearGraph(['plan'], { goal: 'Ship the login page' });
    graph.nodes.get('plan')!.attrs.prompt = 'Plan how to reach: $goal. Then restate $goal.';
    const result = goalExpansionTransform.apply(graph);
    expect(result.nodes.get('plan')!.attrs.prompt).toBe('Plan how to reach: Ship the login page. Then restate Ship the login page.');
  });

  it('expands only prompts, and to "" when the graph has no goal', () => {
    const graph = buildGraph({ nodes: { a: { prompt: 'do $goal', label: 'label $goal' } } });
    const result = goalExpansionTransform.apply(graph);
    expect(result.nodes.get('a')!.attrs).toEqual({ prompt: 'do ', label: 'label $goal' });
  });

  it('does not modify its input', () => {
    const graph = linearGraph(['a'], { goal: 'G' });
    graph.nodes.get('a')!.attrs.prompt = '$goal';
    goalExpansionTransform.apply(graph);
    expect(graph.nodes.get('a')!.attrs.prompt).toBe('$goal');
  });
});

describe('§11.11 transforms and extensibility', () => {
  const tagging = (name: string): Transform => ({
    name,
    apply(graph) {
      const result = cloneGraph(graph);
      const node = result.nodes.get('a')!;
      node.attrs.trail = `${typeof node.attrs.trail === 'string' ? node.attrs.trail : ''}${name}`;
      return result;
    },
  });

  it('a transform can modify the graph between parsing and validation', () => {
    const addReview: Transform = {
      name: 'add-review',
      apply(graph) {
        const result = cloneGraph(graph);
        result.nodes.set('orphan_review', { id: 'orphan_review', attrs: { prompt: 'review' }, classes: [] });
        return result;
      },
    };
    const graph = linearGraph(['a']);
    expect(validate(graph)).toEqual([]);
    const transformed = applyTransforms(graph, [addReview]);
    expect(validate(transformed).map((d) => [d.rule, d.node_id])).toEqual([['reachability', 'orphan_review']]);
    expect(graph.nodes.has('orphan_review')).toBe(false);
  });

  it('runs custom transforms after the built-ins, in registration order', () => {
    const graph = linearGraph(['a'], { goal: 'G', model_stylesheet: '#a { llm_model: m }' });
    graph.nodes.get('a')!.attrs.prompt = 'reach $goal';
    const seen: Array<{ prompt: unknown; model: unknown }> = [];
    const observer: Transform = {
      name: 'observer',
      apply(current) {
        const a = current.nodes.get('a')!;
        seen.push({ prompt: a.attrs.prompt, model: a.attrs.llm_model });
        return current;
      },
    };
    const result = applyTransforms(graph, [observer, tagging('1'), tagging('2'), tagging('3')]);
    expect(seen).toEqual([{ prompt: 'reach G', model: 'm' }]);
    expect(result.nodes.get('a')!.attrs.trail).toBe('123');
    expect(applyTransforms(graph, [tagging('3'), tagging('1')]).nodes.get('a')!.attrs.trail).toBe('31');
  });

  it('applies the built-ins when no custom transform is given, leaving the input untouched', () => {
    const graph = linearGraph(['a'], { goal: 'G', model_stylesheet: '* { llm_provider: anthropic }' });
    graph.nodes.get('a')!.attrs.prompt = '$goal';
    const before = snapshot(cloneGraph(graph));
    const result = applyTransforms(graph);
    expect(result.nodes.get('a')!.attrs).toMatchObject({ prompt: 'G', llm_provider: 'anthropic' });
    expect(snapshot(graph)).toEqual(before);
  });
});
