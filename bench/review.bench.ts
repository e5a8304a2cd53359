// The spec-readiness review's cost per 1,000 spec lines, with the scripted model standing in for
// the critic (so wall time is the review's own work: prompt building, answer parsing, merging):
// wall time, the tokens the scripted provider accounts for the request, and how the request's
// text divides between the spec itself and the review's instructions.
import { createScriptedProvider } from '../core/agent/llm/scripted.ts';
import type { LlmProvider, LlmRequest } from '../core/agent/llm/types.ts';
import { runSpecReview } from '../core/agent/review/review.ts';
import { emit } from './support/report.ts';
import { median, timeOnce } from './support/timing.ts';

const BENCH = 'review';
const SPEC_LINES = 1000;
const RUNS = 20;

const specText = `${Array.from({ length: SPEC_LINES }, (_, index) => `- Statement ${index + 1}: the service answers request kind ${index + 1} with a JSON body within the stated limits.`).join('\n')}\n`;
const files = [{ path: 'spec/intent.md', text: specText }];
const answer = JSON.stringify({ findings: [{ file: 'spec/intent.md', line: 3, kind: 'gap', message: 'what happens on a duplicate is never stated', blocking: false }] });

/** The scripted critic, recording the request it was sent. */
function critic(seen: LlmRequest[]): LlmProvider {
  const scripted = createScriptedProvider({ file: 'bench', script: [{ text: answer }] });
  return { name: scripted.name, complete: (request, onEvent) => (seen.push(request), scripted.complete(request, onEvent)) };
}

const times: number[] = [];
let tokens = 0;
let request: LlmRequest | undefined;
for (let run = 0; run < RUNS; run += 1) {
  const seen: LlmRequest[] = [];
  times.push(await timeOnce(async () => {
    const result = await runSpecReview({ input: { files, diff: '' }, critics: [{ name: 'scripted', provider: critic(seen), model: 'scripted' }] });
    tokens = result.usage.input_tokens + result.usage.output_tokens;
  }));
  request = seen[0];
}
if (!request) throw new Error('the review sent no request');

const messageText = request.messages.map((message) => JSON.stringify(message.content)).join('');
const total = request.system.length + messageText.length;
emit({ bench: BENCH, metric: 'wall_ms_per_1000_spec_lines', value: median(times), unit: 'ms' });
emit({ bench: BENCH, metric: 'tokens_per_1000_spec_lines', value: tokens, unit: 'tokens' });
emit({ bench: BENCH, metric: 'request_share_spec_text', value: specText.length / total, unit: 'ratio' });
emit({ bench: BENCH, metric: 'request_share_instructions', value: request.system.length / total, unit: 'ratio' });
