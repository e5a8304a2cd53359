// Sends at most once per interval: a request inside the interval is sent when it ends (once, however
// many came), so the last state always goes out. The clock and timer come in, so tests do not sleep.
export interface ThrottleClock {
  now(): number;
  /** Calls `callback` after `ms`; returns a function that cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

export class Throttle {
  readonly #intervalMs: number;
  readonly #clock: ThrottleClock;
  readonly #send: () => void;
  #lastSent = Number.NEGATIVE_INFINITY;
  #cancelTimer: (() => void) | undefined;
  #stopped = false;

  constructor(intervalMs: number, clock: ThrottleClock, send: () => void) {
    this.#intervalMs = intervalMs;
    this.#clock = clock;
    this.#send = send;
  }

  request(): void {
    if (this.#stopped || this.#cancelTimer) return;
    const wait = this.#lastSent + this.#intervalMs - this.#clock.now();
    if (wait <= 0) return this.#fire();
    this.#cancelTimer = this.#clock.setTimer(() => {
      this.#cancelTimer = undefined;
      if (!this.#stopped) this.#fire();
    }, wait);
  }

  /** Drops a pending send: what comes next (the conclusion) supersedes it. */
  stop(): void {
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #fire(): void {
    this.#lastSent = this.#clock.now();
    this.#send();
  }
}
