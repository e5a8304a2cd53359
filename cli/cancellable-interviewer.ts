// A question must not outlive a cancelled run: the Interviewer interface has no signal, so a pending
// answer (a human at the console) would otherwise hold SIGINT off until someone types.
import type { Answer, Interviewer, Question } from '../core/engine/interviewer.ts';

export class CancellableInterviewer implements Interviewer {
  readonly #inner: Interviewer;
  readonly #signal: AbortSignal;

  constructor(inner: Interviewer, signal: AbortSignal) {
    this.#inner = inner;
    this.#signal = signal;
  }

  ask(question: Question): Promise<Answer> {
    const signal = this.#signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<Answer>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#inner.ask(question).then(
        (answer) => {
          signal.removeEventListener('abort', onAbort);
          resolve(answer);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  inform(message: string, stage: string): void {
    this.#inner.inform?.(message, stage);
  }
}
