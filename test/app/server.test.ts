import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Probot } from 'probot';
import { parse } from 'yaml';
import { SUBSCRIBED_EVENTS } from '../../app/index.ts';
import { createFactoryMiddleware } from '../../app/middleware.ts';
import { healthHandler } from '../../app/health.ts';

describe('serving the App', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const probot = new Probot({ appId: 1, privateKey: 'unused: no delivery gets past the signature check', secret: 'webhook-secret', logLevel: 'fatal' });
    const middleware = await createFactoryMiddleware(probot);
    server = createServer((request, response) => {
      void Promise.resolve(middleware(request, response, () => {
        response.writeHead(404);
        response.end();
      }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers the health endpoint', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('rejects a webhook with a bad signature', async () => {
    const response = await fetch(`${base}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'd1', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      body: JSON.stringify({ ref: 'refs/heads/main' }),
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('signature does not match');
  });

  it('passes other paths on', async () => {
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    const request = { url: '/healthz', method: 'POST' } as Parameters<typeof healthHandler>[0];
    expect(healthHandler(request, {} as Parameters<typeof healthHandler>[1])).toBe(false);
  });
});

describe('app.yml', () => {
  const manifest = parse(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as { default_events: string[]; default_permissions: Record<string, string> };

  it('subscribes to exactly the events the App handles', () => {
    expect([...manifest.default_events].sort()).toEqual([...SUBSCRIBED_EVENTS].sort());
  });

  it('asks for the permissions its API calls need and no more', () => {
    expect(manifest.default_permissions).toEqual({
      actions: 'write', checks: 'write', contents: 'read', issues: 'write', metadata: 'read', pull_requests: 'write',
    });
  });
});
