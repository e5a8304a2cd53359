// Hostile input (issue 17): lint time against model-stylesheet rule count and against attribute
// count on one node, at 2,000 / 20,000 / 200,000, as ratios to the 2,000 case (linear growth is
// 10× and 100×; the target is at most 12× for 20,000 rules); and what rejecting a 25 MiB unsigned
// webhook body costs the App (time, memory, log bytes) against a 1 KiB unsigned body.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Probot } from 'probot';
import { createFactoryMiddleware } from '../app/middleware.ts';
import { PipelineEngine } from '../core/engine/index.ts';
import { emit, emitRatio, note } from './support/report.ts';
import { collectGarbage, median, timeSync } from './support/timing.ts';

const BENCH = 'hostile';
const SIZES = [2_000, 20_000, 200_000];
const engine = new PipelineEngine();

/** Ten box stages with classes; `rules` stylesheet rules spread over universal, shape, class and id selectors. */
function stylesheetGraph(rules: number): string {
  const ids = Array.from({ length: 10 }, (_, i) => `n${i}`);
  const sheet = Array.from({ length: rules }, (_, i) => {
    const selector = ['*', 'box', `.c${i % 5}`, `#n${i % 10}`][i % 4];
    return `${selector}{llm_model:m${i % 97}}`;
  }).join('\\n');
  const nodes = ids.map((id, i) => `  ${id} [prompt="p", class="c${i % 5}"]`).join('\n');
  return `digraph G {\n  graph [goal="g", model_stylesheet="${sheet}"]\n  start [shape=Mdiamond]\n  exit [shape=Msquare]\n${nodes}\n  start -> ${ids.join(' -> ')} -> exit\n}\n`;
}

/** One stage carrying `count` attributes the engine does not know (each one a lint warning with a suggestion search). */
function attributeGraph(count: number): string {
  const attrs = Array.from({ length: count }, (_, i) => `x${i}=v`).join(',');
  return `digraph G {\n  graph [goal="g"]\n  start [shape=Mdiamond]\n  exit [shape=Msquare]\n  a [prompt="p",${attrs}]\n  start -> a -> exit\n}\n`;
}

function lintSeries(what: string, build: (size: number) => string): void {
  const times: number[] = [];
  for (const size of SIZES) {
    const source = build(size);
    const { diagnostics } = engine.prepare(source);
    if (diagnostics.some((diagnostic) => diagnostic.severity === 'error')) throw new Error(`${what} ${size}: ${diagnostics.find((d) => d.severity === 'error')!.message}`);
    const ms = timeSync(() => engine.prepare(source), size >= 200_000 ? { warmup: 1, minRuns: 3 } : { warmup: 2, minRuns: 5, maxRuns: 15, minTotalMs: 1500 });
    times.push(ms);
    note(`${BENCH}: ${what} ${size}: ${ms.toFixed(1)} ms (${(source.length / 1024 / 1024).toFixed(2)} MiB of DOT)`);
    emit({ bench: BENCH, metric: `lint_${what}_${size}`, value: ms, unit: 'ms' });
  }
  for (let i = 1; i < SIZES.length; i++) {
    emitRatio(BENCH, `lint_${what}_${SIZES[i]}_vs_${SIZES[0]}`, times[i]!, times[0]!, 'ms');
  }
}

lintSeries('stylesheet_rules', stylesheetGraph);
lintSeries('attributes', attributeGraph);

// Webhook rejection: a real server on 127.0.0.1 with the App's middleware.
class CountingLog extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}
const log = new CountingLog();
const probot = new Probot({ appId: 1, privateKey: 'unused', secret: 'bench-secret', log: pino({ level: 'info' }, log) });
const middleware = await createFactoryMiddleware(probot);
const server = createServer((request, response) => {
  void Promise.resolve(middleware(request, response, () => response.writeHead(404).end()));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const slice = Buffer.alloc(64 * 1024, 'a');

function unsignedPost(size: number): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: '/api/github/webhooks', method: 'POST', headers: {
      'content-type': 'application/json', 'content-length': String(size), 'x-github-event': 'push', 'x-github-delivery': 'bench', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ ms: performance.now() - started, status: response.statusCode ?? 0 }));
    });
    request.on('error', (error) => (/EPIPE|ECONNRESET/.test(error.message) ? undefined : reject(error)));
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

async function rejection(size: number, runs: number): Promise<{ ms: number; memory: number; logBytes: number; status: number }> {
  await unsignedPost(size);
  const times: number[] = [];
  let memory = 0;
  let status = 0;
  const logBefore = log.bytes;
  for (let run = 0; run < runs; run++) {
    collectGarbage();
    const before = process.memoryUsage();
    let peak = before.arrayBuffers + before.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak = Math.max(peak, now.arrayBuffers + now.heapUsed);
    }, 1);
    const result = await unsignedPost(size);
    clearInterval(sampler);
    times.push(result.ms);
    status = result.status;
    memory = Math.max(memory, peak - before.arrayBuffers - before.heapUsed);
  }
  return { ms: median(times), memory, logBytes: (log.bytes - logBefore) / runs, status };
}

const large = await rejection(25 * 1024 * 1024 + 1, 5);
const small = await rejection(1024, 20);
note(`${BENCH}: 25 MiB unsigned → ${large.status}, 1 KiB unsigned → ${small.status}`);
emitRatio(BENCH, 'webhook_reject_25MiB_unsigned_vs_1KiB', large.ms, small.ms, 'ms');
emit({ bench: BENCH, metric: 'webhook_reject_25MiB_unsigned_peak_memory', value: large.memory / 1024 / 1024, unit: 'MiB' });
emit({ bench: BENCH, metric: 'webhook_reject_25MiB_unsigned_log_per_delivery', value: large.logBytes, unit: 'bytes' });
emit({ bench: BENCH, metric: 'webhook_reject_1KiB_unsigned_log_per_delivery', value: small.logBytes, unit: 'bytes' });
server.closeAllConnections();
server.close();
