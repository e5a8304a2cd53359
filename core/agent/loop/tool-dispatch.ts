// Running the tool calls of one model turn (issue 15 §1): independent calls run concurrently, at
// most `concurrency` at a time; calls that write the same path run one after another in call
// order; the results come back in call order whatever order the calls finish in.
import { resolve } from 'node:path';

export const DEFAULT_TOOL_CONCURRENCY = 4;

export interface DispatchedCall {
  /** Absolute paths the call writes (empty when it writes nothing it can name). */
  writes: readonly string[];
  run(): Promise<void>;
}

/** A counting semaphore: at most `limit` holders at once, served first come first served. */
function semaphore(limit: number): () => Promise<() => void> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return async () => {
    if (active >= limit) await new Promise<void>((grant) => waiting.push(grant));
    active++;
    return release;
  };
}

/**
 * Runs every call; each call first waits for the earlier calls that write one of its paths, then
 * for a free slot. Rejects with the first error thrown once every started call has settled.
 */
export async function dispatchConcurrently(calls: readonly DispatchedCall[], concurrency = DEFAULT_TOOL_CONCURRENCY): Promise<void> {
  const acquire = semaphore(Math.max(1, Math.floor(concurrency)));
  const lastWriter = new Map<string, Promise<unknown>>();
  const runs = calls.map((call) => {
    const before = [...new Set(call.writes)].flatMap((path) => {
      const previous = lastWriter.get(path);
      return previous ? [previous] : [];
    });
    const run = (async () => {
      await Promise.allSettled(before);
      const release = await acquire();
      try {
        await call.run();
      } finally {
        release();
      }
    })();
    for (const path of call.writes) lastWriter.set(path, run);
    return run;
  });
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** A tool's declared write paths, made absolute against the workspace root for comparison. */
export function absoluteWrites(root: string, paths: readonly string[]): string[] {
  return paths.map((path) => resolve(root, path));
}
