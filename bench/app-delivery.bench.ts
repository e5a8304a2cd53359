// The App under webhook load, against a GitHub API answered by a local server on 127.0.0.1.
// (a) Per-delivery cost of a spec push — signature check, routing, decision and every GitHub call
//     the App makes (config; then at once the check lookup, spec.ready, the previous head's checks
//     and the PR lookup; check create; dispatch; link) — against a bare Probot app that makes one
//     API call for the same delivery. Target (quality.md): ≤ 1.3×. The stand-in GitHub answers in
//     this process, so concurrent calls still share one CPU: this figure is CPU per delivery.
// (c) The same push from a merged PR (so the App also comments) with every GitHub answer delayed as
//     over a network (BENCH_GITHUB_LATENCY_MS, default 20): then the round trips that must follow
//     one another decide the time, and the figure shows how many there are.
// (b) 1,000 deliveries at 100 per second, with redeliveries (same delivery id) and repeated pushes
//     (same commit, new delivery id, later) mixed in: none lost, each push dispatched once, p99 latency.
//     Target: p99 ≤ 250 ms.
// Octokit's throttling is off for both apps (its write limiter spaces writes a second apart, which
// would measure the limiter, not the App).
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Probot, ProbotOctokit, type ApplicationFunction } from 'probot';
import { createFactoryApp } from '../app/index.ts';
import { emit, emitRatio, note } from './support/report.ts';
import { collectGarbage, median } from './support/timing.ts';

const BENCH = 'app-delivery';
const SECRET = 'bench-secret';
const OWNER = 'octo';
const REPO = 'product';
const CONFIG = Buffer.from('version: 1\nspec:\n  paths: ["spec/**"]\n  ready: [spec/README.md]\n').toString('base64');

/** A stateful stand-in for the few GitHub endpoints a spec push touches. */
class FakeGitHub {
  readonly dispatches = new Map<string, number>();
  /** API calls answered, token exchanges excluded. */
  calls = 0;
  readonly #latencyMs: number;
  readonly #mergedPull: boolean;
  readonly #checks = new Map<string, Array<Record<string, unknown>>>();
  #nextId = 1;

  constructor(options: { latencyMs?: number; mergedPull?: boolean } = {}) {
    this.#latencyMs = options.latencyMs ?? 0;
    this.#mergedPull = options.mergedPull ?? false;
  }

  handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://local');
    const path = url.pathname;
    const answer = (status: number, data?: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(data === undefined ? undefined : JSON.stringify(data));
    };
    const send = (status: number, data?: unknown): void => {
      if (this.#latencyMs > 0) setTimeout(() => answer(status, data), this.#latencyMs);
      else answer(status, data);
    };
    const repo = `/repos/${OWNER}/${REPO}`;
    if (!path.startsWith('/app/installations/')) this.calls += 1;
    if (path.startsWith('/app/installations/')) return send(201, { token: 'ghs_bench', expires_at: '2999-01-01T00:00:00Z', permissions: {} });
    if (request.method === 'GET' && path.startsWith(`${repo}/contents/`)) {
      return send(200, { type: 'file', encoding: 'base64', content: CONFIG, path: path.slice(repo.length + 10), sha: 'f'.repeat(40), name: 'x', size: 1 });
    }
    const checksFor = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]+)\/check-runs$/.exec(path);
    if (checksFor) {
      const runs = this.#checks.get(checksFor[1] as string) ?? [];
      return send(200, { total_count: runs.length, check_runs: runs });
    }
    if (/\/commits\/[0-9a-f]+\/pulls$/.test(path)) return send(200, this.#mergedPull ? [{ number: 5, merged_at: '2026-01-01T00:00:00Z' }] : []);
    if (request.method === 'POST' && path === `${repo}/issues/5/comments`) return send(201, { id: 1 });
    if (request.method === 'POST' && path === `${repo}/check-runs`) {
      const input = JSON.parse(body) as { head_sha: string; name: string; external_id?: string; status?: string };
      const check = { id: this.#nextId++, name: input.name, head_sha: input.head_sha, status: input.status ?? 'queued', conclusion: null,
        html_url: `https://github.com/${OWNER}/${REPO}/runs/1`, details_url: null, external_id: input.external_id ?? null, output: { text: null } };
      this.#checks.set(input.head_sha, [...(this.#checks.get(input.head_sha) ?? []), check]);
      return send(201, check);
    }
    if (request.method === 'PATCH' && path.startsWith(`${repo}/check-runs/`)) return send(200, { id: Number(path.split('/').pop()) });
    if (request.method === 'POST' && path.endsWith('/dispatches')) {
      const input = JSON.parse(body) as { inputs?: { spec_sha?: string } };
      const sha = input.inputs?.spec_sha ?? 'bare';
      this.dispatches.set(sha, (this.dispatches.get(sha) ?? 0) + 1);
      const id = this.#nextId++;
      return send(200, { workflow_run_id: id, run_url: `http://local/runs/${id}`, html_url: `https://github.com/${OWNER}/${REPO}/actions/runs/${id}` });
    }
    return send(404, { message: `bench server: no route for ${request.method} ${path}` });
  }
}

async function startServer(fake: FakeGitHub): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => fake.handle(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const Octokit = ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
  ...instance, retry: { enabled: false }, throttle: { ...(instance.throttle as object), enabled: false },
}));

async function probotFor(baseUrl: string, app: ApplicationFunction): Promise<Probot> {
  const probot = new Probot({ appId: 1, privateKey, secret: SECRET, baseUrl, Octokit, logLevel: 'fatal' });
  await probot.load(app);
  return probot;
}

let counter = 0;
function sha(): string {
  counter += 1;
  return counter.toString(16).padStart(40, '0');
}

function pushPayload(after: string): string {
  return JSON.stringify({
    ref: 'refs/heads/main', before: 'e'.repeat(40), after, created: false, deleted: false, forced: false, base_ref: null,
    compare: '', pusher: { name: 'dev' }, head_commit: null,
    commits: [{ id: after, message: 'spec', added: [], removed: [], modified: ['spec/api.md'] }],
    repository: { id: 1, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER }, default_branch: 'main' },
    installation: { id: 7 }, sender: { login: 'dev', type: 'User' },
  });
}

function sign(payload: string): string {
  return `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
}

async function deliver(probot: Probot, id: string, payload: string): Promise<number> {
  const started = performance.now();
  await probot.webhooks.verifyAndReceive({ id, name: 'push', payload, signature: sign(payload) });
  return performance.now() - started;
}

const bareApp: ApplicationFunction = (app) => {
  app.on('push', async (context) => {
    await context.octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      ...context.repo(), workflow_id: 'factory.yml', ref: 'main', inputs: { spec_sha: context.payload.after },
    });
  });
};

async function perDelivery(app: ApplicationFunction, runs: number, github: { latencyMs?: number; mergedPull?: boolean; warmUp?: number } = {}): Promise<{ ms: number; calls: number }> {
  const fake = new FakeGitHub(github);
  const server = await startServer(fake);
  const probot = await probotFor(server.url, app);
  for (let i = 0; i < (github.warmUp ?? 50); i += 1) await deliver(probot, `warm-${i}-${sha()}`, pushPayload(sha()));
  collectGarbage();
  const samples: number[] = [];
  const callsBefore = fake.calls;
  for (let i = 0; i < runs; i += 1) samples.push(await deliver(probot, `d-${sha()}`, pushPayload(sha())));
  await server.close();
  return { ms: median(samples), calls: (fake.calls - callsBefore) / runs };
}

// (a) per-delivery cost, interleaved rounds so drift hits both apps alike.
const factoryTimes: number[] = [];
const bareTimes: number[] = [];
let factoryCalls = 0;
let bareCalls = 0;
for (let round = 0; round < 3; round += 1) {
  const bare = await perDelivery(bareApp, 300);
  const factory = await perDelivery(createFactoryApp(), 300);
  bareTimes.push(bare.ms);
  factoryTimes.push(factory.ms);
  bareCalls = bare.calls;
  factoryCalls = factory.calls;
}
const factoryMs = median(factoryTimes);
const bareMs = median(bareTimes);
note(`${BENCH}: spec push ${factoryMs.toFixed(3)} ms (${factoryCalls} GitHub calls) vs bare app ${bareMs.toFixed(3)} ms (${bareCalls} call)`);
emitRatio(BENCH, 'spec push per delivery vs bare Probot app', factoryMs, bareMs, 'ms');
// The spec push needs several calls by design (config, idempotency lookup, spec.ready, supersede lookup,
// PR lookup, check, dispatch, link); per call, the App's own overhead shows.
emitRatio(BENCH, 'spec push per GitHub call vs bare Probot app per call', factoryMs / factoryCalls, bareMs / bareCalls, 'ms');

// (c) with network-like latency: the time is about (round trips one after another) × latency.
{
  const latencyMs = Number(process.env.BENCH_GITHUB_LATENCY_MS ?? 20);
  const github = { latencyMs, mergedPull: true, warmUp: 5 };
  const bare = await perDelivery(bareApp, 30, github);
  const factory = await perDelivery(createFactoryApp(), 30, github);
  note(`${BENCH}: spec push from a merged PR at ${latencyMs} ms per GitHub answer: ${factory.ms.toFixed(1)} ms (${factory.calls} calls, `
    + `${(factory.ms / latencyMs).toFixed(1)} latencies deep) vs bare app ${bare.ms.toFixed(1)} ms`);
  emitRatio(BENCH, `spec push per delivery at ${latencyMs} ms GitHub latency vs bare Probot app`, factory.ms, bare.ms, 'ms');
  emit({ bench: BENCH, metric: 'spec push: GitHub round trips one after another', value: factory.ms / latencyMs, unit: 'round trips' });
}

// (b) 1,000 deliveries at 100/s: 850 new pushes, 100 redeliveries (same id, soon after), 50 repeats
// of an earlier push under a new id (a second delivery for the same action, a second later).
{
  const fake = new FakeGitHub();
  const server = await startServer(fake);
  const probot = await probotFor(server.url, createFactoryApp());
  type Planned = { id: string; payload: string; sha: string };
  const plan: Planned[] = [];
  const unique = new Set<string>();
  for (let i = 0; i < 1000; i += 1) {
    const earlier = plan[i - 5];
    const older = plan[i - 100];
    if (i % 10 === 5 && earlier) plan.push(earlier);
    else if (i % 20 === 13 && older) plan.push({ ...older, id: `again-${i}` });
    else {
      const after = sha();
      unique.add(after);
      plan.push({ id: `load-${i}`, payload: pushPayload(after), sha: after });
    }
  }
  const latencies: number[] = [];
  const failures: string[] = [];
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < plan.length; i += 1) {
    const due = started + i * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const item = plan[i] as Planned;
    inFlight.push(deliver(probot, item.id, item.payload).then((ms) => { latencies.push(ms); }, (error: unknown) => { failures.push(String(error)); }));
  }
  await Promise.all(inFlight);
  await server.close();
  const lost = [...unique].filter((after) => !fake.dispatches.has(after)).length;
  const twice = [...fake.dispatches.values()].filter((count) => count > 1).length;
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
  note(`${BENCH}: ${plan.length} deliveries, ${unique.size} pushes, ${failures.length} failed, ${lost} lost, ${twice} dispatched more than once`);
  emit({ bench: BENCH, metric: 'load: pushes lost', value: lost, unit: 'count' });
  emit({ bench: BENCH, metric: 'load: pushes dispatched more than once', value: twice, unit: 'count' });
  emit({ bench: BENCH, metric: 'load: deliveries failed', value: failures.length, unit: 'count' });
  emit({ bench: BENCH, metric: 'load: p99 latency at 100 deliveries/s', value: p99, unit: 'ms' });
  emit({ bench: BENCH, metric: 'load: median latency at 100 deliveries/s', value: median(latencies), unit: 'ms' });
}
