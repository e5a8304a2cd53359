// The App's webhook endpoint under hostile requests, through a real HTTP server on 127.0.0.1: a
// 30 MiB unsigned POST is answered 413 without the App holding it; a 10 MiB body with a bad signature
// is answered 401 and adds a few hundred bytes to the log (delivery id, event, size — never the body).
import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Probot } from 'probot';
import { createFactoryMiddleware } from '../../app/middleware.ts';
import { MAX_WEBHOOK_BYTES } from '../../app/webhook-intake.ts';

const SECRET = 'webhook-secret';
const MiB = 1024 * 1024;

class CountingLog extends Writable {
  bytes = 0;
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    if (this.text.length < 64 * 1024) this.text += chunk.toString('utf8');
    done();
  }
}

interface Reply {
  status: number;
  body: string;
}

/** A POST whose body is `size` bytes sent in 64 KiB slices of one buffer (the sender holds no copy). */
function post(base: string, headers: Record<string, string>, size: number, declareLength = true): Promise<Reply> {
  const slice = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(size) } : {}), ...headers },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // The server may answer and close before the whole upload is sent.
    request.on('error', (error) => (error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error)));
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        const part = slice.subarray(0, Math.min(slice.length, size - sent));
        sent += part.length;
        if (!request.write(part)) {
          request.once('drain', pump);
          return;
        }
      }
      request.end();
    };
    pump();
  });
}

function signed(body: string): string {
  return `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
}

describe('the webhook endpoint under hostile requests', () => {
  let server: Server;
  let base = '';
  const log = new CountingLog();

  beforeAll(async () => {
    const probot = new Probot({ appId: 1, privateKey: 'unused: these deliveries make no GitHub call', secret: SECRET, log: pino({ level: 'info' }, log) });
    const middleware = await createFactoryMiddleware(probot);
    server = createServer((request, response) => {
      void Promise.resolve(middleware(request, response, () => response.writeHead(404).end()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const headers = (event = 'push', delivery = 'd-1') => ({ 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` });

  it('answers a 30 MiB unsigned POST 413 without reading it into memory, and logs one short line', async () => {
    const logBefore = log.bytes;
    const memoryBefore = process.memoryUsage().arrayBuffers;
    let peak = memoryBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }, 2);
    const reply = await post(base, headers('push', 'big-1'), 30 * MiB);
    clearInterval(sampler);
    expect(reply.status).toBe(413);
    expect(reply.body).toContain(`at most ${MAX_WEBHOOK_BYTES} bytes`);
    expect(peak - memoryBefore).toBeLessThan(8 * MiB);
    expect(log.bytes - logBefore).toBeLessThan(1024);
    expect(log.text).toContain('big-1');
  });

  it('answers 413 when the size is not declared, once the limit is passed', async () => {
    const reply = await post(base, headers('push', 'big-2'), 30 * MiB, false);
    expect(reply.status).toBe(413);
  });

  it('answers a 10 MiB body with a bad signature 401 and adds under 4 KiB to the log, without the body', async () => {
    const before = log.bytes;
    const reply = await post(base, headers('issue_comment', 'bad-sig'), 10 * MiB);
    expect(reply.status).toBe(401);
    expect(reply.body).toContain('signature does not match');
    expect(log.bytes - before).toBeLessThan(4 * 1024);
    expect(log.text).toContain('bad-sig');
    expect(log.text).not.toContain('aaaaaaaaaaaaaaaa');
  });

  it('answers a signed body that is not JSON 400, and keeps serving signed deliveries', async () => {
    const notJson = 'not json';
    const bad = await fetch(`${base}/api/github/webhooks`, { method: 'POST', body: notJson, headers: { 'content-type': 'application/json', ...headers('push', 'nj'), 'x-hub-signature-256': signed(notJson) } });
    expect(bad.status).toBe(400);
    const body = JSON.stringify({ action: 'created', zen: 'hi' });
    const ok = await fetch(`${base}/api/github/webhooks`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers('star', 'fine'), 'x-hub-signature-256': signed(body) } });
    expect(ok.status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('refuses other methods, content types and missing headers without reading a body', async () => {
    expect((await fetch(`${base}/api/github/webhooks`)).status).toBe(404);
    expect((await fetch(`${base}/api/github/webhooks`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain', ...headers() } })).status).toBe(415);
    expect((await fetch(`${base}/api/github/webhooks`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });
});
