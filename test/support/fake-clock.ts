// A clock whose sleeps return at once and are recorded, so retry timing is asserted without waiting.
import type { Clock } from '../../core/engine/clock.ts';

export class FakeClock implements Clock {
  current: number;
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now = (): number => this.current;

  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.current += ms;
  };
}
