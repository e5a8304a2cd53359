// The pipeline exit point (Attractor §4.4): goal gates are the executor's job, so nothing to do here.
import type { Handler } from '../handler.ts';
import type { Outcome } from '../outcome.ts';

export class ExitHandler implements Handler {
  async execute(): Promise<Outcome> {
    return { status: 'success' };
  }
}
