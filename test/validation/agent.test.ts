import { describe, expect, it } from '@jest/globals';
import { createScriptedProvider } from '../../core/agent/llm/scripted.ts';
import type { LlmRequest } from '../../core/agent/llm/types.ts';
import { parseScenario } from '../../core/domain/scenario.ts';
import { agentPrompt, runValidationAgent } from '../../core/validation/agent.ts';
import type { BlackBoxTool } from '../../core/validation/tools.ts';

const echo: BlackBoxTool = {
  definition: { name: 'run_cli', description: 'echo', parameters: { type: 'object' } },
  run: async (args) => ({ output: `ran ${JSON.stringify(args)}`, isError: false }),
};

describe('validation agent loop', () => {
  it('runs tool calls, answers unknown tools with an error, and returns the final text', async () => {
    const requests: LlmRequest[] = [];
    const scripted = createScriptedProvider({ file: 'inline', script: { stages: { 'agent:x': [
      { tool_calls: [{ name: 'run_cli', arguments: { args: ['a'] } }, { name: 'read_file', arguments: { path: '/etc/passwd' } }] },
      { text: 'All done.' },
    ] } } });
    const provider = { name: 'spy', complete: (request: LlmRequest) => {
      requests.push(structuredClone({ ...request, signal: undefined }));
      return scripted.complete(request);
    } };
    const run = await runValidationAgent('prompt', { provider, model: 'm', tools: [echo], stage: 'agent:x' });
    expect(run).toEqual({ summary: 'All done.', turns: 2 });
    expect(requests[0]!.tools.map((tool) => tool.name)).toEqual(['run_cli']);
    const results = requests[1]!.messages[2]!.content;
    expect(results).toEqual([
      { type: 'tool_result', tool_call_id: 'call_agent:x_1_1', content: 'ran {"args":["a"]}', is_error: false },
      { type: 'tool_result', tool_call_id: 'call_agent:x_1_2', content: 'unknown tool read_file; available: run_cli', is_error: true },
    ]);
  });

  it('stops at the turn limit', async () => {
    const turn = { tool_calls: [{ name: 'run_cli', arguments: {} }] };
    const provider = createScriptedProvider({ file: 'inline', script: [turn, turn, turn] });
    expect(await runValidationAgent('p', { provider, model: 'm', tools: [echo], stage: 's', maxTurns: 2 })).toEqual({ summary: '(stopped after 2 turns)', turns: 2 });
  });

  it('shows the story, steps and variations, never the expected outcome or criteria', () => {
    const parsed = parseScenario('---\nid: s\ntitle: T\ncategory: edge\nrubric: [{ id: c }]\n---\n## Story\nthe story\n## Steps\nthe steps\n## Expected\nSECRET-EXPECTED\n## Judge criteria\n- c: SECRET-CRITERION\n');
    if (!parsed.ok) throw new Error('fixture must parse');
    const prompt = agentPrompt(parsed.scenario, { who: 'Ada' });
    expect(prompt).toContain('the story');
    expect(prompt).toContain('the steps');
    expect(prompt).toContain('- who: "Ada"');
    expect(prompt).not.toContain('SECRET-EXPECTED');
    expect(prompt).not.toContain('SECRET-CRITERION');
  });
});
