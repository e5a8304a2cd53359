// Property: the indexed stylesheet resolves every node exactly as the §8.3 rule read literally —
// scan every rule, highest specificity wins, then the later rule — on random rules and nodes.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { GraphNode } from '../../core/engine/graph.ts';
import { parseStylesheet, selectorMatches, selectorSpecificity, StyleIndex, STYLE_PROPERTIES, type ResolvedStyle, type StyleRule } from '../../core/engine/stylesheet.ts';
import { fuzzParameters } from './fuzz-budget.ts';

function literalResolve(rules: readonly StyleRule[], node: GraphNode): ResolvedStyle {
  const resolved: ResolvedStyle = {};
  const winning: Record<string, number> = {};
  for (const rule of rules) {
    if (!selectorMatches(rule.selector, node)) continue;
    const specificity = selectorSpecificity(rule.selector);
    for (const { property, value } of rule.declarations) {
      if (specificity >= (winning[property] ?? -1)) {
        resolved[property] = value;
        winning[property] = specificity;
      }
    }
  }
  return resolved;
}

const name = fc.constantFrom('a', 'b', 'c', 'box', 'diamond');
const selector = fc.oneof(fc.constant('*'), name, name.map((n) => `.${n}`), name.map((n) => `#${n}`));
const declaration = fc.tuple(fc.constantFrom(...STYLE_PROPERTIES), fc.stringMatching(/^[a-z0-9.-]{1,6}$/)).map(([property, value]) => `${property}: ${value}`);
const rule = fc.tuple(selector, fc.array(declaration, { minLength: 1, maxLength: 3 })).map(([s, ds]) => `${s} { ${ds.join('; ')} }`);
const node = fc.record({
  id: name,
  shape: fc.option(fc.constantFrom('box', 'diamond', 'hexagon'), { nil: undefined }),
  classes: fc.array(name, { maxLength: 3 }),
}).map(({ id, shape, classes }): GraphNode => ({ id, attrs: shape ? { shape } : {}, classes }));

describe('stylesheet index', () => {
  it('resolves like a scan of every rule', () => {
    fc.assert(fc.property(fc.array(rule, { maxLength: 12 }), fc.array(node, { minLength: 1, maxLength: 5 }), (texts, nodes) => {
      const rules = parseStylesheet(texts.join('\n'));
      const index = new StyleIndex(rules);
      for (const target of nodes) expect(index.resolve(target)).toEqual(literalResolve(rules, target));
    }), fuzzParameters(200));
  });
});
