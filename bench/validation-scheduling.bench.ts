// Scheduling efficiency of the validation trials (issue 6): N scenarios × K trials at concurrency c,
// each trial a fixed simulated 20 ms, with the per-scenario artifact slot opened and closed as in a
// real run. Wall time against the ideal ⌈N·K/c⌉ × trial time; target ratio ≤ 1.15.
import { performance } from 'node:perf_hooks';
import { scheduleTrials } from '../core/validation/scheduler.ts';
import { emitRatio, note } from './support/report.ts';

const BENCH = 'validation-scheduling';
const TRIAL_MS = 20;
const CASES: Array<{ scenarios: number; trials: number; concurrency: number }> = [
  { scenarios: 10, trials: 3, concurrency: 8 },
  { scenarios: 50, trials: 3, concurrency: 8 },
  { scenarios: 100, trials: 5, concurrency: 16 },
  { scenarios: 200, trials: 3, concurrency: 32 },
  { scenarios: 7, trials: 4, concurrency: 3 },
];

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function measure(scenarios: number, trials: number, concurrency: number): Promise<number> {
  const ids = Array.from({ length: scenarios }, (_, index) => `s${index}`);
  const start = performance.now();
  await scheduleTrials<string, string, boolean>(ids, {
    concurrency,
    trialsOf: () => trials,
    slot: (id) => ({ open: async () => id, close: async () => undefined, alive: () => true }),
    async runTrial(_job, slot) {
      await slot.acquire();
      await sleep(TRIAL_MS);
      return true;
    },
  });
  return performance.now() - start;
}

await measure(4, 2, 4); // warm-up
for (const { scenarios, trials, concurrency } of CASES) {
  const ideal = Math.ceil((scenarios * trials) / concurrency) * TRIAL_MS;
  const wall = await measure(scenarios, trials, concurrency);
  note(`${scenarios} scenarios × ${trials} trials at c=${concurrency}: ${wall.toFixed(1)} ms (ideal ${ideal} ms)`);
  emitRatio(BENCH, `wall_${scenarios}x${trials}_c${concurrency}`, wall, ideal, 'ms');
}
