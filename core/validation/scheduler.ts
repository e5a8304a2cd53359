// Runs N scenarios × K trials on a bounded pool of `concurrency` lanes. Every trial gets a resource
// of its own (a freshly started artifact), reopened when it dies and closed when the trial ends:
// trials of one scenario may run at once, and a stateful artifact must not let one trial see
// another's data. Sharding picks a deterministic share of the scenarios.

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

/** `i/n` with 1 ≤ i ≤ n; null when the text is not one. */
export function parseShard(text: string): Shard | null {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return null;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count || count > 1000) return null;
  return { index, count };
}

/** The items at positions index−1, index−1+count, …: every item in exactly one shard. */
export function selectShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, position) => position % shard.count === shard.index - 1);
}

/** Maps `items` through `worker` with at most `concurrency` in flight; results keep input order. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const cursor = { next: 0 };
  const lane = async (): Promise<void> => {
    while (cursor.next < items.length) {
      const index = cursor.next;
      cursor.next += 1;
      results[index] = await worker(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}

export interface ScenarioSlot<R> {
  /** The shared resource, (re)opening it when absent or dead; rejects when opening fails. */
  acquire(): Promise<R>;
  /** One trial is done with it; the last one closes it. */
  release(): Promise<void>;
}

export interface SlotHooks<R> {
  open(): Promise<R>;
  close(resource: R): Promise<void>;
  /** Checked before every use; a dead resource is closed and reopened. */
  alive?(resource: R): boolean | Promise<boolean>;
}

export function scenarioSlot<R>(users: number, hooks: SlotHooks<R>): ScenarioSlot<R> {
  const state: { current: Promise<R> | null; remaining: number } = { current: null, remaining: users };
  const openFresh = (): Promise<R> => {
    const opening = hooks.open();
    state.current = opening;
    opening.catch(() => {
      if (state.current === opening) state.current = null;
    });
    return opening;
  };
  return {
    async acquire() {
      if (state.current === null) return openFresh();
      const existing = state.current;
      let resource: R;
      try {
        resource = await existing;
      } catch {
        return state.current === existing || state.current === null ? openFresh() : state.current;
      }
      if (hooks.alive && !(await hooks.alive(resource))) {
        if (state.current === existing) {
          await hooks.close(resource);
          return openFresh();
        }
        return state.current ?? openFresh();
      }
      return resource;
    },
    async release() {
      state.remaining -= 1;
      if (state.remaining > 0 || state.current === null) return;
      const last = state.current;
      state.current = null;
      try {
        await hooks.close(await last);
      } catch {
        // It never opened: nothing to close.
      }
    },
  };
}

export interface TrialJob<S> {
  scenario: S;
  scenarioIndex: number;
  trial: number;
}

export interface ScheduleOptions<S, R, T> {
  concurrency: number;
  trialsOf(scenario: S): number;
  slot: SlotHooks<R> | ((scenario: S) => SlotHooks<R>);
  runTrial(job: TrialJob<S>, slot: ScenarioSlot<R>): Promise<T>;
}

/**
 * Every trial of every scenario, scenario-major, each with its own slot (so at most `concurrency`
 * artifacts are up at once); results grouped per scenario in input order.
 */
export async function scheduleTrials<S, R, T>(scenarios: readonly S[], options: ScheduleOptions<S, R, T>): Promise<T[][]> {
  const jobs: TrialJob<S>[] = scenarios.flatMap((scenario, scenarioIndex) =>
    Array.from({ length: options.trialsOf(scenario) }, (_, trial) => ({ scenario, scenarioIndex, trial })));
  const results = await runPool(jobs, options.concurrency, async (job) => {
    const hooks = typeof options.slot === 'function' ? options.slot(job.scenario) : options.slot;
    const slot = scenarioSlot(1, hooks);
    try {
      return await options.runTrial(job, slot);
    } finally {
      await slot.release();
    }
  });
  const grouped: T[][] = scenarios.map(() => []);
  jobs.forEach((job, index) => grouped[job.scenarioIndex]!.push(results[index]!));
  return grouped;
}
