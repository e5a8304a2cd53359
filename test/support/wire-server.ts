// An in-process HTTP server on 127.0.0.1 that speaks the providers' wire formats, so the real SDKs
// can be driven through `baseURL`: Anthropic Messages, OpenAI Responses, OpenAI Chat Completions and
// Gemini generateContent (gemini-wire.ts), each as JSON or SSE (chosen by the request's `stream`
// flag, for Gemini by the method in the path). Replies come from a queue of
// provider-neutral fixtures rendered in the format of the endpoint that was called; every request
// is recorded; faults (HTTP errors with the provider's error body, Retry-After, cut streams) are
// injected per reply.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GEMINI_PATH, renderGemini, renderGeminiFault } from './gemini-wire.ts';
import { readText } from './http-body.ts';

export interface WireToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** Normalised usage: `input` counts every input token, cache reads and writes included. */
export interface WireUsage {
  input: number;
  output: number;
  cache_read?: number;
  cache_write?: number;
  reasoning?: number;
}

export interface WireTurn {
  text?: string;
  /** Anthropic: a thinking block with `signature`; OpenAI: a reasoning item with `encrypted`. */
  reasoning?: { text: string; signature?: string; encrypted?: string };
  tool_calls?: WireToolCall[];
  usage?: WireUsage;
  /** `length` renders as max_tokens / incomplete / finish_reason length. */
  stop?: 'stop' | 'length';
}

export interface WireFault {
  status: 400 | 401 | 403 | 404 | 408 | 429 | 500 | 503 | 529;
  message?: string;
  /** Sent verbatim as the `retry-after` header (seconds or an HTTP date). */
  retryAfter?: string;
  /** Sent as `retry-after-ms` (OpenAI's millisecond header). */
  retryAfterMs?: string;
}

export type WireReply =
  | { turn: WireTurn; cut?: { afterEvents: number; mode?: 'destroy' | 'end' } }
  | { fault: WireFault };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface WireServer {
  /** `http://127.0.0.1:<port>`: the Anthropic SDK's baseURL. */
  readonly url: string;
  /** `<url>/v1`: the OpenAI SDK's baseURL. */
  readonly openaiBaseURL: string;
  readonly requests: RecordedRequest[];
  push(...replies: WireReply[]): void;
  /** Replies not yet consumed. */
  pending(): number;
  close(): Promise<void>;
}

type Api = 'anthropic' | 'responses' | 'chat' | 'gemini';

interface Rendered {
  status: number;
  headers: Record<string, string>;
  /** JSON body, or the SSE events in order. */
  json?: unknown;
  events?: string[];
}

const API_BY_PATH: Record<string, Api> = { '/v1/messages': 'anthropic', '/v1/responses': 'responses', '/v1/chat/completions': 'chat' };

function sse(event: string | undefined, data: unknown): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

function halves(text: string): string[] {
  if (text.length < 2) return [text];
  const middle = Math.floor(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)];
}

// ---------- errors ----------

const ANTHROPIC_ERROR_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};

const OPENAI_ERROR: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  408: { type: 'server_error', code: null },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: null },
  529: { type: 'server_error', code: null },
};

function renderFault(api: Api, fault: WireFault): Rendered {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = fault.retryAfterMs;
  const message = fault.message ?? (fault.status === 529 ? 'Overloaded' : `injected ${fault.status}`);
  if (api === 'gemini') return renderGeminiFault(fault);
  if (api === 'anthropic') {
    return { status: fault.status, headers, json: { type: 'error', error: { type: ANTHROPIC_ERROR_TYPE[fault.status], message }, request_id: 'req_wire' } };
  }
  const shape = OPENAI_ERROR[fault.status]!;
  return { status: fault.status, headers, json: { error: { message, type: shape.type, param: null, code: shape.code } } };
}

// ---------- Anthropic Messages ----------

function anthropicUsage(usage: WireUsage | undefined, outputSoFar?: number): Record<string, number> {
  const u = usage ?? { input: 10, output: 5 };
  const read = u.cache_read ?? 0;
  const write = u.cache_write ?? 0;
  return {
    input_tokens: u.input - read - write,
    output_tokens: outputSoFar ?? u.output,
    cache_read_input_tokens: read,
    cache_creation_input_tokens: write,
  };
}

function anthropicBlocks(turn: WireTurn): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (turn.reasoning) blocks.push({ type: 'thinking', thinking: turn.reasoning.text, signature: turn.reasoning.signature ?? 'sig-wire' });
  if (turn.text) blocks.push({ type: 'text', text: turn.text });
  for (const call of turn.tool_calls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
  return blocks;
}

function anthropicStop(turn: WireTurn): string {
  if (turn.stop === 'length') return 'max_tokens';
  return turn.tool_calls?.length ? 'tool_use' : 'end_turn';
}

function renderAnthropic(turn: WireTurn, body: { model?: string; stream?: boolean }, n: number): Rendered {
  const message = { id: `msg_wire_${n}`, type: 'message', role: 'assistant', model: body.model ?? 'unknown', stop_sequence: null };
  const blocks = anthropicBlocks(turn);
  if (!body.stream) {
    return { status: 200, headers: { 'content-type': 'application/json' }, json: { ...message, content: blocks, stop_reason: anthropicStop(turn), usage: anthropicUsage(turn.usage) } };
  }
  const events = [
    sse('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: anthropicUsage(turn.usage, 1) } }),
    sse('ping', { type: 'ping' }),
  ];
  blocks.forEach((block, index) => {
    if (block.type === 'thinking') {
      events.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
      for (const piece of halves(block.thinking as string)) events.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } }));
      events.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } }));
    } else if (block.type === 'text') {
      events.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      for (const piece of halves(block.text as string)) events.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
    } else {
      events.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
      for (const piece of halves(JSON.stringify(block.input))) {
        events.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
      }
    }
    events.push(sse('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(sse('message_delta', { type: 'message_delta', delta: { stop_reason: anthropicStop(turn), stop_sequence: null }, usage: { output_tokens: turn.usage?.output ?? 5 } }));
  events.push(sse('message_stop', { type: 'message_stop' }));
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, events };
}

// ---------- OpenAI Responses ----------

function responsesUsage(usage: WireUsage | undefined): Record<string, unknown> {
  const u = usage ?? { input: 10, output: 5 };
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cache_read ?? 0, cache_write_tokens: u.cache_write ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: u.input + u.output,
  };
}

function responsesItems(turn: WireTurn, n: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  if (turn.reasoning) {
    items.push({ type: 'reasoning', id: `rs_wire_${n}`, summary: [{ type: 'summary_text', text: turn.reasoning.text }], encrypted_content: turn.reasoning.encrypted ?? `enc-wire-${n}` });
  }
  if (turn.text) {
    items.push({ type: 'message', id: `msg_wire_${n}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: turn.text, annotations: [] }] });
  }
  (turn.tool_calls ?? []).forEach((call, i) => {
    items.push({ type: 'function_call', id: `fc_wire_${n}_${i}`, call_id: call.id, name: call.name, arguments: JSON.stringify(call.arguments), status: 'completed' });
  });
  return items;
}

function renderResponses(turn: WireTurn, body: { model?: string; stream?: boolean }, n: number): Rendered {
  const base = {
    id: `resp_wire_${n}`,
    object: 'response',
    created_at: 1_767_225_600,
    model: body.model ?? 'unknown',
    error: null,
    instructions: null,
    metadata: {},
    parallel_tool_calls: true,
    temperature: null,
    tool_choice: 'auto',
    tools: [],
    top_p: null,
  };
  const items = responsesItems(turn, n);
  const incomplete = turn.stop === 'length';
  const final = {
    ...base,
    status: incomplete ? 'incomplete' : 'completed',
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    output: items,
    usage: responsesUsage(turn.usage),
  };
  if (!body.stream) return { status: 200, headers: { 'content-type': 'application/json' }, json: final };

  let seq = 0;
  const events: string[] = [];
  const emit = (type: string, data: Record<string, unknown>) => events.push(sse(type, { type, sequence_number: seq++, ...data }));
  const inProgress = { ...base, status: 'in_progress', incomplete_details: null, output: [], usage: null };
  emit('response.created', { response: inProgress });
  emit('response.in_progress', { response: inProgress });
  items.forEach((item, output_index) => {
    const item_id = item.id;
    if (item.type === 'reasoning') {
      const text = (item.summary as { text: string }[])[0]!.text;
      emit('response.output_item.added', { output_index, item: { type: 'reasoning', id: item_id, summary: [] } });
      emit('response.reasoning_summary_part.added', { item_id, output_index, summary_index: 0, part: { type: 'summary_text', text: '' } });
      for (const delta of halves(text)) emit('response.reasoning_summary_text.delta', { item_id, output_index, summary_index: 0, delta });
      emit('response.reasoning_summary_text.done', { item_id, output_index, summary_index: 0, text });
      emit('response.reasoning_summary_part.done', { item_id, output_index, summary_index: 0, part: { type: 'summary_text', text } });
    } else if (item.type === 'message') {
      const text = (item.content as { text: string }[])[0]!.text;
      emit('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      emit('response.content_part.added', { item_id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
      for (const delta of halves(text)) emit('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [] });
      emit('response.output_text.done', { item_id, output_index, content_index: 0, text, logprobs: [] });
      emit('response.content_part.done', { item_id, output_index, content_index: 0, part: { type: 'output_text', text, annotations: [] } });
    } else {
      const args = item.arguments as string;
      emit('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
      for (const delta of halves(args)) emit('response.function_call_arguments.delta', { item_id, output_index, delta });
      emit('response.function_call_arguments.done', { item_id, output_index, arguments: args });
    }
    emit('response.output_item.done', { output_index, item });
  });
  emit(incomplete ? 'response.incomplete' : 'response.completed', { response: final });
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, events };
}

// ---------- OpenAI Chat Completions ----------

function chatUsage(usage: WireUsage | undefined): Record<string, unknown> {
  const u = usage ?? { input: 10, output: 5 };
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cache_read ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
  };
}

function chatFinish(turn: WireTurn): string {
  if (turn.stop === 'length') return 'length';
  return turn.tool_calls?.length ? 'tool_calls' : 'stop';
}

function renderChat(turn: WireTurn, body: { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } }, n: number): Rendered {
  const base = { id: `chatcmpl-wire-${n}`, created: 1_767_225_600, model: body.model ?? 'unknown' };
  const toolCalls = (turn.tool_calls ?? []).map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }));
  if (!body.stream) {
    const message = {
      role: 'assistant',
      content: turn.text ?? null,
      refusal: null,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      ...(turn.reasoning ? { reasoning_content: turn.reasoning.text } : {}),
    };
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      json: { ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: chatFinish(turn), logprobs: null }], usage: chatUsage(turn.usage) },
    };
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    sse(undefined, { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
  const events = [chunk({ role: 'assistant', content: '' })];
  if (turn.reasoning) for (const piece of halves(turn.reasoning.text)) events.push(chunk({ reasoning_content: piece }));
  if (turn.text) for (const piece of halves(turn.text)) events.push(chunk({ content: piece }));
  toolCalls.forEach((call, index) => {
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    for (const piece of halves(call.function.arguments)) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(chunk({}, chatFinish(turn)));
  if (body.stream_options?.include_usage) events.push(sse(undefined, { ...base, object: 'chat.completion.chunk', choices: [], usage: chatUsage(turn.usage) }));
  events.push(sse(undefined, '[DONE]'));
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, events };
}

// ---------- Anthropic prompt-cache simulation ----------

/** How many blocks before a breakpoint the API looks back for a cached prefix. */
const CACHE_LOOKBACK_BLOCKS = 20;

/**
 * Blocks in the order the API caches them (tools, system, messages), each with its token estimate
 * (ceil(chars / 4), markers excluded) and whether it carries a cache_control breakpoint.
 */
function anthropicPromptBlocks(body: AnthropicBody): { key: string; tokens: number; breakpoint: boolean }[] {
  const blocks: unknown[] = [...(body.tools ?? []), ...(typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? []))];
  for (const message of body.messages ?? []) {
    const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    content.forEach((block, index) => blocks.push({ role: message.role, index, ...block }));
  }
  return blocks.map((block) => {
    const { cache_control, ...rest } = block as { cache_control?: unknown };
    const key = JSON.stringify(rest);
    return { key, tokens: Math.ceil(key.length / 4), breakpoint: cache_control !== undefined };
  });
}

interface AnthropicBody {
  model?: string;
  stream?: boolean;
  tools?: unknown[];
  system?: string | unknown[];
  messages?: { role: string; content: string | Record<string, unknown>[] }[];
}

/**
 * Usage as the API would report it: the longest prefix already cached (ending at most 20 blocks
 * before a breakpoint) is read; everything up to the last breakpoint beyond it is written; the
 * prefix at every breakpoint is cached for later requests.
 */
function simulateAnthropicCache(body: AnthropicBody, cache: Set<string>, output: number): WireUsage {
  const blocks = anthropicPromptBlocks(body);
  const prefixes: string[] = [];
  const tokensUpTo: number[] = [];
  let prefix = '';
  let total = 0;
  for (const block of blocks) {
    prefix += `${block.key}\n`;
    total += block.tokens;
    prefixes.push(prefix);
    tokensUpTo.push(total);
  }
  const breakpoints = blocks.flatMap((block, index) => (block.breakpoint ? [index] : []));
  let read = 0;
  for (const breakpoint of breakpoints) {
    for (let index = breakpoint; index >= Math.max(0, breakpoint - CACHE_LOOKBACK_BLOCKS); index--) {
      if (cache.has(prefixes[index]!)) {
        read = Math.max(read, tokensUpTo[index]!);
        break;
      }
    }
  }
  const lastBreakpoint = breakpoints.at(-1);
  const cachedThrough = lastBreakpoint === undefined ? 0 : tokensUpTo[lastBreakpoint]!;
  for (const breakpoint of breakpoints) cache.add(prefixes[breakpoint]!);
  return { input: total, output, cache_read: read, cache_write: Math.max(0, cachedThrough - read) };
}

// ---------- server ----------

const RENDER: Record<Api, (turn: WireTurn, body: never, n: number) => Rendered> = { anthropic: renderAnthropic, responses: renderResponses, chat: renderChat, gemini: renderGemini };

/** A request body as recorded: parsed JSON, the text itself when it is not JSON, undefined when empty. */
function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, rendered: Rendered, cut?: { afterEvents: number; mode?: 'destroy' | 'end' }): void {
  res.writeHead(rendered.status, rendered.headers);
  if (rendered.events) {
    const events = cut ? rendered.events.slice(0, cut.afterEvents) : rendered.events;
    if (!cut || (cut.mode ?? 'destroy') === 'end') {
      for (const event of events) res.write(event);
      res.end();
      return;
    }
    // Destroy only once the partial stream has reached the client, so the cut is mid-stream.
    res.write(events.join(''), () => res.socket?.destroy());
    return;
  }
  const text = JSON.stringify(rendered.json);
  if (cut) res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
  else res.end(text);
}

export interface WireServerOptions {
  /**
   * Compute Anthropic usage from the request's cache_control breakpoints (tokens ≈ chars / 4)
   * instead of the fixture's, as the API's prompt cache would report it.
   */
  simulateAnthropicCache?: boolean;
}

export async function startWireServer(options: WireServerOptions = {}): Promise<WireServer> {
  const queue: WireReply[] = [];
  const anthropicCache = new Set<string>();
  const requests: RecordedRequest[] = [];
  let served = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const body = parseBody(await readText(req));
      const path = (req.url ?? '/').split('?')[0]!;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
      requests.push({ method: req.method ?? 'GET', path, headers, body });
      const gemini = GEMINI_PATH.exec(path);
      const api: Api | undefined = gemini ? 'gemini' : API_BY_PATH[path];
      if (!api || req.method !== 'POST') {
        send(res, { status: 404, headers: { 'content-type': 'application/json' }, json: { error: { message: `wire server: no endpoint ${req.method} ${path}` } } });
        return;
      }
      const reply = queue.shift();
      if (!reply) {
        send(res, renderFault(api, { status: 400, message: `wire server: no reply queued for ${req.method} ${path}` }));
        return;
      }
      served++;
      if ('fault' in reply) send(res, renderFault(api, reply.fault));
      else {
        const simulate = api === 'anthropic' && options.simulateAnthropicCache;
        const turn = simulate ? { ...reply.turn, usage: simulateAnthropicCache(body as AnthropicBody, anthropicCache, reply.turn.usage?.output ?? 5) } : reply.turn;
        // Gemini names the model and the streaming choice in the path, not the body.
        const rendered = gemini ? { ...(body as object), model: gemini[1], stream: gemini[2] === 'streamGenerateContent' } : body;
        send(res, RENDER[api](turn, rendered as never, served), reply.cut);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    requests,
    push: (...replies) => void queue.push(...replies),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** For twins that answer by policy instead of from a queue (windowed-twin.ts). */
export function renderTurn(api: Api, turn: WireTurn, body: unknown, n: number): Rendered {
  return RENDER[api](turn, body as never, n);
}

export { API_BY_PATH, parseBody, send, type Api, type Rendered };
