// What every provider client shares: the SDK client options (retries off — retrying.ts owns the
// policy — one timeout, an injectable fetch), the request → params → (stream | one JSON call) →
// LlmResponse flow with every failure mapped to an LlmError, the end-of-stream checks, and the
// assembly of the normalised response. Each client keeps only its own wire translation.
import { streamCut, toLlmError } from './errors.ts';
import type { ContentPart, FinishReason, LlmProvider, LlmRequest, LlmResponse, StreamEvent, Usage } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** The options every network provider accepts. */
export interface ProviderConnection {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Stream the response (default) or make one JSON request. */
  stream?: boolean;
  /** Clock for Retry-After given as an HTTP date. */
  now?: () => number;
}

export interface SdkClientOptions {
  apiKey: string;
  baseURL: string;
  maxRetries: 0;
  timeout: number;
  fetch?: typeof fetch;
}

/** Constructor options for an SDK client: our retry policy replaces the SDK's, so maxRetries is 0. */
export function sdkClientOptions(connection: ProviderConnection & { apiKey: string; baseURL: string }): SdkClientOptions {
  return {
    apiKey: connection.apiKey,
    baseURL: connection.baseURL,
    maxRetries: 0,
    timeout: connection.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
  };
}

/** The normalised response every client returns. */
export function assistantResponse(provider: string, model: string, content: ContentPart[], finish_reason: FinishReason, usage: Usage): LlmResponse {
  return { message: { role: 'assistant', content }, finish_reason, usage, provider, model };
}

/**
 * The JSON value a schema-constrained answer's text holds, or undefined when it holds none (a
 * refusal, a cut answer): the caller then sees only the text and reports what is wrong with it.
 */
export function parseStructured(content: ContentPart[]): unknown {
  const text = content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface StreamOutcome {
  /** The provider's completion event was seen (message_stop, response.completed, finish_reason…). */
  completed: boolean;
  /** What was missing, for the stream_cut message. */
  missing: string;
}

/**
 * Reads a provider's event stream to its end: transport failures while streaming become stream_cut
 * (or the mapped API error), an abort is reported as such, and a stream that ends quietly without
 * its completion event — the SDKs end quietly when the connection drops — is a stream_cut.
 */
export async function drainStream<E>(
  provider: string,
  stream: AsyncIterable<E>,
  request: LlmRequest,
  handle: (event: E) => void,
  outcome: () => StreamOutcome,
  now?: () => number,
): Promise<void> {
  try {
    for await (const event of stream) handle(event);
  } catch (error) {
    throw toLlmError(error, provider, { streaming: true, now });
  }
  if (request.signal?.aborted) throw toLlmError(request.signal.reason, provider);
  const { completed, missing } = outcome();
  if (!completed) throw streamCut(provider, missing);
}

export interface ProviderParts<Params, Raw> {
  name: string;
  connection: ProviderConnection;
  build(request: LlmRequest): Params;
  /** One JSON request. */
  send(params: Params, request: LlmRequest, timeout: number): Promise<Raw>;
  /** A streamed request, read to its end (see drainStream). */
  stream(params: Params, request: LlmRequest, timeout: number, onEvent?: (event: StreamEvent) => void): Promise<Raw>;
  assemble(raw: Raw, request: LlmRequest): LlmResponse;
}

/** An LlmProvider from its parts; whatever sending or assembling throws reaches the caller as an LlmError. */
export function defineProvider<Params, Raw>(parts: ProviderParts<Params, Raw>): LlmProvider {
  const timeout = parts.connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  async function complete(request: LlmRequest, onEvent?: (event: StreamEvent) => void): Promise<LlmResponse> {
    const params = parts.build(request);
    try {
      const raw = parts.connection.stream === false ? await parts.send(params, request, timeout) : await parts.stream(params, request, timeout, onEvent);
      return parts.assemble(raw, request);
    } catch (error) {
      throw toLlmError(error, parts.name, { now: parts.connection.now });
    }
  }
  return { name: parts.name, complete };
}
