import { describe, expect, it } from '@jest/globals';
import { createModelChooser } from '../../core/agent/backend/model-choice.ts';
import type { LlmProvider } from '../../core/agent/llm/types.ts';
import { buildGraph } from '../support/graph-builder.ts';

function fakeResolver() {
  const calls: string[] = [];
  const resolve = (spec: string) => {
    calls.push(spec);
    if (spec.startsWith('openai/')) throw new Error('OPENAI_API_KEY missing');
    const provider: LlmProvider = { name: spec.split('/')[0]!, complete: () => Promise.reject(new Error('unused')) };
    return { provider, model: spec.slice(spec.indexOf('/') + 1) };
  };
  return { calls, resolve };
}

const graph = buildGraph({
  nodes: {
    plain: { shape: 'box' },
    bigger: { shape: 'box', llm_model: 'claude-opus-4-6' },
    other: { shape: 'box', llm_provider: 'openai', llm_model: 'gpt-5' },
  },
});

describe('model choice', () => {
  it('uses the node llm_provider/llm_model over the run model, resolving each spec once', () => {
    const { calls, resolve } = fakeResolver();
    const chooser = createModelChooser('anthropic/claude-sonnet-4-5', {}, resolve);
    expect(chooser.providerFor(graph.nodes.get('plain')!).model).toBe('claude-sonnet-4-5');
    expect(chooser.providerFor(graph.nodes.get('bigger')!)).toMatchObject({ model: 'claude-opus-4-6', provider: { name: 'anthropic' } });
    chooser.providerFor(graph.nodes.get('plain')!);
    expect(calls).toEqual(['anthropic/claude-sonnet-4-5', 'anthropic/claude-opus-4-6']);
  });

  it('resolves every provider the graph names up front, so a missing key fails before any stage', () => {
    const { resolve } = fakeResolver();
    expect(() => createModelChooser('anthropic/claude-sonnet-4-5', {}, resolve).resolveAll(graph)).toThrow('OPENAI_API_KEY missing');
  });

  it('a scripted run replaces every stage model, stylesheet included', () => {
    const { calls, resolve } = fakeResolver();
    const chooser = createModelChooser('scripted:/tmp/s.json', {}, resolve);
    chooser.resolveAll(graph);
    chooser.providerFor(graph.nodes.get('other')!);
    expect(calls).toEqual(['scripted:/tmp/s.json']);
  });
});
