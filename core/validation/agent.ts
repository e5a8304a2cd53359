// The validation agent: a small tool loop over the black-box tools only. It sees the scenario's
// story, steps and this trial's variations — never the expected outcome or the judge criteria.
import type { LlmProvider, Message } from '../agent/llm/types.ts';
import type { Scenario } from '../domain/scenario.ts';
import type { BlackBoxTool } from './tools.ts';
import type { VariationValue } from './types.ts';

export const AGENT_MAX_TURNS = 20;

export const AGENT_SYSTEM = [
  'You are a validation agent. You test an application from the outside, as a user or a client service would.',
  'Carry out the steps of the scenario with the tools you have, adapting them to this trial\'s variations.',
  'You have no access to source code or files. When you are done, answer with a short factual account of what you did and observed.',
].join(' ');

export function agentPrompt(scenario: Scenario, variations: Readonly<Record<string, VariationValue>>): string {
  const variationLines = Object.entries(variations).map(([name, value]) => `- ${name}: ${JSON.stringify(value)}`);
  return [
    `# Scenario: ${scenario.title}`,
    '## Story', scenario.story,
    '## Steps', scenario.steps,
    ...(variationLines.length ? ['## Variations for this trial', ...variationLines] : []),
  ].join('\n\n');
}

export interface AgentRun {
  summary: string;
  turns: number;
}

export interface AgentOptions {
  provider: LlmProvider;
  model: string;
  tools: readonly BlackBoxTool[];
  /** Names the request for the scripted provider (`agent:<scenario id>`). */
  stage: string;
  maxTurns?: number;
  signal?: AbortSignal;
}

/** Runs the loop; provider errors propagate (the caller counts them as harness errors). */
export async function runValidationAgent(prompt: string, options: AgentOptions): Promise<AgentRun> {
  const byName = new Map(options.tools.map((tool) => [tool.definition.name, tool]));
  const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text: prompt }] }];
  const maxTurns = options.maxTurns ?? AGENT_MAX_TURNS;
  for (let turn = 1; turn <= maxTurns; turn += 1) {
    const response = await options.provider.complete({
      model: options.model,
      system: AGENT_SYSTEM,
      messages,
      tools: options.tools.map((tool) => tool.definition),
      stage: options.stage,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    messages.push(response.message);
    const calls = response.message.content.flatMap((part) => (part.type === 'tool_call' ? [part] : []));
    if (calls.length === 0) {
      const summary = response.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('').trim();
      return { summary, turns: turn };
    }
    const results: Message = { role: 'tool', content: [] };
    for (const call of calls) {
      const tool = byName.get(call.name);
      const result = tool ? await tool.run(call.arguments) : { output: `unknown tool ${call.name}; available: ${[...byName.keys()].join(', ')}`, isError: true };
      results.content.push({ type: 'tool_result', tool_call_id: call.id, content: result.output, is_error: result.isError });
    }
    messages.push(results);
  }
  return { summary: `(stopped after ${maxTurns} turns)`, turns: maxTurns };
}
