// A lexical pass over the source before ts-graphviz parses it. It produces a copy of the same
// length (so every offset the DOT parser reports is an offset in the original) in which the parts
// of the §2 grammar that Graphviz's own grammar lacks are made parseable:
//   - line breaks inside quoted strings (multi-line prompts) become spaces;
//   - qualified keys (`manager.poll_interval=`) and bare values with `.`, `:` or `-`
//     (`llm_model=claude-sonnet-4.5`, `timeout=900s`) become same-length identifiers;
//   - comments become spaces, because §2.3 strips them wherever they are and ts-graphviz takes
//     them only between statements and attributes;
//   - a subgraph header `subgraph name {` becomes plain `{`: the DOT parser backtracks over the
//     keyword at every nesting level, so one syntax error inside subgraphs nested 20 deep took it
//     minutes; anonymous braces fail in linear time. The name of a subgraph means nothing to us;
//   - an edge chain longer than CHAIN_PIECE edges (`n0 -> n1 -> … -> n10000`) is cut into pieces:
//     every CHAIN_PIECE-th `->` becomes `; ` (same length), and the parser glues the pieces back
//     into one statement (`splits`). The DOT parser recurses once per chained edge, so a long chain
//     would otherwise exhaust the stack.
// Values are always read back from the original text, so nothing here changes what a graph means.
// The same pass bounds brace nesting, because the DOT parser recurses once per level.
import type { ParseContext } from './parse-context.ts';

export const MAX_NESTING_DEPTH = 100;
/** Edges per piece of a cut chain; below ts-graphviz's own chain limit of 1000 and far below the stack's. */
export const CHAIN_PIECE = 500;

export interface PreparedSource {
  text: string;
  /** A string, block comment or HTML value still open at the end of the input. */
  unclosed?: { offset: number; what: string };
  /** The innermost `{` still open at the end of the input. */
  unclosedBrace?: number;
  /** Offsets, ascending, where a `->` of a long chain became `; `: the statements on either side are one. */
  splits: number[];
}

const QUALIFIED_KEY = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const DOT_ID = /^(?:[A-Za-z_][A-Za-z0-9_]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))$/;
const DURATION = /^-?[0-9]+(?:ms|s|m|h|d)$/;
const BARE_VALUE = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

const CHAR = {
  tab: 9, lineFeed: 10, carriageReturn: 13, space: 32, quote: 34, hash: 35, dollar: 36, star: 42,
  hyphen: 45, dot: 46, slash: 47, colon: 58, lessThan: 60, equals: 61, greaterThan: 62, underscore: 95,
  backslash: 92, openBrace: 123, closeBrace: 125, byteOrderMark: 0xfeff,
} as const;

type Previous = 'equals' | 'word' | 'other';

export function prepareSource(ctx: ParseContext): PreparedSource {
  const { source } = ctx;
  const edits: Array<[offset: number, replacement: string]> = [];
  let unclosed: PreparedSource['unclosed'];
  const openBraces: number[] = [];
  let previous: Previous = 'other';
  let wordStart = 0;
  let wordEnd = 0;
  let i = source.charCodeAt(0) === CHAR.byteOrderMark ? skipByteOrderMark(edits) : 0;
  const length = source.length;
  const chain = new ChainCutter(edits);

  while (i < length) {
    const code = source.charCodeAt(i);
    const next = source.charCodeAt(i + 1);
    if (code === CHAR.space || code === CHAR.tab || code === CHAR.lineFeed || code === CHAR.carriageReturn) {
      i++;
    } else if (code === CHAR.quote) {
      if (previous === 'equals') chain.other();
      else chain.id();
      const end = scanString(source, i, edits);
      if (end === -1) {
        unclosed = { offset: i, what: 'string' };
        break;
      }
      i = end;
      previous = 'other';
    } else if (code === CHAR.hash || (code === CHAR.slash && next === CHAR.slash)) {
      const end = lineEnd(source, i);
      blankOut(source, i, end, edits);
      i = end;
    } else if (code === CHAR.slash && next === CHAR.star) {
      const close = source.indexOf('*/', i + 2);
      if (close === -1) {
        unclosed = { offset: i, what: 'comment' };
        break;
      }
      blankOut(source, i, close + 2, edits);
      i = close + 2;
    } else if (code === CHAR.lessThan) {
      chain.other();
      const end = scanHtml(source, i);
      if (end === -1) {
        unclosed = { offset: i, what: 'HTML value' };
        break;
      }
      i = end;
      previous = 'other';
    } else if (code === CHAR.equals) {
      chain.other();
      if (previous === 'word') maskKey(source, wordStart, wordEnd, edits);
      previous = 'equals';
      i++;
    } else if (isWordCharacter(code, next)) {
      const start = i;
      while (i < length && isWordCharacter(source.charCodeAt(i), source.charCodeAt(i + 1))) i++;
      // A run glued to a character Graphviz takes as part of an identifier is not a whole token.
      if (isForeignIdentifierCharacter(source.charCodeAt(i))) {
        chain.other();
        previous = 'other';
        continue;
      }
      if (previous === 'equals') {
        chain.other();
        maskValue(source, start, i, edits);
      } else if (i - start === 8 && source.slice(start, i).toLowerCase() === 'subgraph') {
        chain.other();
        const headerEnd = subgraphHeaderEnd(ctx, i);
        if (headerEnd !== -1) {
          blankOut(source, start, headerEnd, edits);
          i = headerEnd;
          previous = 'other';
          continue;
        }
      } else {
        chain.id();
      }
      previous = 'word';
      wordStart = start;
      wordEnd = i;
    } else if (code === CHAR.hyphen && next === CHAR.greaterThan) {
      chain.edgeOperator(i);
      previous = 'other';
      i += 2;
    } else {
      chain.other();
      if (code === CHAR.openBrace && openBraces.push(i) > MAX_NESTING_DEPTH) {
        ctx.fail(`braces are nested more than ${MAX_NESTING_DEPTH} levels deep`, i);
      }
      if (code === CHAR.closeBrace) openBraces.pop();
      previous = 'other';
      i++;
    }
  }
  return { text: applyEdits(source, edits, chain.cut), unclosed, unclosedBrace: openBraces.at(-1), splits: chain.splits };
}

/**
 * Counts the `->` of the chain being read (`id -> id -> …`) and cuts it every CHAIN_PIECE edges.
 * A cut at an operator is made only once the next operator of the same chain is seen, so both
 * pieces hold at least one edge (a piece without one would read as a node statement).
 */
class ChainCutter {
  readonly splits: number[] = [];
  /** Whether an edit went in after a later one (a cut is pushed late), so edits need sorting. */
  cut = false;
  readonly #edits: Array<[number, string]>;
  #operators = 0;
  #afterId = false;
  #pending = -1;

  constructor(edits: Array<[number, string]>) {
    this.#edits = edits;
  }

  id(): void {
    // An id right after an id starts a new statement (`a -> b c -> d`).
    if (this.#afterId) this.#reset();
    this.#afterId = true;
  }

  edgeOperator(offset: number): void {
    if (!this.#afterId) {
      this.#reset();
      return;
    }
    this.#afterId = false;
    this.#operators++;
    if (this.#pending !== -1) {
      this.#edits.push([this.#pending, '; ']);
      this.splits.push(this.#pending);
      this.cut = true;
      this.#pending = -1;
    }
    if (this.#operators % CHAIN_PIECE === 0) this.#pending = offset;
  }

  other(): void {
    this.#reset();
    this.#afterId = false;
  }

  #reset(): void {
    this.#operators = 0;
    this.#pending = -1;
  }
}

function skipByteOrderMark(edits: Array<[number, string]>): number {
  edits.push([0, ' ']);
  return 1;
}

/** End of `subgraph` plus its optional name when a `{` follows them, else -1. */
function subgraphHeaderEnd(ctx: ParseContext, keywordEnd: number): number {
  const { source } = ctx;
  let i = skipWhitespaceAndComments(source, keywordEnd);
  if (source.charCodeAt(i) === CHAR.openBrace) return keywordEnd;
  const code = source.charCodeAt(i);
  let nameEnd: number;
  if (code === CHAR.lessThan) {
    ctx.fail('HTML strings are not supported (subgraph name); use a quoted string', i);
  } else if (code === CHAR.quote) {
    nameEnd = quotedEnd(source, i);
    if (nameEnd === -1) return -1;
  } else {
    nameEnd = i;
    while (nameEnd < source.length && isWordCharacter(source.charCodeAt(nameEnd), source.charCodeAt(nameEnd + 1))) nameEnd++;
    if (nameEnd === i || isForeignIdentifierCharacter(source.charCodeAt(nameEnd))) return -1;
  }
  i = skipWhitespaceAndComments(source, nameEnd);
  return source.charCodeAt(i) === CHAR.openBrace ? nameEnd : -1;
}

function skipWhitespaceAndComments(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    if (/\s/.test(source.charAt(i))) {
      i++;
    } else if (source.startsWith('/*', i)) {
      const close = source.indexOf('*/', i + 2);
      if (close === -1) return source.length;
      i = close + 2;
    } else if (source.startsWith('//', i) || source.charCodeAt(i) === CHAR.hash) {
      i = lineEnd(source, i);
    } else {
      return i;
    }
  }
  return i;
}

function quotedEnd(source: string, open: number): number {
  for (let j = open + 1; j < source.length; j++) {
    const code = source.charCodeAt(j);
    if (code === CHAR.backslash) j++;
    else if (code === CHAR.quote) return j + 1;
  }
  return -1;
}

/** Index after the closing quote, or -1 when the string never closes. */
function scanString(source: string, open: number, edits: Array<[number, string]>): number {
  for (let j = open + 1; j < source.length; j++) {
    const code = source.charCodeAt(j);
    if (code === CHAR.backslash) {
      j++;
      if (j < source.length && isLineBreak(source.charCodeAt(j))) edits.push([j, ' ']);
    } else if (code === CHAR.quote) {
      return j + 1;
    } else if (isLineBreak(code)) {
      edits.push([j, ' ']);
    }
  }
  return -1;
}

function scanHtml(source: string, open: number): number {
  let depth = 0;
  for (let j = open; j < source.length; j++) {
    const code = source.charCodeAt(j);
    if (code === CHAR.lessThan) depth++;
    else if (code === CHAR.greaterThan && --depth === 0) return j + 1;
  }
  return -1;
}

/** Comments run to the next line feed or carriage return, as in the DOT parser. */
function lineEnd(source: string, from: number): number {
  for (let j = from; j < source.length; j++) {
    const code = source.charCodeAt(j);
    if (code === CHAR.lineFeed || code === CHAR.carriageReturn) return j;
  }
  return source.length;
}

/** Spaces for everything but line breaks, so the DOT parser still sees the same lines. */
function blankOut(source: string, start: number, end: number, edits: Array<[number, string]>): void {
  edits.push([start, source.slice(start, end).replace(/[^\r\n]/g, ' ')]);
}

function isLineBreak(code: number): boolean {
  return code === CHAR.lineFeed || code === CHAR.carriageReturn || code === 0x2028 || code === 0x2029;
}

/** Characters of §2 identifiers, numbers, durations and bare values; `-` only when not an edge operator. */
function isWordCharacter(code: number, next: number): boolean {
  if (code === CHAR.hyphen) return next !== CHAR.hyphen && next !== CHAR.greaterThan;
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ||
    code === CHAR.underscore || code === CHAR.dot || code === CHAR.colon
  );
}

function isForeignIdentifierCharacter(code: number): boolean {
  return code === CHAR.dollar || code >= 128;
}

function maskKey(source: string, start: number, end: number, edits: Array<[number, string]>): void {
  const word = source.slice(start, end);
  if (QUALIFIED_KEY.test(word)) edits.push([start, word.replaceAll('.', '_')]);
}

function maskValue(source: string, start: number, end: number, edits: Array<[number, string]>): void {
  const word = source.slice(start, end);
  if (DOT_ID.test(word)) return;
  if (DURATION.test(word) || BARE_VALUE.test(word)) edits.push([start, '_'.repeat(word.length)]);
}

function applyEdits(source: string, edits: Array<[number, string]>, unordered: boolean): string {
  if (edits.length === 0) return source;
  if (unordered) edits.sort((a, b) => a[0] - b[0]);
  const pieces: string[] = [];
  let from = 0;
  for (const [offset, replacement] of edits) {
    pieces.push(source.slice(from, offset), replacement);
    from = offset + replacement.length;
  }
  pieces.push(source.slice(from));
  return pieces.join('');
}
