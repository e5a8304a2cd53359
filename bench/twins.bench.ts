// Twins (issue 18): what they add to every trial. With 1, 3 and 10 declared twins:
//  - the per-trial cost of starting them (each a real `node` process to its health check, plus its
//    recording proxy) and stopping them, against one artifact-style start of the same server;
//  - the recording proxy's added latency per request: a small JSON POST through the proxy against
//    the same request sent straight to the twin, over the same twins.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TwinConfig } from '../core/domain/config.ts';
import { startHttpArtifact } from '../core/validation/artifact.ts';
import { startTwins } from '../core/validation/twins/session.ts';
import { emit, emitRatio, note } from './support/report.ts';
import { median } from './support/timing.ts';

const BENCH = 'twins';
const COUNTS = [1, 3, 10];
const START_RUNS = Number(process.env.BENCH_TWIN_START_RUNS ?? 5);
const REQUESTS = Number(process.env.BENCH_TWIN_REQUESTS ?? 400);

const dir = mkdtempSync(join(tmpdir(), 'factory-twins-bench-'));
const SERVER = join(dir, 'twin.mjs');
writeFileSync(SERVER, `import { createServer } from 'node:http';
createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(request.url === '/healthz' ? '{"ok":true}' : JSON.stringify({ id: 'x', echo: Buffer.concat(chunks).toString('utf8').length }));
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
`);

const env = { PATH: process.env.PATH ?? '' };
const twinConfig = (index: number): TwinConfig => ({ start: `${JSON.stringify(process.execPath)} ${JSON.stringify(SERVER)}`, health: { path: '/healthz', timeout_s: 30 }, env: { [`TWIN_${index}_URL`]: 'http://127.0.0.1:${port}' }, volatile: [] });
const twinsOf = (count: number): Record<string, TwinConfig> => Object.fromEntries(Array.from({ length: count }, (_, index) => [`twin${index}`, twinConfig(index)]));

async function oneArtifactStart(): Promise<number> {
  const started = performance.now();
  const running = await startHttpArtifact({ start: twinConfig(0).start, cwd: dir, env, healthPath: '/healthz', healthTimeoutMs: 30_000 });
  await running.stop();
  return performance.now() - started;
}

async function trialStart(count: number): Promise<number> {
  const started = performance.now();
  const session = await startTwins({ twins: twinsOf(count), cwd: dir, env, record: true });
  await session.stop();
  return performance.now() - started;
}

async function perRequest(urls: readonly string[]): Promise<number> {
  const body = JSON.stringify({ amount: 1250, customer: 'cus_bench', currency: 'eur' });
  const times: number[] = [];
  for (let index = 0; index < REQUESTS; index += 1) {
    const url = urls[index % urls.length]!;
    const started = performance.now();
    const response = await fetch(`${url}/v1/charges`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.text();
    times.push(performance.now() - started);
  }
  return median(times);
}

try {
  await oneArtifactStart(); // warm-up
  await trialStart(1);
  const baselineStart = median(await Promise.all(Array.from({ length: 1 }, oneArtifactStart)).then(async (first) => [...first, ...(await sequential(START_RUNS - 1, oneArtifactStart))]));
  for (const count of COUNTS) {
    const start = median(await sequential(START_RUNS, () => trialStart(count)));
    note(`${count} twin(s): start + stop per trial ${start.toFixed(1)} ms (one artifact-style start ${baselineStart.toFixed(1)} ms)`);
    emitRatio(BENCH, `per-trial start+stop of ${count} twin(s) vs one artifact start`, start, baselineStart, 'ms');

    const session = await startTwins({ twins: twinsOf(count), cwd: dir, env, record: true });
    try {
      const proxied = Object.values(session.urls);
      const direct = await Promise.all(session.names.map(async (name) => {
        // The twin's own port: what the proxy forwards to (send() goes there directly).
        const probe = await session.send(name, { method: 'GET', path: '/healthz' });
        if (probe.status !== 200) throw new Error(`${name} unhealthy`);
        return name;
      }));
      await perRequest(proxied); // warm-up both paths
      const viaProxy = await perRequest(proxied);
      const straight = median(await sequential(3, () => perRequestDirect(session, direct)));
      note(`${count} twin(s): per request through the recording proxy ${viaProxy.toFixed(3)} ms, direct ${straight.toFixed(3)} ms; ${session.exchanges().length} exchanges recorded`);
      emitRatio(BENCH, `request latency through the recording proxy vs direct, ${count} twin(s)`, viaProxy, straight, 'ms');
      emit({ bench: BENCH, metric: `added latency per request, ${count} twin(s)`, value: viaProxy - straight, unit: 'ms' });
    } finally {
      await session.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function sequential(runs: number, work: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let index = 0; index < runs; index += 1) out.push(await work());
  return out;
}

/** The same request, sent straight to each twin's own port (session.send bypasses the proxy). */
async function perRequestDirect(session: Awaited<ReturnType<typeof startTwins>>, names: readonly string[]): Promise<number> {
  const body = { amount: 1250, customer: 'cus_bench', currency: 'eur' };
  const times: number[] = [];
  for (let index = 0; index < REQUESTS / 3; index += 1) {
    const started = performance.now();
    await session.send(names[index % names.length]!, { method: 'POST', path: '/v1/charges', headers: { 'content-type': 'application/json' }, body });
    times.push(performance.now() - started);
  }
  return median(times);
}
