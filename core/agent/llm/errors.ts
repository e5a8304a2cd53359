// Maps whatever an SDK call throws to the one LlmError taxonomy (unified-llm-spec.md §6.3–§6.5).
// Both SDKs share the same error shapes (status, headers, parsed body), so one mapping serves both.
import * as AnthropicSdk from '@anthropic-ai/sdk';
import * as OpenAiSdk from 'openai';
import { LlmError, type LlmErrorKind } from './types.ts';

const CONTEXT_LENGTH = /context length|context window|context_length|too many tokens|prompt is too long|maximum context|input is too long|exceeds the maximum number of tokens/i;

/** Anthropic's `error.type` values (also sent inside a streamed `error` event, where no status exists). */
const KIND_BY_ERROR_TYPE: Record<string, LlmErrorKind> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'context_length',
  rate_limit_error: 'rate_limit',
  api_error: 'server',
  overloaded_error: 'overloaded',
  timeout_error: 'timeout',
  server_error: 'server',
};

/**
 * Milliseconds to wait from the response headers: `retry-after-ms` (OpenAI), else `retry-after` as
 * seconds or an HTTP date. Undefined when absent or unparseable; never negative.
 */
export function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Math.round(Number(value) * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** OpenAI and OpenAI-compatible servers name an overflow by code (`context_length_exceeded`). */
const CONTEXT_LENGTH_CODES: ReadonlySet<string> = new Set(['context_length_exceeded', 'string_above_max_length']);

export function kindForStatus(status: number, message: string, code?: string): LlmErrorKind {
  if (status === 400 || status === 422) return CONTEXT_LENGTH.test(message) || (code !== undefined && CONTEXT_LENGTH_CODES.has(code)) ? 'context_length' : 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'context_length';
  if (status === 429) return 'rate_limit';
  if (status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  // Unknown statuses are retryable by default (§6.3): a false retry is cheaper than a false abort.
  return 'server';
}

/** The provider's own words: Anthropic nests them in `error.error.message`, OpenAI in `error.message`. */
function providerMessage(body: unknown, fallback: string): string {
  if (typeof body === 'object' && body !== null) {
    const record = body as { message?: unknown; error?: { message?: unknown } };
    if (typeof record.error?.message === 'string') return record.error.message;
    if (typeof record.message === 'string') return record.message;
  }
  return fallback;
}

function errorType(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { type?: unknown; code?: unknown; error?: { type?: unknown } };
  if (typeof record.error?.type === 'string') return record.error.type;
  if (typeof record.type === 'string' && record.type !== 'error') return record.type;
  if (typeof record.code === 'string') return record.code;
  return undefined;
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof AnthropicSdk.APIUserAbortError ||
    error instanceof OpenAiSdk.APIUserAbortError ||
    // An AbortSignal's default reason is a DOMException, which may come from another realm.
    (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError')
  );
}

export interface MapErrorOptions {
  /** For `Retry-After` given as an HTTP date. */
  now?: () => number;
  /** The response had begun streaming: a transport failure now means the stream was cut. */
  streaming?: boolean;
}

/** Any thrown value from a provider call → LlmError (an LlmError passes through unchanged). */
export function toLlmError(error: unknown, provider: string, options: MapErrorOptions = {}): LlmError {
  if (error instanceof LlmError) return error;
  const now = options.now ?? Date.now;
  if (isAbort(error)) return new LlmError('aborted', `${provider}: request aborted`, { provider, cause: error });
  if (error instanceof AnthropicSdk.APIConnectionTimeoutError || error instanceof OpenAiSdk.APIConnectionTimeoutError) {
    return new LlmError('timeout', `${provider}: request timed out`, { provider, cause: error });
  }
  if (error instanceof AnthropicSdk.APIConnectionError || error instanceof OpenAiSdk.APIConnectionError) {
    const detail = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new LlmError('network', `${provider}: connection failed (${error.message}${detail})`, { provider, cause: error });
  }
  if (error instanceof AnthropicSdk.APIError || error instanceof OpenAiSdk.APIError) {
    const message = providerMessage(error.error, error.message);
    const status = error.status;
    if (typeof status === 'number') {
      const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
      const kind = kindForStatus(status, message, code);
      const wait = kind === 'rate_limit' || kind === 'overloaded' || kind === 'server' ? retryAfterMs(error.headers, now()) : undefined;
      return new LlmError(kind, `${provider}: ${kind} (HTTP ${status}): ${message}`, { provider, status, retryAfterMs: wait, cause: error });
    }
    // An error event inside a stream: no status, only the provider's error type.
    const type = errorType(error.error);
    const kind = (type ? KIND_BY_ERROR_TYPE[type] : undefined) ?? (CONTEXT_LENGTH.test(message) ? 'context_length' : 'server');
    return new LlmError(kind, `${provider}: ${kind} (${type ?? 'stream error'}): ${message}`, { provider, cause: error });
  }
  const text = error instanceof Error ? error.message : String(error);
  if (options.streaming) return new LlmError('stream_cut', `${provider}: stream cut before the response completed (${text})`, { provider, cause: error });
  return new LlmError('server', `${provider}: unexpected error: ${text}`, { provider, cause: error });
}

/** The response stream ended without its completion event. */
export function streamCut(provider: string, detail: string): LlmError {
  return new LlmError('stream_cut', `${provider}: stream cut before the response completed (${detail})`, { provider });
}
