// Signed but malformed deliveries (shapes the attack pass found, plus their neighbours), through a
// real HTTP server on 127.0.0.1: each is answered 2xx, makes no GitHub request (nock allows none),
// and is logged once. Then a well-formed alias-bomb config delivery fails the `factory` check with
// its location, and the App keeps serving.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createFactoryMiddleware } from '../../app/middleware.ts';
import { example, INSTALLATION_ID } from '../support/github-payloads.ts';
import { OpenApiChecker } from '../support/openapi-check.ts';
import { aliasBomb } from './hostile-inputs.ts';

const SECRET = 'webhook-secret';
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
type Loose = Record<string, unknown>;

/** `payload` with the value at a dotted path replaced (`undefined` deletes it). */
function at(payload: unknown, path: string, value: unknown): Loose {
  const copy = structuredClone(payload) as Loose;
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Loose;
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
  return copy;
}

const push = () => at(example('push', (p) => (p.commits as unknown[] | undefined)?.length !== 0), 'ref', 'refs/heads/master');
const pull = () => example('pull_request.opened');
const comment = () => at(example('issue_comment.created'), 'comment.body', '/factory rerun');
const check = () => example('check_run.rerequested');
const run = () => at(example('workflow_run.completed'), 'workflow_run.path', '.github/workflows/factory.yml');

const MALFORMED: Array<[string, string, () => unknown]> = [
  ['push without repository', 'push', () => at(push(), 'repository', undefined)],
  ['push with an empty after', 'push', () => at(push(), 'after', '')],
  ['push with a path in after', 'push', () => at(push(), 'after', '../../x')],
  ['push with commits as a string', 'push', () => at(push(), 'commits', 'many')],
  ['push with a numeric ref', 'push', () => at(push(), 'ref', 7)],
  ['push without the owner login', 'push', () => at(push(), 'repository.owner.login', undefined)],
  ['push with a slash in the repository name', 'push', () => at(push(), 'repository.name', 'a/b')],
  ['push without installation', 'push', () => at(push(), 'installation', undefined)],
  ['pull_request without pull_request', 'pull_request', () => at(pull(), 'pull_request', undefined)],
  ['pull_request without number', 'pull_request', () => at(pull(), 'pull_request.number', undefined)],
  ['pull_request with a null head sha', 'pull_request', () => at(pull(), 'pull_request.head.sha', null)],
  ['pull_request without base repo', 'pull_request', () => at(pull(), 'pull_request.base.repo', undefined)],
  ['issue without number', 'issue_comment', () => at(comment(), 'issue.number', undefined)],
  ['comment body a number', 'issue_comment', () => at(comment(), 'comment.body', 42)],
  ['comment id a string', 'issue_comment', () => at(comment(), 'comment.id', 'x')],
  ['comment without sender', 'issue_comment', () => at(comment(), 'sender', undefined)],
  ['comment with an empty default branch', 'issue_comment', () => at(comment(), 'repository.default_branch', '')],
  ['check run without an app', 'check_run', () => at(check(), 'check_run.app', undefined)],
  ['check run without head_sha', 'check_run', () => at(check(), 'check_run.head_sha', undefined)],
  ['check run without output', 'check_run', () => at(check(), 'check_run.output', undefined)],
  ['check run id 0', 'check_run', () => at(check(), 'check_run.id', 0)],
  ['workflow_run without path', 'workflow_run', () => at(run(), 'workflow_run.path', undefined)],
  ['workflow_run null', 'workflow_run', () => at(run(), 'workflow_run', null)],
  ['a null payload', 'push', () => null],
  ['an array payload', 'issue_comment', () => [1, 2]],
];

class CountingLog extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

describe('signed malformed payloads', () => {
  let server: Server;
  let base = '';
  const log = new CountingLog();
  const attempted: string[] = [];
  const checker = new OpenApiChecker();
  // nock reports every request it has no interceptor for, our own calls to 127.0.0.1 included.
  const record = (request: { method?: string; path?: string; href?: string; url?: string; host?: string; hostname?: string }) => {
    const where = `${request.hostname ?? request.host ?? ''} ${request.href ?? request.url ?? request.path ?? ''}`;
    if (!where.includes('127.0.0.1')) attempted.push(`${request.method} ${where}`);
  };

  beforeAll(async () => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock.emitter.on('no match', record);
    const Octokit = ProbotOctokit.defaults((instance: Loose) => ({ ...instance, retry: { enabled: false }, throttle: { ...(instance.throttle as object), enabled: false } }));
    const probot = new Probot({ appId: 123, privateKey, secret: SECRET, Octokit, log: pino({ level: 'info' }, log) });
    const middleware = await createFactoryMiddleware(probot);
    server = createServer((request, response) => {
      void Promise.resolve(middleware(request, response, () => response.writeHead(404).end()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(async () => {
    nock.emitter.off('no match', record);
    nock.enableNetConnect();
    nock.restore();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function deliver(event: string, payload: unknown, id: string): Promise<Response> {
    const body = JSON.stringify(payload);
    return fetch(`${base}/api/github/webhooks`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': id,
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
    });
  }

  it(`has at least 22 shapes`, () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(22);
  });

  it.each(MALFORMED)('%s: answered 2xx, no GitHub request, logged once', async (label, event, make) => {
    const id = `malformed-${label.replace(/\W+/g, '-')}`;
    const response = await deliver(event, make(), id);
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
    expect(attempted).toEqual([]);
    expect(log.lines.filter((line) => line.includes(id))).toHaveLength(1);
  });

  it('an alias-bomb config fails the factory check with its location, and the App keeps serving', async () => {
    const payload = at(push(), 'ref', 'refs/heads/master') as Loose & { repository: { full_name: string; default_branch: string }; after: string; before: string; commits: Array<Loose> };
    payload.repository.default_branch = 'master';
    payload.before = 'c'.repeat(40);
    payload.forced = false;
    payload.deleted = false;
    payload.commits = [{ ...payload.commits[0], added: ['spec/app.md'], modified: [], removed: [] }];
    payload.installation = { id: INSTALLATION_ID };
    const repo = `/repos/${payload.repository.full_name}`;
    const bomb = `version: 1\n${aliasBomb()}`;
    let created: { conclusion?: string; output?: { summary?: string } } = {};
    checker.watch(nock('https://api.github.com'))
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, { token: 'ghs_test', expires_at: '2999-01-01T00:00:00Z' })
      .get(`${repo}/contents/.github%2Ffactory.yml`).query({ ref: payload.after })
      .reply(200, { type: 'file', encoding: 'base64', name: 'factory.yml', path: '.github/factory.yml', content: Buffer.from(bomb).toString('base64'), sha: 'f'.repeat(40), size: bomb.length })
      .get(`${repo}/commits/${payload.after}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] })
      .post(`${repo}/check-runs`, (body) => {
        created = body;
        return true;
      }).reply(201, { id: 5, name: 'factory', head_sha: payload.after, status: 'completed', conclusion: 'failure', html_url: 'https://github.com/x', details_url: null, external_id: null, output: { title: null, summary: null, text: null } });
    const response = await deliver('push', payload, 'bomb-config');
    expect(response.status).toBe(200);
    expect(created.conclusion).toBe('failure');
    expect(created.output?.summary).toMatch(/\.github\/factory\.yml:3:8: expected valid YAML \(aliases expand too far/);
    expect(checker.violations()).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
