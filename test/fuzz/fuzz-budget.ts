// The fuzz suite's budget: in `npm test` a fixed seed and a small number of runs, so the suite is
// deterministic and quick; `npm run fuzz` sets FUZZ_RUNS (and a fresh seed unless FUZZ_SEED is set)
// for people hunting. fast-check prints the seed and path of a failure, to replay it with FUZZ_SEED.
import type { Parameters } from 'fast-check';

export const FIXED_SEED = 1742;

/** `small` runs under `npm test` (default 60); FUZZ_RUNS runs under `npm run fuzz`. */
export function fuzzParameters<T>(small = 60): Parameters<T> {
  const hunting = Number(process.env.FUZZ_RUNS ?? '');
  const seed = process.env.FUZZ_SEED === undefined ? (hunting > 0 ? undefined : FIXED_SEED) : Number(process.env.FUZZ_SEED);
  return { numRuns: hunting > 0 ? hunting : small, ...(seed === undefined ? {} : { seed }) };
}
