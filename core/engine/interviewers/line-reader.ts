// Lines from a stream, one request at a time. One reader lives as long as its interviewer, so lines
// typed (or piped) ahead of a question wait for it instead of being lost between questions.
import { createInterface, type Interface } from 'node:readline';

export class LineReader {
  readonly #lines: string[] = [];
  readonly #rl: Interface;
  #ended = false;
  #waiter: ((line: string | null) => void) | undefined;

  constructor(input: NodeJS.ReadableStream) {
    this.#rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.#rl.on('line', (line) => {
      if (this.#waiter) this.#deliver(line);
      else this.#lines.push(line);
    });
    this.#rl.on('close', () => {
      this.#ended = true;
      this.#deliver(null);
    });
  }

  /** The next line, or null at end of input; an abort leaves the line for the next caller. */
  next(signal?: AbortSignal): Promise<string | null> {
    const queued = this.#lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#ended) return Promise.resolve(null);
    if (this.#waiter) return Promise.reject(new Error('LineReader: one read at a time'));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiter = undefined;
        this.#idle();
        reject(signal?.reason);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiter = (line) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(line);
      };
      this.#rl.resume();
    });
  }

  close(): void {
    this.#rl.close();
  }

  #deliver(line: string | null): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    this.#idle();
    waiter?.(line);
  }

  /** A paused stdin does not keep the process alive between questions. */
  #idle(): void {
    if (!this.#ended) this.#rl.pause();
  }
}
