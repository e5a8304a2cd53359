import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../../../core/engine/diagnostics.ts';
import type { Graph, GraphNode } from '../../../core/engine/graph.ts';
import { parseDot } from '../../../core/engine/parser/index.ts';
import { parseStylesheet, resolveStyle } from '../../../core/engine/stylesheet.ts';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/graphs/parser/${name}`, import.meta.url), 'utf8');
}

function parse(source: string): { graph: Graph; diagnostics: Diagnostic[] } {
  return parseDot(source, { file: 'test.dot' });
}

function nodeOf(graph: Graph, id: string): GraphNode {
  const node = graph.nodes.get(id);
  if (!node) throw new Error(`no node ${id}; have ${[...graph.nodes.keys()].join(', ')}`);
  return node;
}

function pairs(graph: Graph): string[] {
  return graph.edges.map((edge) => `${edge.from}->${edge.to}`);
}

describe('Attractor §11.1 DOT parsing', () => {
  it('accepts the supported subset: a digraph with graph, node and edge attribute blocks', () => {
    const { graph, diagnostics } = parse(fixture('review-loop.dot'));
    expect(graph.name).toBe('ReviewLoop');
    expect([...graph.nodes.keys()]).toEqual(['start', 'exit', 'plan', 'implement', 'test', 'gate', 'review_gate']);
    expect(graph.edges).toHaveLength(8);
    expect(graph.attrs).toEqual({ goal: 'Implement the feature described in spec/feature.md', default_max_retries: 1, rankdir: 'LR' });
    expect(diagnostics).toEqual([]);
  });

  it('extracts the graph-level attributes goal, label and model_stylesheet', () => {
    const { graph } = parse(fixture('attributes.dot'));
    expect(graph.attrs.goal).toBe('Ship the parser');
    expect(graph.attrs.label).toBe('Parser pipeline');
    expect(graph.attrs.model_stylesheet).toBe('* { llm_model: small-model; } .heavy { llm_model: big-model; }');
    expect(graph.attrs.max_steps).toBe(40);
  });

  it('parses node attributes, including a block spread over several lines', () => {
    const draft = nodeOf(parse(fixture('attributes.dot')).graph, 'draft');
    expect(draft.attrs).toEqual({
      label: 'Draft',
      prompt: 'Read the spec.\nThen write the code.',
      max_retries: 2,
      goal_gate: true,
      timeout: { kind: 'duration', ms: 15 * 60_000, text: '15m' },
      class: 'heavy',
    });
  });

  it('parses edge attributes label, condition and weight', () => {
    const { graph } = parse(fixture('attributes.dot'));
    const edge = graph.edges.find((e) => e.from === 'draft' && e.to === 'review');
    expect(edge?.attrs).toEqual({ label: 'Done', condition: 'outcome=success', weight: 5 });
  });

  it('turns a chained edge A -> B -> C into one edge per pair', () => {
    const { graph } = parse('digraph G { A -> B -> C }');
    expect(pairs(graph)).toEqual(['A->B', 'B->C']);
  });

  it('applies node and edge default blocks to the declarations that follow them', () => {
    const { graph } = parse(`digraph G {
      early
      node [shape=box, timeout="900s"]
      edge [weight=3]
      a
      b [shape=diamond]
      a -> b
    }`);
    expect(nodeOf(graph, 'early').attrs).toEqual({});
    expect(nodeOf(graph, 'a').attrs).toEqual({ shape: 'box', timeout: { kind: 'duration', ms: 900_000, text: '900s' } });
    expect(nodeOf(graph, 'b').attrs.shape).toBe('diamond');
    expect(graph.edges[0]?.attrs).toEqual({ weight: 3 });
  });

  it('flattens subgraph blocks: their nodes and edges belong to the graph, the wrapper disappears', () => {
    const { graph } = parse(`digraph G {
      start -> inner_a
      subgraph cluster_one { inner_a -> inner_b; subgraph { deep } }
      inner_b -> deep
    }`);
    expect([...graph.nodes.keys()]).toEqual(['start', 'inner_a', 'inner_b', 'deep']);
    expect(pairs(graph)).toEqual(['start->inner_a', 'inner_a->inner_b', 'inner_b->deep']);
    expect(graph.nodes.has('cluster_one')).toBe(false);
  });

  it('gives the stylesheet the classes of the class attribute, so a class selector reaches the node', () => {
    const { graph } = parse(fixture('attributes.dot'));
    const rules = parseStylesheet(String(graph.attrs.model_stylesheet));
    expect(nodeOf(graph, 'draft').classes).toEqual(['heavy']);
    expect(resolveStyle(rules, nodeOf(graph, 'draft')).llm_model).toBe('big-model');
    expect(resolveStyle(rules, nodeOf(graph, 'review')).llm_model).toBe('small-model');
  });

  it('reads quoted and unquoted values alike', () => {
    const { graph } = parse('digraph G { a [label=Plan, shape="box", max_retries=2]; b [label="Plan", shape=box, max_retries="2"] }');
    expect(nodeOf(graph, 'a').attrs).toEqual(nodeOf(graph, 'b').attrs);
    expect(nodeOf(graph, 'a').attrs).toEqual({ label: 'Plan', shape: 'box', max_retries: 2 });
  });

  it('ignores // and /* */ comments (and # lines), wherever they are', () => {
    const { graph } = parse(`// leading comment
      /* block
         comment */ digraph G { // after the brace
        a [label="x", /* inside a block */ prompt="y"] // trailing
        # macro line
        a -> /* between */ b
      } // after the graph`);
    expect(nodeOf(graph, 'a').attrs).toEqual({ label: 'x', prompt: 'y' });
    expect(pairs(graph)).toEqual(['a->b']);
  });

  it('keeps comment markers that are inside strings', () => {
    const { graph } = parse('digraph G { a [prompt="see http://x.test/*y*/ # not a comment"] }');
    expect(nodeOf(graph, 'a').attrs.prompt).toBe('see http://x.test/*y*/ # not a comment');
  });
});

describe('Attractor §11.12 parity matrix, parse rows', () => {
  it('parses a simple linear pipeline (start -> A -> B -> done)', () => {
    const { graph, diagnostics } = parse(fixture('linear.dot'));
    expect([...graph.nodes.keys()]).toEqual(['start', 'A', 'B', 'done']);
    expect(pairs(graph)).toEqual(['start->A', 'A->B', 'B->done']);
    expect(nodeOf(graph, 'start').attrs.shape).toBe('Mdiamond');
    expect(nodeOf(graph, 'done').attrs.shape).toBe('Msquare');
    expect(diagnostics).toEqual([]);
  });

  it('parses a pipeline with graph-level attributes (goal, label)', () => {
    const { graph } = parse('digraph P { goal = "Run tests and report"; label="Test run"\n start -> exit }');
    expect(graph.attrs).toEqual({ goal: 'Run tests and report', label: 'Test run' });
  });

  it('parses multi-line node attributes', () => {
    const { graph } = parse(`digraph G {
      review_gate [
          shape=hexagon,
          label="Review Changes",
          type="wait.human"
      ]
    }`);
    expect(nodeOf(graph, 'review_gate').attrs).toEqual({ shape: 'hexagon', label: 'Review Changes', type: 'wait.human' });
  });
});

describe('scoped defaults (§2.10, §2.11)', () => {
  it('engine.md decision 8: subgraph node [...] defaults are scoped to the subgraph', () => {
    const { graph } = parse(`digraph G {
      subgraph cluster_loop {
        label = "Loop A"
        node [thread_id="loop-a", timeout="900s"]
        Plan      [label="Plan next step"]
        Implement [label="Implement", timeout="1800s"]
      }
      After [label="After"]
    }`);
    expect(nodeOf(graph, 'Plan').attrs).toEqual({ thread_id: 'loop-a', timeout: { kind: 'duration', ms: 900_000, text: '900s' }, label: 'Plan next step' });
    expect(nodeOf(graph, 'Implement').attrs.thread_id).toBe('loop-a');
    expect(nodeOf(graph, 'Implement').attrs.timeout).toEqual({ kind: 'duration', ms: 1_800_000, text: '1800s' });
    expect(nodeOf(graph, 'After').attrs).toEqual({ label: 'After' });
  });

  it('engine.md decision 8: subgraph edge [...] defaults stay inside the subgraph', () => {
    const { graph } = parse('digraph G { subgraph s { edge [weight=7]; a -> b } b -> c }');
    expect(graph.edges.map((e) => e.attrs)).toEqual([{ weight: 7 }, {}]);
  });

  it('nested subgraphs inherit the defaults of the subgraphs around them', () => {
    const { graph } = parse('digraph G { node [shape=box] subgraph a { node [fidelity=full] subgraph b { node [shape=diamond] x } y } z }');
    expect(nodeOf(graph, 'x').attrs).toEqual({ shape: 'diamond', fidelity: 'full' });
    expect(nodeOf(graph, 'y').attrs).toEqual({ shape: 'box', fidelity: 'full' });
    expect(nodeOf(graph, 'z').attrs).toEqual({ shape: 'box' });
  });

  it('creates a node first mentioned in an edge with the defaults in force there', () => {
    const { graph } = parse('digraph G { node [shape=box]; subgraph s { node [shape=diamond]; a -> b } }');
    expect(nodeOf(graph, 'a').attrs).toEqual({ shape: 'diamond' });
    expect(nodeOf(graph, 'b').attrs).toEqual({ shape: 'diamond' });
  });

  it('merges a redeclared node (later wins) without applying defaults declared after it was created', () => {
    const { graph } = parse('digraph G { a [label="first", prompt="p"]; node [shape=box]; a [label="second"] }');
    expect(nodeOf(graph, 'a').attrs).toEqual({ label: 'second', prompt: 'p' });
  });

  it('lets an explicit attribute override the default for that node only', () => {
    const { graph } = parse('digraph G { node [max_retries=1]; a [max_retries=4]; b }');
    expect(nodeOf(graph, 'a').attrs.max_retries).toBe(4);
    expect(nodeOf(graph, 'b').attrs.max_retries).toBe(1);
  });

  it('keeps later default blocks from changing nodes created before them', () => {
    const { graph } = parse('digraph G { node [shape=box]; a; node [shape=circle]; b }');
    expect(nodeOf(graph, 'a').attrs.shape).toBe('box');
    expect(nodeOf(graph, 'b').attrs.shape).toBe('circle');
  });
});

describe('chained and parallel edges (§2.9)', () => {
  it('engine.md decision 8: chained edges expand pairwise and every pair carries the statement attributes', () => {
    const { graph } = parse('digraph G { edge [weight=1]; A -> B -> C -> D [label="next"] }');
    expect(pairs(graph)).toEqual(['A->B', 'B->C', 'C->D']);
    for (const edge of graph.edges) expect(edge.attrs).toEqual({ weight: 1, label: 'next' });
    graph.edges[0]!.attrs.label = 'changed';
    expect(graph.edges[1]!.attrs.label).toBe('next');
  });

  it('engine.md decision 8: parallel edges between the same two nodes stay distinct', () => {
    const { graph } = parse('digraph G { a -> b [label="one"]; a -> b [label="two"]; a -> b }');
    expect(graph.edges.map((e) => [e.from, e.to, e.attrs.label, e.index])).toEqual([
      ['a', 'b', 'one', 0],
      ['a', 'b', 'two', 1],
      ['a', 'b', undefined, 2],
    ]);
  });

  it('numbers edges in declaration order across statements and subgraphs', () => {
    const { graph } = parse('digraph G { a -> b -> c; subgraph s { c -> d } d -> a }');
    expect(graph.edges.map((e) => `${e.index}:${e.from}->${e.to}`)).toEqual(['0:a->b', '1:b->c', '2:c->d', '3:d->a']);
  });
});

describe('classes derived from subgraph labels (§2.10)', () => {
  it('engine.md decision 8: a subgraph label becomes a class after the node\'s own classes', () => {
    const { graph } = parse(`digraph G {
      subgraph cluster_x {
        label = "Loop A"
        a [class="code, critical"]
        b [class="loop-a,code"]
      }
    }`);
    expect(nodeOf(graph, 'a').classes).toEqual(['code', 'critical', 'loop-a']);
    expect(nodeOf(graph, 'b').classes).toEqual(['loop-a', 'code']);
    expect(nodeOf(graph, 'a').attrs.class).toBe('code, critical');
    expect(nodeOf(graph, 'a').subgraphClass).toBe('loop-a');
  });

  it('lowercases, turns spaces into hyphens and drops other characters', () => {
    const { graph } = parse('digraph G { subgraph { label="Review & Fix: Stage 2!"; a } }');
    expect(nodeOf(graph, 'a').classes).toEqual(['review--fix-stage-2']);
  });

  it('gives nodes in nested subgraphs every enclosing class, the innermost as subgraphClass', () => {
    const { graph } = parse('digraph G { subgraph outer { label="Outer"; subgraph inner { graph [label="Inner"]; a } b } c }');
    expect(nodeOf(graph, 'a').classes).toEqual(['outer', 'inner']);
    expect(nodeOf(graph, 'a').subgraphClass).toBe('inner');
    expect(nodeOf(graph, 'b').classes).toEqual(['outer']);
    expect(nodeOf(graph, 'c').classes).toEqual([]);
    expect(nodeOf(graph, 'c').subgraphClass).toBeUndefined();
  });

  it('applies a label written after the nodes, and reaches nodes only referenced by edges inside', () => {
    const { graph } = parse('digraph G { x; subgraph s { x -> y; label="Late Label" } }');
    expect(nodeOf(graph, 'x').classes).toEqual(['late-label']);
    expect(nodeOf(graph, 'y').classes).toEqual(['late-label']);
  });

  it('keeps subgraph labels out of the graph attributes, and derives no class from the graph label', () => {
    const { graph } = parse('digraph G { label="Whole"; subgraph s { label="Part"; rank=same; a } b }');
    expect(graph.attrs).toEqual({ label: 'Whole' });
    expect(nodeOf(graph, 'b').classes).toEqual([]);
  });

  it('keeps the first labelled subgraph as the thread of a node mentioned in several', () => {
    const { graph } = parse('digraph G { subgraph a { label="A"; n } subgraph b { label="B"; m -> n } }');
    expect(nodeOf(graph, 'n').classes).toEqual(['a', 'b']);
    expect(nodeOf(graph, 'n').subgraphClass).toBe('a');
  });

  it('reads subgraph headers in any spelling: named, quoted, upper case, with comments', () => {
    const { graph } = parse('digraph G { SUBGRAPH /* note */ "cluster one" // x\n { label="One"; a } subgraph cluster_2 { label="Two"; b } }');
    expect(nodeOf(graph, 'a').classes).toEqual(['one']);
    expect(nodeOf(graph, 'b').classes).toEqual(['two']);
    expect([...graph.nodes.keys()]).toEqual(['a', 'b']);
  });

  it('derives nothing from a subgraph without a label', () => {
    const { graph } = parse('digraph G { subgraph cluster_named { a } }');
    expect(nodeOf(graph, 'a').classes).toEqual([]);
    expect(nodeOf(graph, 'a').subgraphClass).toBeUndefined();
  });
});

describe('attribute aliases', () => {
  it('engine.md decision 8: node_type, llm_prompt and max_retry are read as type, prompt and max_retries, with an info diagnostic', () => {
    const { graph, diagnostics } = parse('digraph G {\n  a [node_type="tool", llm_prompt="Do it", max_retry=2]\n}');
    expect(nodeOf(graph, 'a').attrs).toEqual({ type: 'tool', prompt: 'Do it', max_retries: 2 });
    expect(diagnostics).toEqual([
      expect.objectContaining({ rule: 'attribute_alias', severity: 'info', node_id: 'a', line: 2, column: 6 }),
      expect.objectContaining({ rule: 'attribute_alias', severity: 'info', node_id: 'a', line: 2, column: 24 }),
      expect.objectContaining({ rule: 'attribute_alias', severity: 'info', node_id: 'a', line: 2, column: 44 }),
    ]);
    expect(diagnostics[0]!.message).toContain('node_type');
    expect(diagnostics[0]!.message).toContain('"type"');
  });

  it('engine.md decision 8: default_max_retry on the graph is read as default_max_retries', () => {
    const { graph, diagnostics } = parse('digraph G { graph [default_max_retry=3] }');
    expect(graph.attrs).toEqual({ default_max_retries: 3 });
    expect(diagnostics).toEqual([expect.objectContaining({ rule: 'attribute_alias', severity: 'info', line: 1, column: 20 })]);
    expect(diagnostics[0]!.node_id).toBeUndefined();
  });

  it('engine.md decision 8: the canonical key wins over its alias, whatever their order', () => {
    const before = parse('digraph G { a [type="codergen", node_type="tool"] }');
    const after = parse('digraph G { a [node_type="tool", type="codergen"] }');
    const split = parse('digraph G { default_max_retries=1; default_max_retry=5 }');
    expect(nodeOf(before.graph, 'a').attrs).toEqual({ type: 'codergen' });
    expect(nodeOf(after.graph, 'a').attrs).toEqual({ type: 'codergen' });
    expect(split.graph.attrs).toEqual({ default_max_retries: 1 });
    expect(before.diagnostics.map((d) => d.rule)).toEqual(['attribute_alias']);
  });

  it('renames aliases in node defaults, and an explicit alias on the node still overrides the default', () => {
    const { graph } = parse('digraph G { node [type="tool"]; a [node_type="codergen"]; b }');
    expect(nodeOf(graph, 'a').attrs.type).toBe('codergen');
    expect(nodeOf(graph, 'b').attrs.type).toBe('tool');
  });

  it('leaves alias names alone where they are not aliases (edges)', () => {
    const { graph, diagnostics } = parse('digraph G { a -> b [max_retry=2] }');
    expect(graph.edges[0]?.attrs).toEqual({ max_retry: 2 });
    expect(diagnostics).toEqual([]);
  });
});

describe('typed values (§2.4)', () => {
  it('coerces known keys to their declared type whether quoted or not', () => {
    const { graph, diagnostics } = parse(`digraph G {
      a [max_retries="3", goal_gate="true", allow_partial=false, timeout="2h", max_visits=4]
      a -> b [weight="-2", loop_restart=true]
    }`);
    expect(nodeOf(graph, 'a').attrs).toEqual({
      max_retries: 3,
      goal_gate: true,
      allow_partial: false,
      timeout: { kind: 'duration', ms: 7_200_000, text: '2h' },
      max_visits: 4,
    });
    expect(graph.edges[0]?.attrs).toEqual({ weight: -2, loop_restart: true });
    expect(diagnostics).toEqual([]);
  });

  it('reads every duration unit', () => {
    const { graph } = parse('digraph G { a [timeout=250ms]; b [timeout=900s]; c [timeout=15m]; d [timeout=2h]; e [timeout=1d] }');
    const ms = ['a', 'b', 'c', 'd', 'e'].map((id) => nodeOf(graph, id).attrs.timeout);
    expect(ms).toEqual([
      { kind: 'duration', ms: 250, text: '250ms' },
      { kind: 'duration', ms: 900_000, text: '900s' },
      { kind: 'duration', ms: 900_000, text: '15m' },
      { kind: 'duration', ms: 7_200_000, text: '2h' },
      { kind: 'duration', ms: 86_400_000, text: '1d' },
    ]);
  });

  it('engine.md decision 8: a timeout with no unit means seconds', () => {
    const { graph } = parse('digraph G { a [timeout=900]; b [timeout="45"]; c [manager.poll_interval=30] }');
    expect(nodeOf(graph, 'a').attrs.timeout).toEqual({ kind: 'duration', ms: 900_000, text: '900s' });
    expect(nodeOf(graph, 'b').attrs.timeout).toEqual({ kind: 'duration', ms: 45_000, text: '45s' });
    expect(nodeOf(graph, 'c').attrs['manager.poll_interval']).toEqual({ kind: 'duration', ms: 30_000, text: '30s' });
  });

  it('reports a value that cannot be coerced as attribute_type and leaves the attribute out', () => {
    const { graph, diagnostics } = parse('digraph G {\n  a [max_retries="many", timeout=soon, label="kept"]\n  a -> b [weight=1.5]\n  graph [max_steps=lots]\n}');
    expect(nodeOf(graph, 'a').attrs).toEqual({ label: 'kept' });
    expect(graph.edges[0]?.attrs).toEqual({});
    expect(graph.attrs).toEqual({});
    expect(diagnostics).toEqual([
      expect.objectContaining({ rule: 'attribute_type', severity: 'error', node_id: 'a', line: 2, column: 6 }),
      expect.objectContaining({ rule: 'attribute_type', severity: 'error', node_id: 'a', line: 2, column: 26 }),
      expect.objectContaining({ rule: 'attribute_type', severity: 'error', edge: { from: 'a', to: 'b' }, line: 3, column: 11 }),
      expect.objectContaining({ rule: 'attribute_type', severity: 'error', line: 4, column: 10 }),
    ]);
    expect(diagnostics[0]!.message).toMatch(/max_retries.*integer.*"many"/);
    expect(diagnostics[1]!.message).toMatch(/timeout.*duration.*"soon"/);
    expect(diagnostics[2]!.message).toMatch(/weight.*integer.*"1\.5"/);
  });

  it('reports a bad value in a default block once, at the block', () => {
    const { graph, diagnostics } = parse('digraph G { node [goal_gate=maybe]; a; b }');
    expect(diagnostics).toEqual([expect.objectContaining({ rule: 'attribute_type', line: 1, column: 19 })]);
    expect(diagnostics[0]!.node_id).toBeUndefined();
    expect(nodeOf(graph, 'a').attrs).toEqual({});
  });

  it('types unquoted values of unknown keys by the grammar and keeps quoted ones as strings', () => {
    const { graph, diagnostics } = parse('digraph G { a [n=42, neg=-1, f=0.5, g=-3.25, yes=true, no=false, d=15m, s=word, q="42", qb="true", qd="15m"] }');
    expect(nodeOf(graph, 'a').attrs).toEqual({
      n: 42, neg: -1, f: 0.5, g: -3.25, yes: true, no: false, d: { kind: 'duration', ms: 900_000, text: '15m' }, s: 'word', q: '42', qb: 'true', qd: '15m',
    });
    expect(diagnostics).toEqual([]);
  });

  it('keeps values of string keys as strings even when they look like numbers', () => {
    const { graph } = parse('digraph G { a [label=12, prompt=true] }');
    expect(nodeOf(graph, 'a').attrs).toEqual({ label: '12', prompt: 'true' });
  });

  it('accepts §2 qualified keys and bare values that Graphviz itself would not', () => {
    const { graph } = parse('digraph G { stack.child_dotfile=child.dot; a [manager.poll_interval=45s, llm_model=claude-sonnet-4.5, tool_hooks.pre=hooks:pre] }');
    expect(graph.attrs).toEqual({ 'stack.child_dotfile': 'child.dot' });
    expect(nodeOf(graph, 'a').attrs).toEqual({
      'manager.poll_interval': { kind: 'duration', ms: 45_000, text: '45s' },
      llm_model: 'claude-sonnet-4.5',
      'tool_hooks.pre': 'hooks:pre',
    });
  });

  it('does not report unknown attributes (validation does)', () => {
    const { graph, diagnostics } = parse('digraph G { a [mystery="x", fontsize=12] }');
    expect(nodeOf(graph, 'a').attrs).toEqual({ mystery: 'x', fontsize: 12 });
    expect(diagnostics).toEqual([]);
  });
});

describe('strings (§2.2)', () => {
  it('unescapes \\" \\n \\t and \\\\ and leaves other backslash sequences as written', () => {
    const { graph } = parse(String.raw`digraph G { a [prompt="say \"hi\"\nthen\ttab \\ back \l left \d keep \\n"] }`);
    expect(nodeOf(graph, 'a').attrs.prompt).toBe('say "hi"\nthen\ttab \\ back \\l left \\d keep \\n');
  });

  it('reads strings that span lines, with Windows line endings normalised', () => {
    const { graph } = parse('digraph G {\r\n  a [prompt="one\r\ntwo\r\n  three"]\r\n  b\r\n}');
    expect(nodeOf(graph, 'a').attrs.prompt).toBe('one\ntwo\n  three');
    expect(nodeOf(graph, 'b').loc).toEqual({ line: 5, column: 3 });
  });

  it('accepts a quoted node id whose content is an identifier, and a byte order mark', () => {
    const { graph } = parse('\uFEFFdigraph "G" { "a" -> b }');
    expect(graph.name).toBe('G');
    expect(pairs(graph)).toEqual(['a->b']);
  });
});

describe('locations', () => {
  it('places a node at its first declaration and an edge at its statement', () => {
    const { graph } = parse('digraph G {\n  a [label="A"]\n    a -> b -> c\n  a [label="again"]\n}');
    expect(nodeOf(graph, 'a').loc).toEqual({ line: 2, column: 3 });
    expect(nodeOf(graph, 'b').loc).toEqual({ line: 3, column: 10 });
    expect(graph.edges.map((e) => e.loc)).toEqual([{ line: 3, column: 5 }, { line: 3, column: 5 }]);
  });

  it('moves the location of a node first met in an edge to its declaration when one follows', () => {
    const { graph } = parse('digraph G {\n  a -> b\n  b [label="B"]\n  b [label="B2"]\n}');
    expect(nodeOf(graph, 'b').loc).toEqual({ line: 3, column: 3 });
    expect(nodeOf(graph, 'a').loc).toEqual({ line: 2, column: 3 });
  });

  it('counts columns after a multi-line string correctly', () => {
    const { graph } = parse('digraph G { a [prompt="x\ny\nz"]; b\n c }');
    expect(nodeOf(graph, 'b').loc).toEqual({ line: 3, column: 6 });
    expect(nodeOf(graph, 'c').loc).toEqual({ line: 4, column: 2 });
  });
});

describe('size', () => {
  it('parses an empty graph', () => {
    const { graph } = parse('digraph Empty {}');
    expect(graph).toEqual({ name: 'Empty', attrs: {}, nodes: new Map(), edges: [] });
  });

  it('parses a 2,000-node graph', () => {
    const lines = ['digraph Big {'];
    for (let i = 0; i < 2000; i++) lines.push(`  n${i} [label="Node ${i}", max_retries=1]`);
    for (let i = 1; i < 2000; i++) lines.push(`  n${i - 1} -> n${i}`);
    lines.push('}');
    const { graph } = parse(lines.join('\n'));
    expect(graph.nodes.size).toBe(2000);
    expect(graph.edges).toHaveLength(1999);
    expect(nodeOf(graph, 'n1999').loc).toEqual({ line: 2001, column: 3 });
  });
});
