// The Gemini API's wire format for the wire server: `POST /v1beta/models/<model>:generateContent`
// answers one GenerateContentResponse as JSON, `:streamGenerateContent?alt=sse` the same response
// in SSE chunks (text in pieces, the finish reason and usage on the last chunk); faults carry
// Google's error body with its status name and, for 429/503, a RetryInfo delay.
import type { WireFault, WireTurn, WireUsage } from './wire-server.ts';

export const GEMINI_PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

interface Rendered {
  status: number;
  headers: Record<string, string>;
  json?: unknown;
  events?: string[];
}

const STATUS_NAME: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  529: 'UNAVAILABLE',
};

export function renderGeminiFault(fault: WireFault): Rendered {
  const message = fault.message ?? `injected ${fault.status}`;
  // Google puts the wait in the body (google.rpc.RetryInfo), not in a Retry-After header.
  const details = fault.retryAfter !== undefined && /^\d+$/.test(fault.retryAfter) ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${fault.retryAfter}s` }] : [];
  return { status: fault.status, headers: { 'content-type': 'application/json' }, json: { error: { code: fault.status, message, status: STATUS_NAME[fault.status], ...(details.length ? { details } : {}) } } };
}

function usageMetadata(usage: WireUsage | undefined): Record<string, number> {
  const u = usage ?? { input: 10, output: 5 };
  const thoughts = u.reasoning ?? 0;
  return {
    promptTokenCount: u.input,
    candidatesTokenCount: u.output - thoughts,
    totalTokenCount: u.input + u.output,
    ...(u.cache_read ? { cachedContentTokenCount: u.cache_read } : {}),
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
  };
}

function parts(turn: WireTurn): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (turn.reasoning) out.push({ text: turn.reasoning.text, thought: true });
  if (turn.text) out.push({ text: turn.text });
  // The first call of a thinking model's turn carries the thought signature, which must come back.
  (turn.tool_calls ?? []).forEach((call, index) => out.push({ functionCall: { name: call.name, args: call.arguments }, ...(index === 0 ? { thoughtSignature: turn.reasoning?.signature ?? 'c2lnLXdpcmU=' } : {}) }));
  return out;
}

function finish(turn: WireTurn): string {
  return turn.stop === 'length' ? 'MAX_TOKENS' : 'STOP';
}

export function renderGemini(turn: WireTurn, body: { model: string; stream: boolean }, n: number): Rendered {
  const base = { modelVersion: body.model, responseId: `gemini-wire-${n}` };
  const all = parts(turn);
  if (!body.stream) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      json: { candidates: [{ content: { role: 'model', parts: all }, finishReason: finish(turn), index: 0 }], usageMetadata: usageMetadata(turn.usage), ...base },
    };
  }
  // Text arrives in pieces; each call whole in its own chunk; the last chunk has finish and usage.
  const chunks: Record<string, unknown>[][] = [];
  for (const part of all) {
    if (typeof part.text === 'string' && part.text.length > 1) {
      const middle = Math.floor(part.text.length / 2);
      chunks.push([{ ...part, text: part.text.slice(0, middle) }], [{ ...part, text: part.text.slice(middle) }]);
    } else chunks.push([part]);
  }
  if (chunks.length === 0) chunks.push([{ text: '' }]);
  const events = chunks.map((chunk, index) => {
    const last = index === chunks.length - 1;
    const data = {
      candidates: [{ content: { role: 'model', parts: chunk }, index: 0, ...(last ? { finishReason: finish(turn) } : {}) }],
      usageMetadata: last ? usageMetadata(turn.usage) : { promptTokenCount: turn.usage?.input ?? 10 },
      ...base,
    };
    return `data: ${JSON.stringify(data)}\r\n\r\n`;
  });
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, events };
}
