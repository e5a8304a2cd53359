// The webhook endpoint, in front of Probot: a body limit enforced while reading (GitHub caps
// deliveries at 25 MB; anything larger is answered 413 and nothing past the limit is kept), the
// signature checked before the body is parsed or logged, and an unverified body never logged — only
// the delivery id, the event name and the size. Verified deliveries go to `probot.receive`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Probot } from 'probot';
import type { EmitterWebhookEvent } from '@octokit/webhooks';

/** GitHub caps webhook payloads at 25 MB; we allow 25 MiB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** GitHub waits 10 s for an answer; a delivery still being handled by then is acknowledged 202. */
export const ACKNOWLEDGE_AFTER_MS = 9_000;

const JSON_CONTENT_TYPE = /^\s*application\/json\s*(?:;|$)/i;
const REQUIRED_HEADERS = ['x-github-event', 'x-hub-signature-256', 'x-github-delivery'] as const;

export interface IntakeOptions {
  maxBytes?: number;
  acknowledgeAfterMs?: number;
}

/** What the log may say about a delivery before it is verified. */
interface DeliveryFacts {
  delivery: string;
  event: string;
  bytes: number;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function answer(response: ServerResponse, status: number, body: unknown, close = false): void {
  if (response.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(text);
}

type BodyRead = { ok: true; body: Buffer } | { ok: false; bytes: number; reason: 'too_large' | 'aborted' };

/**
 * Reads at most `limit` bytes. Past the limit nothing more is kept: the rest of the upload is read
 * and dropped (so the client sees the 413 rather than a reset), and the connection is closed after.
 */
function readLimited(request: IncomingMessage, limit: number): Promise<BodyRead> {
  // Serverless hosts (Cloud Functions and the like) have read the body already.
  const raw = (request as IncomingMessage & { rawBody?: unknown }).rawBody;
  if (raw instanceof Uint8Array) {
    return Promise.resolve(raw.length > limit ? { ok: false, bytes: raw.length, reason: 'too_large' } : { ok: true, body: Buffer.from(raw) });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (over) return;
      if (bytes > limit) {
        over = true;
        chunks.length = 0;
        resolve({ ok: false, bytes, reason: 'too_large' });
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!over) resolve({ ok: true, body: Buffer.concat(chunks, bytes) });
    });
    request.on('error', () => resolve({ ok: false, bytes, reason: 'aborted' }));
    request.on('close', () => {
      if (!request.complete && !over) resolve({ ok: false, bytes, reason: 'aborted' });
    });
  });
}

/**
 * Probot reads `payload.action` and `payload.installation.id` before any handler runs (to build the
 * event's Octokit), so a payload that is not an object, or whose installation id is not one, is
 * acknowledged here without acting; the handlers check the rest (payloads.ts).
 */
function envelopeProblem(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return 'the payload is not a JSON object';
  const { installation, action } = payload as { installation?: unknown; action?: unknown };
  if (action !== undefined && typeof action !== 'string') return 'action is not a string';
  if (installation === undefined) return undefined;
  const id = (installation as { id?: unknown } | null)?.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return 'installation.id is not an installation id';
  return undefined;
}

/** Hands a verified delivery to Probot: `ignored` when its envelope does not fit, `failed` when a handler threw (logged once). */
export async function deliver(probot: Probot, event: { id: string; name: string; payload: unknown }, facts: Omit<DeliveryFacts, 'delivery' | 'event'> = { bytes: 0 }): Promise<'done' | 'ignored' | 'failed'> {
  const log = probot.log.child({ name: 'webhooks' });
  const problem = envelopeProblem(event.payload);
  if (problem !== undefined) {
    log.warn({ delivery: event.id, event: event.name, ...facts, problems: [problem] }, 'payload does not fit; acknowledged without acting');
    return 'ignored';
  }
  try {
    await probot.receive(event as EmitterWebhookEvent);
    return 'done';
  } catch (error) {
    log.error({ delivery: event.id, event: event.name, ...facts, err: error }, 'webhook handler failed');
    return 'failed';
  }
}

export function createWebhookIntake(probot: Probot, options: IntakeOptions = {}) {
  const limit = options.maxBytes ?? MAX_WEBHOOK_BYTES;
  const acknowledgeAfter = options.acknowledgeAfterMs ?? ACKNOWLEDGE_AFTER_MS;
  const log = probot.log.child({ name: 'webhooks' });

  return async function webhookIntake(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const path = (request.url ?? '').split('?')[0]!.replace(/\/+$/, '') || '/';
    if (path !== probot.webhookPath.replace(/\/+$/, '')) return false;
    if (request.method !== 'POST') {
      answer(response, 404, { error: `Unknown route: ${request.method ?? ''} ${path}` });
      return true;
    }
    const contentType = header(request, 'content-type');
    if (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType)) {
      answer(response, 415, { error: 'Unsupported "Content-Type" header value. Must be "application/json"' }, true);
      request.resume();
      return true;
    }
    const missing = REQUIRED_HEADERS.filter((name) => header(request, name) === undefined);
    if (missing.length > 0) {
      answer(response, 400, { error: `Required headers missing: ${missing.join(', ')}` }, true);
      request.resume();
      return true;
    }
    const facts: DeliveryFacts = { delivery: header(request, 'x-github-delivery')!, event: header(request, 'x-github-event')!, bytes: 0 };
    const declared = Number(header(request, 'content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit) {
      log.warn({ ...facts, bytes: declared }, 'webhook refused: body larger than the limit');
      answer(response, 413, { error: `Payload too large: at most ${limit} bytes` }, true);
      request.resume();
      return true;
    }
    const read = await readLimited(request, limit);
    if (!read.ok) {
      facts.bytes = read.bytes;
      if (read.reason === 'too_large') {
        log.warn(facts, 'webhook refused: body larger than the limit');
        answer(response, 413, { error: `Payload too large: at most ${limit} bytes` }, true);
      } else {
        log.warn(facts, 'webhook upload aborted');
      }
      return true;
    }
    facts.bytes = read.body.length;
    const text = read.body.toString('utf8');
    const signature = header(request, 'x-hub-signature-256')!;
    const verified = await probot.webhooks.verify(text, signature).catch(() => false);
    if (!verified) {
      log.warn(facts, 'webhook refused: signature does not match');
      answer(response, 401, { error: 'signature does not match event payload and secret' });
      return true;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      log.warn(facts, 'webhook refused: signed body is not JSON');
      answer(response, 400, { error: 'Invalid JSON' });
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const acknowledged = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), acknowledgeAfter);
    });
    const handled = deliver(probot, { id: facts.delivery, name: facts.event, payload }, facts);
    const outcome = await Promise.race([handled, acknowledged]);
    clearTimeout(timer);
    if (outcome === 'late') answer(response, 202, 'still processing\n');
    else if (outcome === 'done' || outcome === 'ignored') answer(response, 200, 'ok\n');
    else answer(response, 500, { error: 'the delivery could not be handled; GitHub may redeliver it' });
    return true;
  };
}
