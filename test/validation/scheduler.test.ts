import { describe, expect, it } from '@jest/globals';
import { parseShard, runPool, scenarioSlot, scheduleTrials, selectShard } from '../../core/validation/scheduler.ts';

const tick = (): Promise<void> => new Promise((done) => setImmediate(done));

describe('bounded pool', () => {
  it('never exceeds the concurrency and keeps input order', async () => {
    const live = { now: 0, max: 0 };
    const results = await runPool([5, 1, 4, 2, 3, 0, 6], 3, async (value) => {
      live.now += 1;
      live.max = Math.max(live.max, live.now);
      for (let i = 0; i < value; i += 1) await tick();
      live.now -= 1;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(live.max).toBe(3);
  });

  it('handles an empty list and concurrency above the item count', async () => {
    expect(await runPool([], 4, async () => 1)).toEqual([]);
    expect(await runPool([1, 2], 10, async (value) => value)).toEqual([1, 2]);
  });
});

describe('shards', () => {
  it('parses i/n and refuses the rest', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', '1/2/3']) expect(parseShard(bad)).toBeNull();
  });

  it('puts every item in exactly one shard, deterministically', () => {
    const items = Array.from({ length: 11 }, (_, index) => `s${index}`);
    const shards = [1, 2, 3].map((index) => selectShard(items, { index, count: 3 }));
    expect(shards[0]).toEqual(['s0', 's3', 's6', 's9']);
    expect(shards.flat().sort()).toEqual([...items].sort());
    expect(selectShard(items, { index: 2, count: 3 })).toEqual(shards[1]);
  });
});

describe('per-scenario slot', () => {
  it('opens once for concurrent users, closes after the last, reopens a dead resource', async () => {
    const events: string[] = [];
    const state = { opened: 0 };
    const resources: Array<{ id: number; alive: boolean }> = [];
    const slot = scenarioSlot(3, {
      open: async () => {
        state.opened += 1;
        const resource = { id: state.opened, alive: true };
        resources.push(resource);
        events.push(`open ${resource.id}`);
        return resource;
      },
      close: async (resource) => {
        events.push(`close ${resource.id}`);
      },
      alive: (resource) => resource.alive,
    });
    const [a, b] = await Promise.all([slot.acquire(), slot.acquire()]);
    expect(a).toBe(b);
    a.alive = false;
    const c = await slot.acquire();
    expect(c.id).toBe(2);
    await slot.release();
    await slot.release();
    expect(events).toEqual(['open 1', 'close 1', 'open 2']);
    await slot.release();
    expect(events).toEqual(['open 1', 'close 1', 'open 2', 'close 2']);
  });

  it('retries opening after a failure', async () => {
    const state = { calls: 0 };
    const slot = scenarioSlot(1, {
      open: async () => {
        state.calls += 1;
        if (state.calls === 1) throw new Error('did not start');
        return state.calls;
      },
      close: async () => undefined,
    });
    await expect(slot.acquire()).rejects.toThrow('did not start');
    expect(await slot.acquire()).toBe(2);
  });
});

describe('scheduleTrials', () => {
  it('runs N × K trials grouped per scenario, each trial with a fresh resource of its own', async () => {
    const opened: string[] = [];
    const closed: string[] = [];
    const live = { now: 0, max: 0 };
    const grouped = await scheduleTrials<string, string, string>(['a', 'b', 'c'], {
      concurrency: 2,
      trialsOf: (scenario) => (scenario === 'b' ? 3 : 2),
      slot: (scenario) => ({
        open: async () => {
          opened.push(scenario);
          return scenario.toUpperCase();
        },
        close: async (resource) => {
          closed.push(resource);
        },
      }),
      async runTrial({ scenario, trial }, slot) {
        live.now += 1;
        live.max = Math.max(live.max, live.now);
        const resource = await slot.acquire();
        await tick();
        live.now -= 1;
        return `${scenario}${trial}:${resource}`;
      },
    });
    expect(grouped).toEqual([['a0:A', 'a1:A'], ['b0:B', 'b1:B', 'b2:B'], ['c0:C', 'c1:C']]);
    expect(opened.sort()).toEqual(['a', 'a', 'b', 'b', 'b', 'c', 'c']);
    expect(closed.sort()).toEqual(['A', 'A', 'B', 'B', 'B', 'C', 'C']);
    expect(live.max).toBe(2);
  });
});
