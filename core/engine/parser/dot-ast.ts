// Runs ts-graphviz's DOT parser on the prepared text and turns its errors into located
// DotSyntaxErrors with messages written for people editing a pipeline graph.
import { parse, type ClusterStatementASTNode, type DotASTNode, type EdgeASTNode } from 'ts-graphviz/ast';
import type { ParseContext } from './parse-context.ts';
import type { PreparedSource } from './prepare-source.ts';

interface PeggyExpectation {
  type: string;
  text?: string;
  description?: string;
  parts?: unknown[];
}

interface PeggyError {
  message: string;
  expected: PeggyExpectation[] | null;
  found: string | null;
  location: { start: { offset: number } };
}

// Expectations that would only lead the reader out of the subset (comments are always allowed).
const UNHELPFUL_EXPECTATIONS = new Set(['#', '/*', '//', '<', '--', 'port']);
const EXPECTATION_NAMES: Record<string, string> = { NUMBER: 'a number', UNICODE_STRING: 'an identifier' };
const PORT_BEFORE = /[A-Za-z0-9_"]\s*:\s*(?:[A-Za-z0-9_]+|"[^"]*")\s*$/;
const GRAPH_KEYWORD = /(?:strict\s+)?(?:di)?graph\b/iy;

export function parseDotAst(prepared: PreparedSource, ctx: ParseContext): DotASTNode {
  try {
    // Size and nesting are already bounded by our own checks, which report a location.
    const dot = parse(prepared.text, { maxInputSize: 0, maxASTNodes: 0 });
    if (prepared.splits.length > 0) joinCutChains(dot, prepared.splits);
    return dot;
  } catch (error) {
    const peggy = peggyErrorOf(error);
    if (!peggy) return ctx.fail(`the DOT parser failed: ${(error as Error).message}`, 0);
    const offset = peggy.location.start.offset;
    if (prepared.unclosed && offset >= prepared.unclosed.offset) {
      return ctx.fail(`this ${prepared.unclosed.what} is never closed`, prepared.unclosed.offset);
    }
    if (peggy.found === null && prepared.unclosedBrace !== undefined) {
      return ctx.fail('this { is never closed', prepared.unclosedBrace);
    }
    return ctx.fail(explain(peggy, prepared.text, offset), offset);
  }
}

/** Glues the pieces of every chain prepareSource cut back into one edge statement. */
function joinCutChains(dot: DotASTNode, splits: readonly number[]): void {
  const cutBetween = (before: ClusterStatementASTNode, after: ClusterStatementASTNode): boolean => {
    if (before.type !== 'Edge' || after.type !== 'Edge' || !after.location) return false;
    // The statement's own location takes in the `;` of the cut; its last target ends before it.
    const lastTarget = before.targets.at(-1)?.location;
    if (!lastTarget) return false;
    const cut = firstAtOrAfter(splits, lastTarget.end.offset);
    return cut !== undefined && cut < after.location.start.offset;
  };
  const join = (statements: ClusterStatementASTNode[]): ClusterStatementASTNode[] => {
    const joined: ClusterStatementASTNode[] = [];
    for (const statement of statements) {
      if (statement.type === 'Subgraph') statement.children = join(statement.children);
      const last = joined.at(-1);
      if (last && cutBetween(last, statement)) {
        const head = last as EdgeASTNode;
        const tail = statement as EdgeASTNode;
        head.targets.push(...tail.targets);
        head.children = tail.children;
        if (head.location) head.location = { ...head.location, end: tail.location!.end };
        continue;
      }
      joined.push(statement);
    }
    return joined;
  };
  for (const child of dot.children) if (child.type === 'Graph') child.children = join(child.children);
}

function firstAtOrAfter(sorted: readonly number[], offset: number): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < offset) low = middle + 1;
    else high = middle;
  }
  return sorted[low];
}

function peggyErrorOf(error: unknown): PeggyError | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause as Partial<PeggyError> | undefined;
  return typeof cause?.location?.start?.offset === 'number' ? (cause as PeggyError) : undefined;
}

function explain(error: PeggyError, text: string, offset: number): string {
  if (error.message.startsWith('In digraph')) return 'undirected edges (--) are not supported; use ->';
  if (error.message.startsWith('In graph')) return 'undirected graphs are not supported; use digraph and ->';
  if (error.message.startsWith('Edge chain depth')) return 'edge chain longer than 1000 edges; split it into several statements';
  if (error.message.startsWith('HTML nesting depth')) return 'HTML labels are not supported; use a quoted string';
  GRAPH_KEYWORD.lastIndex = offset;
  if (offset > 0 && GRAPH_KEYWORD.test(text)) return 'a file holds exactly one graph; another graph starts here';
  if ((text.startsWith('->', offset) || text.startsWith('--', offset)) && previousSignificant(text, offset) === '}') {
    return 'a subgraph cannot be an edge endpoint; write one edge per pair of nodes';
  }
  // Ports we refuse ourselves once parsed, but ts-graphviz fails on some first: `a:p [..]` (a
  // port on a node statement) and `a:p:sw` (it reads the compass point as "s").
  if (PORT_BEFORE.test(text.slice(Math.max(0, offset - 200), offset))) {
    return 'ports are not supported; connect or declare the node itself';
  }
  const found = error.found === null ? 'end of input' : describeCharacter(error.found);
  const expected = describeExpected(error.expected ?? []);
  return expected ? `unexpected ${found}; expected ${expected}` : `unexpected ${found}`;
}

function previousSignificant(text: string, offset: number): string {
  for (let i = offset - 1; i >= 0; i--) {
    const character = text.charAt(i);
    if (!/\s/.test(character)) return character;
  }
  return '';
}

function describeCharacter(character: string): string {
  if (character === '\n' || character === '\r') return 'line break';
  return JSON.stringify(character);
}

function describeExpected(expectations: readonly PeggyExpectation[]): string {
  const names: string[] = [];
  for (const expectation of expectations) {
    const name = expectationName(expectation);
    if (name && !names.includes(name)) names.push(name);
  }
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

function expectationName(expectation: PeggyExpectation): string | undefined {
  switch (expectation.type) {
    case 'literal':
      return expectation.text === undefined || UNHELPFUL_EXPECTATIONS.has(expectation.text) ? undefined : JSON.stringify(expectation.text);
    case 'other':
      return expectation.description === undefined || UNHELPFUL_EXPECTATIONS.has(expectation.description)
        ? undefined
        : (EXPECTATION_NAMES[expectation.description] ?? expectation.description);
    case 'class':
      // The only character class worth naming is the attribute separator.
      return expectation.parts?.includes(',') ? '","' : undefined;
    case 'end':
      return 'end of input';
    default:
      return undefined;
  }
}
