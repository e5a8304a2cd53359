// Steering a running session (coding-agent-loop-spec §2.6): messages from outside the loop, picked
// up at the next tool-round boundary and injected as user turns. Sources are polled, never pushed
// into the loop from timers, so a message always arrives between two requests.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface SteeringSource {
  /** Messages that arrived since the last call (possibly none). */
  take(): Promise<string[]> | string[];
}

/** A file a person appends to, one message per line (`factory run --steer <file>`). */
export class SteeringFile implements SteeringSource {
  readonly path: string;
  #offset: number;
  #partial = '';

  /** Lines already in the file when the run starts are not messages; only appended lines are. */
  constructor(path: string) {
    this.path = path;
    this.#offset = sizeOf(path);
  }

  take(): string[] {
    const size = sizeOf(this.path);
    if (size < this.#offset) {
      // Truncated or replaced: read it afresh.
      this.#offset = 0;
      this.#partial = '';
    }
    if (size === this.#offset) return [];
    const buffer = Buffer.alloc(size - this.#offset);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.#offset);
    } finally {
      closeSync(fd);
    }
    this.#offset = size;
    const text = this.#partial + buffer.toString('utf8');
    const lines = text.split('\n');
    // A line without its newline yet is still being written.
    this.#partial = lines.pop() ?? '';
    return lines.map((line) => line.trim()).filter(Boolean);
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Polls `source` at most once per `intervalMs`, however often the loop asks. */
export class ThrottledSteering implements SteeringSource {
  readonly #source: SteeringSource;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #last: number | undefined;

  constructor(source: SteeringSource, intervalMs: number, now: () => number) {
    this.#source = source;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  async take(): Promise<string[]> {
    const now = this.#now();
    if (this.#last !== undefined && now - this.#last < this.#intervalMs) return [];
    this.#last = now;
    return this.#source.take();
  }
}
