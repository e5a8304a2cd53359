// Every YAML document we read from users (`.github/factory.yml`, scenario frontmatter) goes through
// here: a byte limit before parsing, an alias limit while building values (an alias bomb expands
// exponentially), and every failure as a value with a line and column, never a throw.
import { isAlias, isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';

/** Larger than any config or frontmatter we expect by far; GitHub's contents API inlines files up to 1 MB. */
export const YAML_MAX_BYTES = 512 * 1024;
/** How many alias expansions a document may need (the `yaml` package's `maxAliasCount`). */
export const YAML_MAX_ALIAS_COUNT = 50;

export interface YamlLimits {
  maxBytes?: number;
  maxAliasCount?: number;
}

export interface YamlPosition {
  line: number;
  column: number;
}

export interface YamlProblem {
  message: string;
  line?: number;
  column?: number;
}

export interface YamlDocument {
  ok: true;
  value: unknown;
  /** Where a key path (as zod reports it) sits in the text: the key of its pair, else its value, else the nearest ancestor. */
  locate(path: readonly PropertyKey[]): YamlPosition | undefined;
}

export type YamlResult = YamlDocument | { ok: false; problem: YamlProblem };

function positionOf(lines: LineCounter, offset: number | undefined): YamlPosition | undefined {
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** The message's first line without its own position (the caller reports one relative to the file). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function firstAlias(document: Document): YamlNode | undefined {
  let found: YamlNode | undefined;
  visit(document, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

function nodeAt(document: Document, path: readonly PropertyKey[]): { node?: unknown; key?: unknown } {
  let current: unknown = document.contents;
  let key: unknown;
  for (const step of path) {
    if (isAlias(current)) return {};
    if (isMap(current)) {
      const pair = current.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === step);
      if (!pair) return { node: current };
      key = pair.key;
      current = pair.value;
    } else if (current && typeof current === 'object' && 'items' in current && typeof step === 'number') {
      const items = (current as { items: unknown[] }).items;
      if (step >= items.length) return { node: current };
      key = undefined;
      current = items[step];
    } else {
      return { node: current };
    }
  }
  return { node: current, key };
}

function rangeStart(value: unknown): number | undefined {
  const range = (value as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

/** Parses one YAML document within the limits; never throws. */
export function parseYamlBounded(text: string, limits: YamlLimits = {}): YamlResult {
  const maxBytes = limits.maxBytes ?? YAML_MAX_BYTES;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) return { ok: false, problem: { message: `the YAML is ${bytes} bytes; at most ${maxBytes} are read` } };
  const lines = new LineCounter();
  let document: Document;
  try {
    document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    return { ok: false, problem: { message: firstLine((error as Error).message) } };
  }
  const [error] = document.errors;
  if (error) {
    const position = error.linePos?.[0];
    return { ok: false, problem: { message: firstLine(error.message), ...(position ? { line: position.line, column: position.col } : {}) } };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: limits.maxAliasCount ?? YAML_MAX_ALIAS_COUNT });
  } catch (cause) {
    const alias = positionOf(lines, rangeStart(firstAlias(document)));
    const message = /alias/i.test((cause as Error).message)
      ? `aliases expand too far (more than ${limits.maxAliasCount ?? YAML_MAX_ALIAS_COUNT} expansions; an alias bomb?)`
      : firstLine((cause as Error).message);
    return { ok: false, problem: { message, ...(alias ?? {}) } };
  }
  return {
    ok: true,
    value,
    locate(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const { node, key } = nodeAt(document, path.slice(0, depth));
        const position = positionOf(lines, rangeStart(depth === path.length ? (key ?? node) : node));
        if (position) return position;
      }
      return undefined;
    },
  };
}
