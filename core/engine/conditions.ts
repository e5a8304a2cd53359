// Edge condition expressions (Attractor §10): `key op literal` clauses joined by `&&`.
import type { Context } from './context.ts';
import { EngineError } from './errors.ts';

export type ComparisonOperator = '=' | '!=';

/** One `&&`-separated clause; `column` is the 1-based position of its key in the expression. */
export type Clause =
  | { key: string; operator: ComparisonOperator; value: string; column: number }
  | { key: string; operator: 'truthy'; column: number };

/** What a condition is evaluated against: the status and preferred label of the stage's outcome. */
export interface ConditionOutcome {
  status: string;
  preferred_label?: string;
}

export class ConditionSyntaxError extends EngineError {
  /** 1-based column into the expression. */
  readonly column: number;
  readonly expression: string;
  readonly reason: string;
  constructor(reason: string, column: number, expression: string) {
    super('condition_syntax', `${reason} at column ${column} of condition "${expression}"`);
    this.reason = reason;
    this.column = column;
    this.expression = expression;
  }
}

const KEY = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const INTEGER = /-?[0-9]+/y;
const BARE_LITERAL = /[A-Za-z_][A-Za-z0-9_.:-]*/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const SUPPORTED = "only '=', '!=' and '&&' are supported";
// Words a reader might expect from §10.7 or other languages; named in the error instead of "unexpected".
const UNSUPPORTED_WORDS = new Set(['contains', 'matches', 'in', 'not', 'and', 'or', 'like', 'startswith', 'endswith']);
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

function skipSpaces(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

/** The error for whatever unexpected thing starts at `at`, naming unsupported operators as such. */
function unexpected(text: string, at: number, expected: string): ConditionSyntaxError {
  const column = at + 1;
  const fail = (reason: string): ConditionSyntaxError => new ConditionSyntaxError(reason, column, text);
  if (at >= text.length) return fail(`expected ${expected} but the condition ended`);
  const rest = text.slice(at);
  if (rest.startsWith('||')) return fail(`'||' (or) is not supported; ${SUPPORTED}`);
  if (rest.startsWith('==')) return fail("'==' is not supported; use '=' for equality");
  for (const op of ['<=', '>=', '<', '>']) {
    if (rest.startsWith(op)) return fail(`comparison '${op}' is not supported; ${SUPPORTED}`);
  }
  if (rest.startsWith('!')) return fail(`'!' (not) is not supported; ${SUPPORTED}`);
  if (rest.startsWith('&')) return fail("a single '&' is not an operator; join clauses with '&&'");
  if (rest.startsWith('(') || rest.startsWith(')')) return fail(`parentheses are not supported; ${SUPPORTED}`);
  const word = matchAt(WORD, text, at);
  if (word !== undefined && UNSUPPORTED_WORDS.has(word.toLowerCase())) {
    return fail(`operator '${word}' is not supported; ${SUPPORTED}`);
  }
  const found = word ?? rest.charAt(0);
  return fail(`expected ${expected} but found '${found}'`);
}

function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let at = start + 1;
  while (at < text.length) {
    const ch = text[at]!;
    if (ch === '"') return { value, end: at + 1 };
    if (ch === '\\') {
      const escaped = ESCAPES[text[at + 1] ?? ''];
      if (escaped === undefined) {
        throw new ConditionSyntaxError(`unknown escape '\\${text[at + 1] ?? ''}' in string`, at + 1, text);
      }
      value += escaped;
      at += 2;
    } else {
      value += ch;
      at++;
    }
  }
  throw new ConditionSyntaxError('unterminated string', start + 1, text);
}

function readLiteral(text: string, at: number): { value: string; end: number } {
  if (text[at] === '"') return readString(text, at);
  const integer = matchAt(INTEGER, text, at);
  if (integer !== undefined) {
    const end = at + integer.length;
    // `1.5` or `2x` would otherwise be read as `1` followed by junk.
    if (end < text.length && /[A-Za-z0-9_.:-]/.test(text[end]!)) {
      throw new ConditionSyntaxError(`'${text.slice(at).split(/\s|&&/)[0]}' is not an integer; quote it to compare as text`, at + 1, text);
    }
    return { value: integer, end };
  }
  const bare = matchAt(BARE_LITERAL, text, at);
  if (bare !== undefined) return { value: bare, end: at + bare.length };
  if (at >= text.length || text.startsWith('&&', at)) {
    throw new ConditionSyntaxError('expected a value after the operator (write "" for the empty string)', at + 1, text);
  }
  throw unexpected(text, at, 'a value');
}

function readClause(text: string, at: number): { clause: Clause; end: number } {
  const column = at + 1;
  const key = matchAt(KEY, text, at);
  if (key === undefined) {
    if (at >= text.length || text.startsWith('&&', at)) throw new ConditionSyntaxError('empty clause', column, text);
    throw unexpected(text, at, 'a key (outcome, preferred_label, context.<name>)');
  }
  // `not x` / `NOT x`: report the word, not the key that follows it.
  const afterKey = skipSpaces(text, at + key.length);
  if (UNSUPPORTED_WORDS.has(key.toLowerCase()) && matchAt(KEY, text, afterKey) !== undefined) {
    throw new ConditionSyntaxError(`operator '${key}' is not supported; ${SUPPORTED}`, column, text);
  }
  let operator: ComparisonOperator;
  if (text.startsWith('!=', afterKey)) operator = '!=';
  else if (text[afterKey] === '=' && text[afterKey + 1] !== '=') operator = '=';
  else if (afterKey >= text.length || text.startsWith('&&', afterKey)) {
    return { clause: { key, operator: 'truthy', column }, end: afterKey };
  } else throw unexpected(text, afterKey, "'=', '!=' or '&&'");
  const literal = readLiteral(text, skipSpaces(text, afterKey + operator.length));
  return { clause: { key, operator, value: literal.value, column }, end: literal.end };
}

/** Parses a condition; the empty (or all-blank) condition has no clauses. */
export function parseCondition(expr: string): Clause[] {
  const clauses: Clause[] = [];
  let at = skipSpaces(expr, 0);
  if (at >= expr.length) return clauses;
  for (;;) {
    const { clause, end } = readClause(expr, at);
    clauses.push(clause);
    at = skipSpaces(expr, end);
    if (at >= expr.length) return clauses;
    if (!expr.startsWith('&&', at)) throw unexpected(expr, at, "'&&' between clauses");
    at = skipSpaces(expr, at + 2);
    if (at >= expr.length) throw new ConditionSyntaxError("expected a clause after '&&'", at + 1, expr);
  }
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function lookup(context: Context, key: string): string | undefined {
  const value = context.get(key);
  return value === undefined || value === null ? undefined : stringify(value);
}

/** §10.4: outcome fields, then context (with or without the `context.` prefix); missing is "". */
export function resolveConditionKey(key: string, outcome: ConditionOutcome, context: Context): string {
  if (key === 'outcome') return outcome.status;
  if (key === 'preferred_label') return outcome.preferred_label ?? '';
  const direct = lookup(context, key);
  if (direct !== undefined) return direct;
  if (key.startsWith('context.')) return lookup(context, key.slice('context.'.length)) ?? '';
  return '';
}

/** A bare key is true when its value is set and not a spelling of false. */
function isTruthy(value: string): boolean {
  return value !== '' && value !== 'false' && value !== '0';
}

export function evaluateClause(clause: Clause, outcome: ConditionOutcome, context: Context): boolean {
  const actual = resolveConditionKey(clause.key, outcome, context);
  if (clause.operator === 'truthy') return isTruthy(actual);
  return clause.operator === '=' ? actual === clause.value : actual !== clause.value;
}

/** True when every clause holds; an empty condition always holds. Throws ConditionSyntaxError for bad text. */
export function evaluateCondition(expr: string | readonly Clause[], outcome: ConditionOutcome, context: Context): boolean {
  const clauses = typeof expr === 'string' ? parseCondition(expr) : expr;
  return clauses.every((clause) => evaluateClause(clause, outcome, context));
}
