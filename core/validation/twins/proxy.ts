// The recording proxy in front of one twin: a plain HTTP server on 127.0.0.1 that forwards every
// request to the twin unchanged and records the exchange (method, path, query, body, response; the
// headers without credentials). The records stay on the validation side (the trial, the report).
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSecretVariable } from '../../agent/env/scrub-env.ts';
import type { TwinExchange } from '../types.ts';

/** What a recorded body keeps (the twin still receives and answers with the whole body). */
export const RECORD_BODY_LIMIT = 64_000;

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/** Headers as recorded: lower-case names, credentials (by name) left out. */
export function recordableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (CREDENTIAL_HEADERS.has(lower) || isSecretVariable(lower.replaceAll('-', '_'))) continue;
    out[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function forwardable(headers: IncomingHttpHeaders, upstreamHost: string): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  out.host = upstreamHost;
  return out;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(Buffer.concat(chunks)));
    stream.on('error', fail);
  });
}

const clip = (text: string): string => (text.length <= RECORD_BODY_LIMIT ? text : `${text.slice(0, RECORD_BODY_LIMIT)}\n[… ${text.length - RECORD_BODY_LIMIT} more characters]`);

export interface RecordingProxy {
  port: number;
  close(): Promise<void>;
}

export interface ProxyOptions {
  twin: string;
  /** The twin's own port on 127.0.0.1. */
  upstreamPort: number;
  record(exchange: TwinExchange): void;
  /** Per forwarded request. */
  timeoutMs?: number;
}

function forward(options: ProxyOptions, incoming: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const host = `127.0.0.1:${options.upstreamPort}`;
  return new Promise((done, fail) => {
    const outgoing = httpRequest({
      host: '127.0.0.1',
      port: options.upstreamPort,
      method: incoming.method,
      path: incoming.url,
      headers: { ...forwardable(incoming.headers, host), 'content-length': String(body.length) },
      timeout: options.timeoutMs ?? 30_000,
    }, (response) => {
      readAll(response).then((data) => done({ status: response.statusCode ?? 502, headers: response.headers, body: data }), fail);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`the twin did not answer within ${options.timeoutMs ?? 30_000} ms`)));
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

/** Starts the proxy on a free port of 127.0.0.1. */
export async function startRecordingProxy(options: ProxyOptions): Promise<RecordingProxy> {
  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      const url = new URL(incoming.url ?? '/', 'http://twin.invalid');
      const requestBody = await readAll(incoming).catch(() => Buffer.alloc(0));
      const exchange: TwinExchange = {
        twin: options.twin,
        request: {
          method: (incoming.method ?? 'GET').toUpperCase(),
          path: url.pathname,
          query: url.search,
          headers: recordableHeaders(incoming.headers),
          ...(requestBody.length > 0 ? { body: clip(requestBody.toString('utf8')) } : {}),
        },
      };
      try {
        const answer = await forward(options, incoming, requestBody);
        exchange.response = { status: answer.status, headers: recordableHeaders(answer.headers), body: clip(answer.body.toString('utf8')) };
        options.record(exchange);
        const headers: IncomingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
        headers['content-length'] = String(answer.body.length);
        outgoing.writeHead(answer.status, headers as Record<string, string | string[]>);
        outgoing.end(answer.body);
      } catch (error) {
        exchange.error = error instanceof Error ? error.message : String(error);
        options.record(exchange);
        outgoing.writeHead(502, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ error: `twin ${options.twin} unreachable` }));
      }
    })();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}
