import { describe, expect, it } from '@jest/globals';
import { DotSyntaxError } from '../../../core/engine/errors.ts';
import { parseDot } from '../../../core/engine/parser/index.ts';

function rejection(source: string): DotSyntaxError {
  try {
    parseDot(source, { file: 'graphs/bad.dot' });
  } catch (error) {
    if (error instanceof DotSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a DotSyntaxError for: ${source}`);
}

function expectRejected(source: string, line: number, column: number, message: RegExp): DotSyntaxError {
  const error = rejection(source);
  expect({ line: error.line, column: error.column, file: error.file }).toEqual({ line, column, file: 'graphs/bad.dot' });
  expect(error.message).toMatch(message);
  return error;
}

describe('engine.md decision 8: parsing is strict, every error located', () => {
  it('engine.md decision 8: rejects strict graphs', () => {
    expectRejected('// header\nstrict digraph G { a }', 2, 1, /strict/);
  });

  it('engine.md decision 8: rejects undirected graphs, with -- or -> edges', () => {
    expectRejected('graph G { a -- b }', 1, 1, /undirected graph/);
    expectRejected('graph G {\n  a -> b\n}', 2, 5, /undirected graph/);
  });

  it('engine.md decision 8: rejects undirected edges in a digraph', () => {
    expectRejected('digraph G {\n  a -> b\n  b -- c\n}', 3, 5, /undirected edges \(--\)/);
  });

  it('engine.md decision 8: rejects ports on edge endpoints and on node statements', () => {
    expectRejected('digraph G {\n  a:out -> b\n}', 2, 5, /ports are not supported \(a:out\)/);
    expectRejected('digraph G { a -> b:n }', 1, 20, /ports are not supported \(b:n\)/);
    expectRejected('digraph G { a:p:sw -> b }', 1, 18, /ports are not supported/);
    expectRejected('digraph G { a:p [label="x"] }', 1, 17, /ports are not supported/);
  });

  it('engine.md decision 8: rejects HTML labels', () => {
    expectRejected('digraph G {\n  a [label=<<b>bold</b>>]\n}', 2, 12, /HTML/);
    expectRejected('digraph G { label=<x> }', 1, 19, /HTML/);
    expectRejected('digraph G { subgraph <b>s</b> { a } }', 1, 22, /HTML/);
    expectRejected('digraph G { a [label=' + '<'.repeat(150) + '] }', 1, 22, /HTML|never closed/);
  });

  it('engine.md decision 8: rejects a second graph in the file, and a graph inside the graph', () => {
    expectRejected('digraph A { a }\n\ndigraph B { b }', 3, 1, /one graph/);
    expectRejected('digraph A { a }\n  strict digraph B { b }', 2, 3, /one graph/);
    expectRejected('digraph A {\n  digraph B { b }\n}', 2, 3, /one graph/);
  });

  it('engine.md decision 8: rejects a graph without a name, or with a name that is not an identifier', () => {
    expectRejected('digraph { a }', 1, 1, /needs a name/);
    expectRejected('digraph "two words" { a }', 1, 9, /graph name "two words"/);
    expectRejected('digraph 42 { a }', 1, 9, /graph name "42"/);
  });

  it('engine.md decision 8: rejects subgraphs and groups as edge endpoints', () => {
    expectRejected('digraph G {\n  a -> {b c}\n}', 2, 8, /cannot be an edge endpoint/);
    expectRejected('digraph G { {a b} -> c }', 1, 13, /cannot be an edge endpoint/);
    expectRejected('digraph G { a -> subgraph s { b } }', 1, 29, /subgraph or group \{\.\.\.\} cannot be an edge endpoint/);
    expectRejected('digraph G { subgraph s { b } -> a }', 1, 24, /subgraph or group \{\.\.\.\} cannot be an edge endpoint/);
    expectRejected('digraph G { a -> subgraph }', 1, 18, /subgraph cannot be an edge endpoint/);
  });

  it('engine.md decision 8: rejects node ids that are not bare ASCII identifiers', () => {
    expectRejected('digraph G {\n  "Run tests" [shape=box]\n}', 2, 3, /node id "Run tests" is not a bare identifier/);
    expectRejected('digraph G { a -> 3 }', 1, 18, /node id "3"/);
    expectRejected('digraph G { a -> 2.5 }', 1, 18, /node id "2.5"/);
    expectRejected('digraph G { café }', 1, 13, /node id "café"/);
    expectRejected('digraph G { "a-b" }', 1, 13, /node id "a-b"/);
    expectRejected('digraph G { node }', 1, 13, /keyword/);
  });

  it('accepts a quoted node id whose content is a bare identifier', () => {
    expect([...parseDot('digraph G { "plan" -> "build_2" }').graph.nodes.keys()]).toEqual(['plan', 'build_2']);
  });

  it('attribute separators follow the DOT grammar: a comma, a semicolon or nothing, line breaks included', () => {
    const expected = { shape: 'box', label: 'A', timeout: { kind: 'duration', ms: 900_000, text: '900s' } };
    for (const list of ['shape=box, label="A", timeout=900s', 'shape=box; label="A"; timeout=900s', 'shape=box label="A" timeout=900s',
      '\n    shape=box\n    label="A"\n    timeout=900s\n  ', 'shape=box /* note */ label="A";\ntimeout=900s;']) {
      const { graph } = parseDot(`digraph G {\n  a [${list}]\n}`);
      expect(graph.nodes.get('a')?.attrs).toEqual(expected);
    }
    const { graph } = parseDot('digraph G { a -> b [label="x" weight=2]; edge [weight=1;] c -> d }');
    expect(graph.edges.map((e) => e.attrs)).toEqual([{ label: 'x', weight: 2 }, { weight: 1 }]);
  });

  it('a newline-separated attribute block keeps its values apart (no value swallows the next key)', () => {
    const { graph } = parseDot('digraph G {\n  n [\n    llm_model=claude-sonnet-4.5\n    manager.poll_interval=30s\n    prompt="Plan\n  the work"\n  ]\n}');
    expect(graph.nodes.get('n')?.attrs).toEqual({ llm_model: 'claude-sonnet-4.5', 'manager.poll_interval': { kind: 'duration', ms: 30_000, text: '30s' }, prompt: 'Plan\n  the work' });
  });

  it('accepts a trailing comma and statement semicolons', () => {
    const { graph } = parseDot('digraph G { a [shape=box, label="A",]; b; a -> b; }');
    expect(graph.nodes.get('a')?.attrs).toEqual({ shape: 'box', label: 'A' });
  });

  it('rejects attribute names that are not identifiers', () => {
    expectRejected('digraph G { a ["odd key"="x"] }', 1, 16, /attribute name "odd key"/);
  });

  it('engine.md decision 8: says a file with NUL bytes or other binary content is not a text file', () => {
    expectRejected('digraph G {\n  a\u0000\n}', 2, 4, /not a text file.*NUL/);
    expectRejected('\u0089PNG\r\n\u001a\n\u0000\u0000', 2, 1, /not a text file/);
  });

  it('names where an unclosed string, comment or HTML value starts', () => {
    expectRejected('digraph G {\n  a [prompt="never closed]\n  b\n}', 2, 13, /string is never closed/);
    expectRejected('digraph G {\n  /* forgotten\n  a\n}', 2, 3, /comment is never closed/);
  });

  it('reports plain syntax errors at the offending character, naming what was expected', () => {
    const error = expectRejected('digraph G {\n  a -> \n}', 3, 1, /unexpected "}"; expected .*an identifier/);
    expect(error.describe()).toBe(`graphs/bad.dot:3:1: ${error.message}`);
    expect(error.code).toBe('dot_syntax');
    expectRejected('digraph G { a [label="x" + "y"] }', 1, 26, /unexpected "\+"/);
    expectRejected('', 1, 1, /unexpected end of input; expected .*"digraph"/);
    expectRejected('digraph G { a }\n}', 2, 1, /unexpected "}"/);
  });

  it('names the innermost brace left open at the end of the input', () => {
    expectRejected('digraph G {\n  subgraph loop {\n    a -> b\n', 2, 17, /this \{ is never closed/);
  });

  it('fails fast on a syntax error inside deeply nested subgraphs (ts-graphviz backtracks exponentially there)', () => {
    // Without the subgraph-header rewrite in prepareSource each of these takes ts-graphviz minutes.
    const nested = (header: string, inner: string, closing: number) => 'digraph G { ' + `${header} { `.repeat(60) + inner + '}'.repeat(closing);
    expectRejected(nested('subgraph', 'a -> ; ', 61), 1, 678, /unexpected ";"/);
    expectRejected(nested('subgraph s', 'a [x=1 ', 61), 1, 800, /unexpected "}"/);
    expectRejected(nested('SUBGRAPH "quoted name"', 'a ', 0), 1, 1511, /never closed/);
  });

  it('bounds nesting and input size with a located error instead of exhausting the stack or the clock', () => {
    expectRejected('digraph G {' + 'subgraph {'.repeat(5000) + 'a' + '}'.repeat(5000) + '}', 1, 1011, /nested more than 100 levels/);
    expectRejected('digraph G {\n' + '{'.repeat(200), 2, 100, /nested more than 100 levels/);
    const huge = 'digraph G { a [prompt="' + 'x'.repeat(4 * 1024 * 1024) + '"] }';
    expectRejected(huge, 1, 4 * 1024 * 1024 + 1, /larger than 4 MiB/);
  });

  it('a chained edge statement of 10,000 edges parses: one edge per pair, each with the statement attributes', () => {
    const ids = Array.from({ length: 10_001 }, (_, i) => `n${i}`);
    const { graph } = parseDot(`digraph G {\n  ${ids.join(' -> ')} [label="next", weight=3]\n}`);
    expect(graph.edges).toHaveLength(10_000);
    graph.edges.forEach((edge, i) => {
      expect([edge.from, edge.to]).toEqual([`n${i}`, `n${i + 1}`]);
      expect(edge.attrs).toEqual({ label: 'next', weight: 3 });
    });
  });

  it('cutting a long chain changes nothing else: quoted ids, comments, line breaks and the errors after it', () => {
    const ids = Array.from({ length: 1_600 }, (_, i) => (i % 3 === 0 ? `"n${i}"` : `n${i}`));
    const source = `digraph G {\n  ${ids.join(' /* c */ ->\n ')}\n  a -> b\n  x [label="y"]\n}`;
    const { graph } = parseDot(source);
    expect(graph.edges).toHaveLength(1_600);
    expect(graph.edges.at(-2)).toMatchObject({ from: 'n1598', to: 'n1599' });
    expect(graph.edges.at(-1)).toMatchObject({ from: 'a', to: 'b' });
    // A chain of exactly 500 edges (the piece size) and one ending in a subgraph stay what they were.
    const exact = parseDot(`digraph G { ${Array.from({ length: 501 }, (_, i) => `n${i}`).join(' -> ')} [weight=2] }`).graph;
    expect(exact.edges).toHaveLength(500);
    expect(exact.edges.every((edge) => edge.attrs.weight === 2)).toBe(true);
    const intoGroup = `digraph G { ${Array.from({ length: 500 }, (_, i) => `n${i}`).join(' -> ')} -> { z } }`;
    expect(rejection(intoGroup).message).toMatch(/cannot be an edge endpoint/);
    const badLater = `digraph G {\n${Array.from({ length: 1200 }, (_, i) => `n${i}`).join(' -> ')}\n  3x -> y }`;
    expect(rejection(badLater)).toMatchObject({ line: 3 });
  });

  it('accepts subgraphs nested to a realistic depth', () => {
    const { graph } = parseDot('digraph G {' + 'subgraph { node [shape=box] '.repeat(50) + 'a' + '}'.repeat(50) + '}');
    expect(graph.nodes.get('a')?.attrs).toEqual({ shape: 'box' });
  });
});
