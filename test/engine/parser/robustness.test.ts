// Malformed input of every kind must end in a result or a located DotSyntaxError, never anything else
// (contracts.md §1: exit code 2 with file, line and column, no stack trace).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DotSyntaxError } from '../../../core/engine/errors.ts';
import { parseDot } from '../../../core/engine/parser/index.ts';

type Random = () => number;

/** mulberry32: small, deterministic, good enough to spread edits over a file. */
function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const below = (random: Random, n: number): number => Math.floor(random() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[below(random, items.length)]!;

const INLINE_SEED = `/* A realistic pipeline with everything the subset allows. */
digraph Seed {
    graph [goal="Fix the failing build", label="Seed", model_stylesheet="* { llm_model: m; }"]
    default_max_retry = 2
    node [shape=box, timeout=900]
    edge [weight=0]

    start [shape=Mdiamond]
    exit  [shape=Msquare]
    subgraph cluster_fix {
        label = "Fix Loop"
        node [thread_id="fix", fidelity="full"]
        diagnose [prompt="Read the log.\\nFind the \\"first\\" error.", manager.poll_interval=30s]
        patch    [node_type="codergen", llm_prompt="Patch it
over several lines", class="code, critical"]
        subgraph inner { label="Inner Step"; verify [shape=parallelogram, tool_command="npm test"] }
    }
    gate [shape=diamond, label="Green?"]
    start -> diagnose -> patch -> verify -> gate // chained
    gate -> exit  [label="[Y] Yes", condition="outcome=success", weight=2]
    gate -> patch [label="[N] No", condition="outcome!=success"]
    # a macro line
}
`;

function seeds(): string[] {
  const read = (name: string) => readFileSync(new URL(`../../fixtures/graphs/parser/${name}`, import.meta.url), 'utf8');
  return [INLINE_SEED, read('linear.dot'), read('attributes.dot'), read('review-loop.dot')];
}

const EDIT_CHARACTERS = ['\u0000', '\u0001', '\u00e9', '\u2028', '\ud800', '\ufeff', '"', '{', '}', '[', ']', ';', ',', '=', '-', '>', ':', '<', '\\', '\n', '\r', '/', '*', '#', ' ', 'a', '9', '.'];

function randomCharacter(random: Random): string {
  return random() < 0.8 ? pick(random, EDIT_CHARACTERS) : String.fromCharCode(below(random, 0x10000));
}

type Mutation = (source: string, random: Random) => string;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (source, random) => source.slice(0, below(random, source.length + 1)),
  replaceCharacters: (source, random) => {
    const characters = [...source];
    for (let edits = 1 + below(random, 6); edits > 0; edits--) characters[below(random, characters.length)] = randomCharacter(random);
    return characters.join('');
  },
  insertCharacters: (source, random) => {
    let result = source;
    for (let edits = 1 + below(random, 4); edits > 0; edits--) {
      const at = below(random, result.length + 1);
      result = result.slice(0, at) + randomCharacter(random).repeat(1 + below(random, 3)) + result.slice(at);
    }
    return result;
  },
  deleteRange: (source, random) => {
    const start = below(random, source.length);
    return source.slice(0, start) + source.slice(start + 1 + below(random, 40));
  },
  unbalance: (source, random) => {
    const opener = pick(random, ['{', '[', '"', '<', '/*', '}', ']', '>', '->']);
    const at = below(random, source.length + 1);
    return source.slice(0, at) + opener.repeat(1 + below(random, 5)) + source.slice(at);
  },
  duplicateToken: (source, random) => {
    const tokens = source.split(/(\s+|[{}[\];,=])/);
    const index = below(random, tokens.length);
    tokens.splice(index, 0, ...tokens.slice(index, index + 1 + below(random, 4)));
    return tokens.join('');
  },
  deepNesting: (source, random) => {
    const depth = 1 + below(random, 400);
    const open = source.indexOf('{') + 1;
    const close = random() < 0.7 ? depth : below(random, depth);
    return source.slice(0, open) + 'subgraph { '.repeat(depth) + source.slice(open) + '}'.repeat(close);
  },
  swapSlices: (source, random) => {
    const a = below(random, source.length);
    const b = below(random, source.length);
    const [from, to] = a < b ? [a, b] : [b, a];
    const width = Math.min(1 + below(random, 30), to - from);
    return source.slice(0, from) + source.slice(to, to + width) + source.slice(from + width, to) + source.slice(from, from + width) + source.slice(to + width);
  },
  combined: (source, random) => {
    let result = source;
    const simple = ['truncate', 'replaceCharacters', 'insertCharacters', 'deleteRange', 'unbalance', 'duplicateToken', 'swapSlices'];
    for (let rounds = 2 + below(random, 3); rounds > 0; rounds--) result = MUTATIONS[pick(random, simple)]!(result, random);
    return result;
  },
};

/** A problem with the outcome of one input, or undefined when it is one of the two allowed outcomes. */
function judge(source: string): { problem?: string; accepted: boolean } {
  try {
    const { graph, diagnostics } = parseDot(source, { file: 'fuzz.dot' });
    for (const edge of graph.edges) {
      if (!graph.nodes.has(edge.from) || !graph.nodes.has(edge.to)) return { problem: `edge ${edge.from}->${edge.to} to a missing node`, accepted: true };
    }
    for (const id of graph.nodes.keys()) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(id)) return { problem: `node id ${JSON.stringify(id)} accepted`, accepted: true };
    if (!Array.isArray(diagnostics)) return { problem: 'diagnostics is not an array', accepted: true };
    return { accepted: true };
  } catch (error) {
    if (!(error instanceof DotSyntaxError)) return { problem: `threw ${String(error)}`, accepted: false };
    if (error.message.startsWith('internal parser error')) return { problem: error.message, accepted: false };
    const lines = source.split('\n');
    const line = lines[error.line - 1];
    if (error.line < 1 || error.column < 1 || line === undefined || error.column > line.length + 1) {
      return { problem: `location ${error.line}:${error.column} is outside the input`, accepted: false };
    }
    return { accepted: false };
  }
}

describe('parseDot on malformed input', () => {
  it('returns a graph or throws a located DotSyntaxError for 1,350 seeded mutations of realistic graphs', () => {
    const random = seededRandom(0x5eed_d07);
    const originals = seeds();
    const problems: string[] = [];
    const outcomes = { accepted: 0, rejected: 0 };
    const perMutation = 150;
    for (const [name, mutate] of Object.entries(MUTATIONS)) {
      for (let i = 0; i < perMutation; i++) {
        const source = mutate(pick(random, originals), random);
        const { problem, accepted } = judge(source);
        outcomes[accepted ? 'accepted' : 'rejected']++;
        if (problem) problems.push(`${name} #${i}: ${problem} for ${JSON.stringify(source.slice(0, 300))}`);
      }
    }
    expect(problems).toEqual([]);
    expect(outcomes.accepted + outcomes.rejected).toBe(perMutation * Object.keys(MUTATIONS).length);
    // Both outcomes occur, so the mutations neither break everything nor nothing.
    expect(outcomes.accepted).toBeGreaterThan(50);
    expect(outcomes.rejected).toBeGreaterThan(500);
  });

  it('handles attribute values of about a megabyte, whole or cut off', () => {
    const random = seededRandom(42);
    const big = 'x'.repeat(1024 * 1024);
    const inputs = [
      `digraph G { a [prompt="${big}"] }`,
      `digraph G { a [prompt="${big} }`,
      `digraph G { a [prompt=${big}] }`,
      `digraph G { a [prompt="${big.slice(0, 500_000)}\n${big.slice(0, 500_000)}"] }`,
      MUTATIONS.replaceCharacters!(`digraph G { a [prompt="${big}"] }`, random),
    ];
    const results = inputs.map((source) => judge(source));
    expect(results.map((r) => r.problem)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(results.slice(0, 4).map((r) => r.accepted)).toEqual([true, false, true, true]);
  });

  it('handles binary content', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 20; i++) {
      const bytes = Array.from({ length: 200 + below(random, 2000) }, () => String.fromCharCode(below(random, 256))).join('');
      expect(judge(bytes)).toEqual({ accepted: false });
    }
  });
});
