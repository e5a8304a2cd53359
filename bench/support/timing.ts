// Timing helpers: warm up, repeat, take the median.
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Collects garbage when node runs with --expose-gc (bench/run.js passes it), so one run's garbage does not land in the next. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

export interface RepeatOptions {
  /** Untimed runs first, to let the JIT settle. */
  warmup: number;
  /** At least this many timed runs... */
  minRuns: number;
  /** ...and more, up to maxRuns, until the timed runs add up to minTotalMs. */
  maxRuns?: number;
  minTotalMs?: number;
}

/** Median wall time of `fn` in milliseconds. */
export function timeSync(fn: () => unknown, options: RepeatOptions): number {
  for (let i = 0; i < options.warmup; i++) fn();
  const samples: number[] = [];
  let total = 0;
  const maxRuns = Math.max(options.minRuns, options.maxRuns ?? options.minRuns);
  while (samples.length < options.minRuns || (samples.length < maxRuns && total < (options.minTotalMs ?? 0))) {
    const started = performance.now();
    fn();
    const elapsed = performance.now() - started;
    samples.push(elapsed);
    total += elapsed;
  }
  return median(samples);
}

/** Wall time of one call of an async function, in milliseconds. */
export async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
