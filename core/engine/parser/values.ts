// Attribute values (§2.2, §2.4): reading literals back from the source, string escapes, and typing.
import type { AttrType } from '../attributes.ts';
import type { AttrValue, Duration } from '../graph.ts';
import type { LiteralASTNode } from 'ts-graphviz/ast';
import { endOffset, startOffset } from './parse-context.ts';

export interface LiteralText {
  text: string;
  quoted: boolean;
}

/** The literal as written in the source (not as ts-graphviz decoded it), quotes removed and escapes applied. */
export function literalText(source: string, literal: LiteralASTNode): LiteralText {
  const start = startOffset(literal);
  const end = endOffset(literal);
  if (literal.quoted === true) return { text: unescapeDotString(source.slice(start + 1, end - 1)), quoted: true };
  return { text: source.slice(start, end), quoted: false };
}

/** `\"`, `\n`, `\t` and `\\` are escapes (§2.2); any other backslash sequence stays as written. */
export function unescapeDotString(raw: string): string {
  return raw.replaceAll('\r\n', '\n').replace(/\\(["nt\\])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped));
}

const INTEGER = /^-?[0-9]+$/;
const FLOAT = /^-?[0-9]*\.[0-9]+$/;
const DURATION = /^(-?[0-9]+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An unquoted value of an attribute we do not know, typed by the §2.2 grammar. */
export function typeByGrammar(text: string): AttrValue {
  if (INTEGER.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : text;
  }
  if (FLOAT.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return parseDuration(text) ?? text;
}

/** The value as the declared type, or undefined when it cannot be read as one. */
export function coerceToType(text: string, type: AttrType): AttrValue | undefined {
  const trimmed = text.trim();
  switch (type) {
    case 'string':
      return text;
    case 'integer': {
      if (!INTEGER.test(trimmed)) return undefined;
      const value = Number(trimmed);
      return Number.isSafeInteger(value) ? value : undefined;
    }
    case 'float':
      return INTEGER.test(trimmed) || FLOAT.test(trimmed) ? Number(trimmed) : undefined;
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : undefined;
    }
    case 'duration':
      // A number without a unit means seconds (engine.md decision 8).
      if (INTEGER.test(trimmed)) return parseDuration(`${trimmed}s`);
      return parseDuration(trimmed);
  }
}

export function parseDuration(text: string): Duration | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return Number.isSafeInteger(ms) ? { kind: 'duration', ms, text } : undefined;
}

export function describeType(type: AttrType): string {
  switch (type) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'float':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'duration':
      return 'a duration (such as 250ms, 900s, 15m, 2h or 1d)';
  }
}
