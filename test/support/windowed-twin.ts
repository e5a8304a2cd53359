// A wire twin of the Anthropic Messages, OpenAI Responses and Chat Completions APIs that enforces a
// context window: a request counted (≈ JSON characters / 4) above the window is refused as the real
// API refuses it — Anthropic 400 invalid_request_error "prompt is too long: N tokens > M maximum",
// OpenAI 400 code context_length_exceeded — and every other request is answered by a policy
// function (the scripted model), with usage that reports the counted input.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readText } from './http-body.ts';
import { API_BY_PATH, parseBody, renderTurn, send, type Api, type RecordedRequest, type WireTurn } from './wire-server.ts';

export interface TwinRequest {
  api: Api;
  body: Record<string, unknown>;
  /** The system prompt / instructions of the request. */
  system: string;
  /** Every text the request carries (messages, tool results), joined: what the model would read. */
  text: string;
  /** Tokens the twin counted for the request. */
  tokens: number;
}

export interface WindowedTwinOptions {
  window: number;
  /** The model's answer to a request that fits. */
  respond(request: TwinRequest, answered: number): WireTurn;
}

export interface WindowedTwin {
  readonly url: string;
  readonly openaiBaseURL: string;
  /** Every request received, refused ones included. */
  readonly requests: RecordedRequest[];
  /** The requests answered (not refused), in order, as the policy saw them. */
  readonly answered: TwinRequest[];
  /** How many requests were refused for exceeding the window. */
  overflows(): number;
  close(): Promise<void>;
}

export function countTokens(api: Api, body: Record<string, unknown>): number {
  const prompt = api === 'responses' ? { instructions: body.instructions, input: body.input, tools: body.tools } : { system: body.system, messages: body.messages, tools: body.tools };
  return Math.ceil(JSON.stringify(prompt).length / 4);
}

function systemOf(api: Api, body: Record<string, unknown>): string {
  if (api === 'responses') return typeof body.instructions === 'string' ? body.instructions : '';
  if (api === 'chat') {
    const first = (body.messages as { role: string; content: unknown }[] | undefined)?.[0];
    return first?.role === 'system' && typeof first.content === 'string' ? first.content : '';
  }
  const system = body.system;
  if (typeof system === 'string') return system;
  return Array.isArray(system) ? system.map((block) => (block as { text?: string }).text ?? '').join('') : '';
}

/** All string leaves of the conversation part of the body. */
function textOf(api: Api, body: Record<string, unknown>): string {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(api === 'responses' ? body.input : body.messages);
  return out.join('\n');
}

function overflow(api: Api, tokens: number, window: number): { status: number; headers: Record<string, string>; json: unknown } {
  const headers = { 'content-type': 'application/json' };
  if (api === 'anthropic') {
    return { status: 400, headers, json: { type: 'error', error: { type: 'invalid_request_error', message: `prompt is too long: ${tokens} tokens > ${window} maximum` }, request_id: 'req_twin' } };
  }
  if (api === 'responses') {
    return { status: 400, headers, json: { error: { message: 'Your input exceeds the context window of this model. Please adjust your input and try again.', type: 'invalid_request_error', param: 'input', code: 'context_length_exceeded' } } };
  }
  return {
    status: 400,
    headers,
    json: { error: { message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${tokens} tokens. Please reduce the length of the messages.`, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } },
  };
}

export async function startWindowedTwin(options: WindowedTwinOptions): Promise<WindowedTwin> {
  const requests: RecordedRequest[] = [];
  const answered: TwinRequest[] = [];
  let refused = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = parseBody(await readText(req)) as Record<string, unknown>;
      const path = (req.url ?? '/').split('?')[0]!;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
      requests.push({ method: req.method ?? 'GET', path, headers, body });
      const api = API_BY_PATH[path];
      if (!api || req.method !== 'POST') {
        send(res, { status: 404, headers: { 'content-type': 'application/json' }, json: { error: { message: `windowed twin: no endpoint ${req.method} ${path}` } } });
        return;
      }
      const tokens = countTokens(api, body);
      if (tokens > options.window) {
        refused++;
        send(res, overflow(api, tokens, options.window));
        return;
      }
      const request: TwinRequest = { api, body, system: systemOf(api, body), text: textOf(api, body), tokens };
      answered.push(request);
      const turn = options.respond(request, answered.length);
      const output = Math.max(1, Math.ceil(JSON.stringify({ text: turn.text, calls: turn.tool_calls }).length / 4));
      send(res, renderTurn(api, { ...turn, usage: { input: tokens, output } }, body, answered.length));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    requests,
    answered,
    overflows: () => refused,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
