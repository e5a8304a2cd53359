// Fidelity of a twin (issue 18 §4): recorded real exchanges — one JSON object per line,
// {"request":{"method","path","headers"?,"body"?},"response":{"status","body"?}} — replayed in order
// against one fresh instance; an exchange matches when the status and the JSON body agree (keys the
// twin declares `volatile` ignored at any depth). Parsing and comparing are pure; replay sends.
import { z } from 'zod';
import type { TwinAnswer, TwinRequest } from './session.ts';

const RecordedExchangeSchema = z.object({
  request: z.object({
    method: z.string().regex(/^[A-Za-z]+$/, 'an HTTP method'),
    path: z.string().regex(/^\/(?!\/)/, 'a path starting with /'),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
  }),
  response: z.object({
    status: z.number().int().min(100).max(599),
    body: z.unknown().optional(),
  }),
});

export type RecordedExchange = z.output<typeof RecordedExchangeSchema>;

export class RecordingsError extends Error {}

/** Each non-blank line one exchange; a bad line is an error naming `file:line` and the field. */
export function parseRecordings(text: string, file: string): RecordedExchange[] {
  const exchanges: RecordedExchange[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, position) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${position + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new RecordingsError(`${where}: not a JSON object (${(error as Error).message})`);
    }
    const parsed = RecordedExchangeSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RecordingsError(`${where}: \`${issue.path.join('.') || '(line)'}\`: ${issue.code === 'invalid_type' && issue.input === undefined ? 'missing' : issue.message}`);
    }
    exchanges.push(parsed.data);
  });
  if (exchanges.length === 0) throw new RecordingsError(`${file}: holds no exchanges (one JSON object per line)`);
  return exchanges;
}

export interface Mismatch {
  /** 1-based position of the exchange in the recordings (blank lines not counted). */
  index: number;
  /** `status`, `body`, or `body.<path>` of the first differing value. */
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface FidelityReport {
  twin: string;
  fidelity: number;
  total: number;
  matched: number;
  mismatches: Mismatch[];
}

const MAX_DIFFS_PER_EXCHANGE = 10;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Differences between two JSON values, volatile keys ignored at any depth. */
export function diffJson(expected: unknown, actual: unknown, volatile: ReadonlySet<string>, path: string, out: Array<{ field: string; expected: unknown; actual: unknown }>): void {
  if (out.length >= MAX_DIFFS_PER_EXCHANGE) return;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push({ field: `${path}.length`, expected: expected.length, actual: actual.length });
      return;
    }
    expected.forEach((item, index) => diffJson(item, actual[index], volatile, `${path}[${index}]`, out));
    return;
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].filter((key) => !volatile.has(key)).sort();
    for (const key of keys) {
      if (!(key in actual)) out.push({ field: `${path}.${key}`, expected: expected[key], actual: undefined });
      else if (!(key in expected)) out.push({ field: `${path}.${key}`, expected: undefined, actual: actual[key] });
      else diffJson(expected[key], actual[key], volatile, `${path}.${key}`, out);
      if (out.length >= MAX_DIFFS_PER_EXCHANGE) return;
    }
    return;
  }
  if (JSON.stringify(expected) !== JSON.stringify(actual)) out.push({ field: path, expected, actual });
}

/** The mismatches of one exchange (empty when it matches). */
export function compareExchange(index: number, recorded: RecordedExchange, answer: TwinAnswer | { error: string }, volatile: readonly string[]): Mismatch[] {
  if ('error' in answer) return [{ index, field: 'status', expected: recorded.response.status, actual: `no answer: ${answer.error}` }];
  const mismatches: Mismatch[] = [];
  if (answer.status !== recorded.response.status) mismatches.push({ index, field: 'status', expected: recorded.response.status, actual: answer.status });
  if (recorded.response.body === undefined) return mismatches;
  let actual: unknown;
  try {
    actual = JSON.parse(answer.body);
  } catch {
    actual = answer.body;
  }
  const diffs: Array<{ field: string; expected: unknown; actual: unknown }> = [];
  diffJson(recorded.response.body, actual, new Set(volatile), 'body', diffs);
  return [...mismatches, ...diffs.map((diff) => ({ index, ...diff }))];
}

export function fidelityReport(twin: string, recordings: readonly RecordedExchange[], perExchange: readonly Mismatch[][]): FidelityReport {
  const matched = perExchange.filter((mismatches) => mismatches.length === 0).length;
  const total = recordings.length;
  return { twin, fidelity: total === 0 ? 0 : Math.round((matched / total) * 10_000) / 10_000, total, matched, mismatches: perExchange.flat() };
}

/** Replays in order through `send` (a fresh twin's), comparing each answer. */
export async function replayRecordings(twin: string, recordings: readonly RecordedExchange[], volatile: readonly string[], send: (request: TwinRequest) => Promise<TwinAnswer>): Promise<FidelityReport> {
  const perExchange: Mismatch[][] = [];
  for (const [position, recorded] of recordings.entries()) {
    let answer: TwinAnswer | { error: string };
    try {
      answer = await send({ method: recorded.request.method, path: recorded.request.path, ...(recorded.request.headers ? { headers: recorded.request.headers } : {}), ...(recorded.request.body === undefined ? {} : { body: recorded.request.body }) });
    } catch (error) {
      answer = { error: (error as Error).message };
    }
    perExchange.push(compareExchange(position + 1, recorded, answer, volatile));
  }
  return fidelityReport(twin, recordings, perExchange);
}

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

/** One line per mismatch: `#3 POST /v1/charges: body.amount expected 500, got 700`. */
export function formatMismatch(mismatch: Mismatch, recordings: readonly RecordedExchange[]): string {
  const request = recordings[mismatch.index - 1]?.request;
  const what = request ? ` ${request.method.toUpperCase()} ${request.path}` : '';
  return `#${mismatch.index}${what}: ${mismatch.field} expected ${show(mismatch.expected)}, got ${typeof mismatch.actual === 'string' && mismatch.field === 'status' ? mismatch.actual : show(mismatch.actual)}`;
}
