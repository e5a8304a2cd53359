// The pipeline entry point (Attractor §4.3): nothing to do.
import type { Handler } from '../handler.ts';
import type { Outcome } from '../outcome.ts';

export class StartHandler implements Handler {
  async execute(): Promise<Outcome> {
    return { status: 'success' };
  }
}
