// JSON input files checked with zod; a bad file gets one line: file, key path, what was expected.
import type { z } from 'zod';
import { UsageError } from './errors.ts';
import { readTextFile } from './input-files.ts';
import { JsonTextError, parseJsonText } from '../core/engine/json-text.ts';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

export function formatPath(path: readonly PathKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(key))) text += text ? `.${String(key)}` : String(key);
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text || '(root)';
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : kindOf(value);
}

/** A union branch that failed only because the value has another type says nothing useful. */
function isTypeMismatch(branch: readonly Issue[], value: unknown): boolean {
  if (branch.length !== 1) return false;
  const [issue] = branch;
  if (!issue || issue.path.length > 0) return false;
  if (issue.code === 'invalid_type') return true;
  return issue.code === 'invalid_value' && !issue.values.some((allowed) => typeof allowed === typeof value);
}

function expectation(branch: readonly Issue[]): string {
  const [issue] = branch;
  if (issue?.code === 'invalid_type') return issue.expected;
  if (issue?.code === 'invalid_value') return `one of ${issue.values.map(String).join('|')}`;
  return 'another shape';
}

/** The most specific issue: for unions, the branch the value was evidently meant for. */
function describeIssue(issue: Issue, data: unknown, prefix: readonly PathKey[]): { path: readonly PathKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'invalid_union': {
      const meant = issue.errors.filter((branch) => !isTypeMismatch(branch, value));
      if (meant.length === 1 && meant[0]![0]) return describeIssue(meant[0]![0], data, path);
      return { path, message: `expected ${issue.errors.map(expectation).join(', or ')}; got ${shown(value)}` };
    }
    case 'invalid_value':
      return { path, message: `expected one of ${issue.values.map(String).join('|')}; got ${shown(value)}` };
    case 'invalid_type':
      return { path, message: `expected ${issue.expected}; got ${shown(value)}` };
    case 'unrecognized_keys':
      return { path, message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` };
    default:
      return { path, message: issue.message };
  }
}

export function describeZodError(error: z.ZodError, data: unknown): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  const { path, message } = describeIssue(first, data, []);
  return `${formatPath(path)}: ${message}`;
}

function parseJson(path: string, text: string): unknown {
  try {
    return parseJsonText(text, path);
  } catch (error) {
    if (error instanceof JsonTextError) throw new UsageError(error.message);
    throw error;
  }
}

export function readJsonFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
  const data = parseJson(path, readTextFile(path, what));
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UsageError(`${path}: not ${what}: ${describeZodError(parsed.error, data)}`);
  return parsed.data;
}
