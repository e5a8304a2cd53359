// The bundled Action's cold start: from spawning `node dist/main.js` to its first log line, against
// a bare `node` printing one line (baseline, same machine, same run); and the bundle's size.
// Target (quality.md): ≤ 300 ms to the first log line.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit, emitRatio, note } from './support/report.ts';

const BENCH = 'action-startup';
const RUNS = 15;
const DIST = fileURLToPath(new URL('../dist', import.meta.url));

/** Milliseconds from spawn to the child's first stdout line; the child is then killed. */
function timeToFirstLine(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let done = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (done || !chunk.toString().includes('\n')) return;
      done = true;
      resolve(performance.now() - started);
      child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', () => {
      if (!done) reject(new Error(`${args.join(' ')} printed no line`));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function sample(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  await timeToFirstLine(args, env); // warm the file cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeToFirstLine(args, env));
  return median(times);
}

// The runner's environment minus anything that would let the Action get further than its first line.
const env = { PATH: process.env.PATH, INPUT_COMMAND: 'run' };
const baseline = await sample(['-e', "console.log('ready')"], env);
const action = await sample([join(DIST, 'main.js')], env);
emit({ bench: BENCH, metric: 'first_log_line', value: action, unit: 'ms' });
emitRatio(BENCH, 'first_log_line_vs_bare_node', action, baseline, 'ms');

const files = readdirSync(DIST).filter((name) => name.endsWith('.js'));
const total = files.reduce((sum, name) => sum + statSync(join(DIST, name)).size, 0);
emit({ bench: BENCH, metric: 'bundle_js_bytes', value: total, unit: 'bytes' });
emit({ bench: BENCH, metric: 'main_js_bytes', value: statSync(join(DIST, 'main.js')).size, unit: 'bytes' });
note(`${BENCH}: ${files.length} JavaScript files in dist/`);
