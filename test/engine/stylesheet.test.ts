import { describe, expect, it } from '@jest/globals';
import { EngineError } from '../../core/engine/errors.ts';
import type { GraphNode } from '../../core/engine/graph.ts';
import { parseStylesheet, resolveStyle, StylesheetSyntaxError } from '../../core/engine/stylesheet.ts';
import { buildGraph } from '../support/graph-builder.ts';

function node(id: string, attrs: GraphNode['attrs'] = {}, classes?: string[]): GraphNode {
  const built = buildGraph({ nodes: { [id]: attrs } }).nodes.get(id)!;
  return classes ? { ...built, classes } : built;
}

function styleOf(stylesheet: string, target: GraphNode) {
  return resolveStyle(parseStylesheet(stylesheet), target);
}

function syntaxErrorOf(text: string): StylesheetSyntaxError {
  try {
    parseStylesheet(text);
  } catch (error) {
    if (error instanceof StylesheetSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected the stylesheet to be rejected: ${text}`);
}

describe('parseStylesheet', () => {
  it('reads the §8.6 example: three rules with their selectors and declarations', () => {
    const rules = parseStylesheet(`
      * { llm_model: claude-sonnet-4-5; llm_provider: anthropic; }
      .code { llm_model: claude-opus-4-6; llm_provider: anthropic; }
      #critical_review { llm_model: gpt-5.2; llm_provider: openai; reasoning_effort: high; }
    `);
    expect(rules.map((r) => r.selector)).toEqual([
      { kind: 'universal' },
      { kind: 'class', className: 'code' },
      { kind: 'id', id: 'critical_review' },
    ]);
    expect(rules[2]!.declarations.map((d) => [d.property, d.value])).toEqual([
      ['llm_model', 'gpt-5.2'], ['llm_provider', 'openai'], ['reasoning_effort', 'high'],
    ]);
    expect(rules[1]).toMatchObject({ line: 3, column: 7 });
  });

  it('accepts quoted and bare values, and an omitted final semicolon', () => {
    const [rule] = parseStylesheet('box { llm_model: "claude opus \\"4\\""; llm_provider: anthropic }');
    expect(rule!.selector).toEqual({ kind: 'shape', shape: 'box' });
    expect(rule!.declarations.map((d) => d.value)).toEqual(['claude opus "4"', 'anthropic']);
  });

  it('treats a blank stylesheet as no rules', () => {
    expect(parseStylesheet('')).toEqual([]);
    expect(parseStylesheet(' \n\t ')).toEqual([]);
  });

  it.each([
    ['* { temperature: 0.2; }', 1, 5, "unknown property 'temperature'"],
    ['* llm_model: x; }', 1, 3, "expected '{'"],
    ['* { llm_model: x;', 1, 18, "expected '}'"],
    ['box, .fast { llm_model: x; }', 1, 4, 'selector lists are not supported'],
    ['{ llm_model: x; }', 1, 1, 'expected a selector'],
    ['* { llm_model x; }', 1, 15, "expected ':'"],
    ['* { llm_model: ; }', 1, 16, "expected a value for 'llm_model'"],
    ['* { llm_model: ""; }', 1, 16, 'is empty'],
    ['* {\n  llm_model: "open\n}', 2, 14, 'unterminated string'],
    ['* { llm_model: claude opus; }', 1, 23, "expected ';' or '}'"],
    ['# { llm_model: x; }', 1, 2, 'expected a node id'],
    ['*{llm_model:a}\n\n  .x { llm_provider: b } junk', 3, 30, "expected '{'"],
  ])('rejects %j at line %i, column %i', (text, line, column, reason) => {
    const error = syntaxErrorOf(text);
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.message).toContain(reason);
  });

  it('raises an EngineError with the stable code stylesheet_syntax', () => {
    const error = syntaxErrorOf('* { colour: red; }');
    expect(error).toBeInstanceOf(EngineError);
    expect(error.code).toBe('stylesheet_syntax');
    expect(error.message).toContain('line 1, column 5');
  });
});

describe('§11.10 model stylesheet resolution', () => {
  it('selects by shape name', () => {
    const stylesheet = 'box { llm_model: "claude-opus-4-6" }';
    expect(styleOf(stylesheet, node('a', { shape: 'box' }))).toEqual({ llm_model: 'claude-opus-4-6' });
    expect(styleOf(stylesheet, node('b', { shape: 'hexagon' }))).toEqual({});
  });

  it('treats a node without a shape as a box', () => {
    expect(styleOf('box { llm_model: m }', node('a'))).toEqual({ llm_model: 'm' });
  });

  it('selects by class name, including classes not written in the class attribute', () => {
    const stylesheet = '.fast { llm_model: "gemini-3-flash-preview" }';
    expect(styleOf(stylesheet, node('a', { class: 'slow,fast' }))).toEqual({ llm_model: 'gemini-3-flash-preview' });
    expect(styleOf(stylesheet, node('b', {}, ['fast']))).toEqual({ llm_model: 'gemini-3-flash-preview' });
    expect(styleOf(stylesheet, node('c', { class: 'slow' }))).toEqual({});
  });

  it('selects by node id', () => {
    const stylesheet = '#review { reasoning_effort: "high" }';
    expect(styleOf(stylesheet, node('review'))).toEqual({ reasoning_effort: 'high' });
    expect(styleOf(stylesheet, node('reviewer'))).toEqual({});
  });

  it('orders specificity universal < shape < class < id, whatever the rule order', () => {
    const target = node('review', { shape: 'box', class: 'code' });
    const rules = ['#review { llm_model: by-id }', '.code { llm_model: by-class }', 'box { llm_model: by-shape }', '* { llm_model: any }'];
    expect(styleOf(rules.join('\n'), target)).toEqual({ llm_model: 'by-id' });
    expect(styleOf([...rules].reverse().join('\n'), target)).toEqual({ llm_model: 'by-id' });
    expect(styleOf(rules.slice(1).join('\n'), target)).toEqual({ llm_model: 'by-class' });
    expect(styleOf(rules.slice(2).join('\n'), target)).toEqual({ llm_model: 'by-shape' });
    expect(styleOf(rules.slice(3).join('\n'), target)).toEqual({ llm_model: 'any' });
  });

  it('lets the later of two equally specific rules win, per property', () => {
    const target = node('a', { class: 'x,y' });
    const style = styleOf('.x { llm_model: first; llm_provider: p } .y { llm_model: second }', target);
    expect(style).toEqual({ llm_model: 'second', llm_provider: 'p' });
  });

  it('merges properties from rules of different specificity', () => {
    const style = styleOf('* { llm_provider: anthropic; llm_model: base } #a { llm_model: special }', node('a'));
    expect(style).toEqual({ llm_provider: 'anthropic', llm_model: 'special' });
  });
});
