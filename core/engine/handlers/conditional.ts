// Diamond nodes (Attractor §4.7, engine.md decision 2): routing happens on the outgoing edges, and
// those edges must see what led here, so the incoming outcome passes through unchanged.
import type { Handler, StageInput } from '../handler.ts';
import { STAGE_STATUSES, type Outcome, type StageStatus } from '../outcome.ts';

export class ConditionalHandler implements Handler {
  async execute(input: StageInput): Promise<Outcome> {
    const outcome: Outcome = {
      status: incomingStatus(input.context.getString('outcome')),
      notes: `Conditional node evaluated: ${input.node.id}`,
    };
    const label = input.context.getString('preferred_label');
    if (label) outcome.preferred_label = label;
    return outcome;
  }
}

function incomingStatus(value: string): StageStatus {
  return (STAGE_STATUSES as readonly string[]).includes(value) ? (value as StageStatus) : 'success';
}
