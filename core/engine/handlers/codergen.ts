// LLM stages (Attractor §4.5): build the prompt, hand it to the backend, record prompt and response,
// and honour the status-file contract (Appendix C) for agents that report their own outcome.
import { existsSync } from 'node:fs';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attrBoolean } from '../graph.ts';
import type { Handler, StageInput } from '../handler.ts';
import type { Outcome } from '../outcome.ts';
import { claimedOutcome, removeStaleStatusFile } from '../status-file.ts';
import { stagePrompt } from './prompt.ts';
import { withSteering } from './steering.ts';

export const LAST_RESPONSE_CHARS = 200;

export class CodergenHandler implements Handler {
  async execute(input: StageInput): Promise<Outcome> {
    const { node, stageDir } = input;
    // A supervising manager loop may have steered this stage since its last attempt.
    const prompt = withSteering(stagePrompt(node, input.graph), stageDir);
    writeFileSync(join(stageDir, 'prompt.md'), prompt);

    const backend = input.services.backend;
    if (!backend) return respond(input, `[Simulated] Response for stage: ${node.id}`);

    removeStaleStatusFile(stageDir);
    // A response.md from an earlier attempt must not pass for one the backend wrote this time.
    rmSync(join(stageDir, 'response.md'), { force: true });
    const result = await backend.run({
      node,
      prompt,
      context: input.context,
      graph: input.graph,
      logsRoot: input.logsRoot,
      stageDir,
      fidelity: input.fidelity,
      threadKey: input.threadKey,
      history: input.history,
      signal: input.signal,
      emit: input.emit,
    });

    if (typeof result !== 'string') {
      if (!existsSync(join(stageDir, 'response.md'))) writeFileSync(join(stageDir, 'response.md'), result.notes ?? '');
      return { ...result, context_updates: { ...result.context_updates, last_stage: node.id } };
    }
    return respond(input, result, claimedOutcome(stageDir, attrBoolean(node.attrs, 'auto_status')));
  }
}

async function respond(input: StageInput, response: string, claimed?: Outcome): Promise<Outcome> {
  writeFileSync(join(input.stageDir, 'response.md'), response);
  const updates = { last_stage: input.node.id, last_response: response.slice(0, LAST_RESPONSE_CHARS) };
  if (claimed) return { ...claimed, context_updates: { ...updates, ...claimed.context_updates } };
  return { status: 'success', notes: `Stage completed: ${input.node.id}`, context_updates: updates };
}
