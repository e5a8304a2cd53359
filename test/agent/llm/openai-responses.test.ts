// The OpenAI Responses provider at the wire: the real SDK against the wire server.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createOpenAiResponsesProvider } from '../../../core/agent/llm/openai-responses.ts';
import { modelCatalog } from '../../../core/agent/llm/catalog.ts';
import type { LlmRequest, Message, StreamEvent } from '../../../core/agent/llm/types.ts';
import { startWireServer, type WireServer } from '../../support/wire-server.ts';

const TOOLS = [{ name: 'shell', description: 'Run a command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } } }];

function request(messages: Message[], extra: Partial<LlmRequest> = {}): LlmRequest {
  return { model: 'gpt-5.2', system: 'You are a coding agent.', messages, tools: TOOLS, ...extra };
}

type Body = Record<string, unknown> & { input: Record<string, unknown>[] };

describe('openai responses provider at the wire', () => {
  let wire: WireServer;
  beforeEach(async () => {
    wire = await startWireServer();
  });
  afterEach(async () => {
    await wire.close();
  });

  it.each([true, false])('runs a stateless tool-using session (stream: %s), carrying reasoning items back', async (stream) => {
    const provider = createOpenAiResponsesProvider({ apiKey: 'sk-test', baseURL: wire.openaiBaseURL, stream });
    wire.push(
      {
        turn: {
          reasoning: { text: 'List the files.', encrypted: 'gAAAA-encrypted' },
          tool_calls: [{ id: 'call_1', name: 'shell', arguments: { cmd: 'ls' } }],
          usage: { input: 900, output: 60, cache_read: 0, reasoning: 40 },
        },
      },
      { turn: { text: 'There are two files.', usage: { input: 1000, output: 8, cache_read: 896, reasoning: 0 } } },
    );

    const events: StreamEvent[] = [];
    const history: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'What is here?' }] }];
    const first = await provider.complete(request(history, { reasoning_effort: 'high' }), (event) => events.push(event));
    expect(first.finish_reason).toBe('tool_calls');
    expect(first.message.content).toEqual([
      {
        type: 'reasoning',
        provider: 'openai',
        text: 'List the files.',
        data: { type: 'reasoning', id: 'rs_wire_1', summary: [{ type: 'summary_text', text: 'List the files.' }], encrypted_content: 'gAAAA-encrypted' },
      },
      { type: 'tool_call', id: 'call_1', name: 'shell', arguments: { cmd: 'ls' } },
    ]);
    expect(first.usage).toEqual({ input_tokens: 900, output_tokens: 60, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 40 });
    if (stream) expect(events).toEqual([{ type: 'reasoning_delta', text: 'List th' }, { type: 'reasoning_delta', text: 'e files.' }, { type: 'tool_call', id: 'call_1', name: 'shell' }]);

    history.push(first.message, { role: 'tool', content: [{ type: 'tool_result', tool_call_id: 'call_1', content: 'a.ts\nb.ts' }] });
    const second = await provider.complete(request(history, { reasoning_effort: 'high' }));
    expect(second.message.content).toEqual([{ type: 'text', text: 'There are two files.' }]);
    expect(second.finish_reason).toBe('stop');
    expect(second.usage).toMatchObject({ input_tokens: 1000, cache_read_tokens: 896, output_tokens: 8 });

    expect(wire.requests.map((r) => r.path)).toEqual(['/v1/responses', '/v1/responses']);
    expect(wire.requests[0]!.headers['authorization']).toBe('Bearer sk-test');
    const body = wire.requests[1]!.body as Body;
    expect(body).toMatchObject({
      model: 'gpt-5.2',
      instructions: 'You are a coding agent.',
      store: false,
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'high' },
      tools: [{ type: 'function', name: 'shell', description: 'Run a command', parameters: TOOLS[0]!.parameters, strict: false }],
    });
    expect(body.stream).toBe(stream ? true : undefined);
    expect(body.previous_response_id).toBeUndefined();
    expect(body.input).toEqual([
      { role: 'user', content: [{ type: 'input_text', text: 'What is here?' }] },
      { type: 'reasoning', id: 'rs_wire_1', summary: [{ type: 'summary_text', text: 'List the files.' }], encrypted_content: 'gAAAA-encrypted' },
      { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"cmd":"ls"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'a.ts\nb.ts' },
    ]);

    // 104 uncached × $1.75 + 896 cached × $0.175 + 8 out × $14, per million.
    expect(modelCatalog().costOf('openai', 'gpt-5.2', second.usage)).toBeCloseTo((104 * 1.75 + 896 * 0.175 + 8 * 14) / 1e6, 12);
  });

  it('sends assistant text back and reports a truncated response as length', async () => {
    const provider = createOpenAiResponsesProvider({ apiKey: 'k', baseURL: wire.openaiBaseURL });
    wire.push({ turn: { text: 'partial', stop: 'length' } });
    const response = await provider.complete(
      request([
        { role: 'user', content: [{ type: 'text', text: 'a' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'b' }] },
        { role: 'user', content: [{ type: 'text', text: 'c' }] },
      ]),
    );
    expect(response.finish_reason).toBe('length');
    expect((wire.requests[0]!.body as Body).input[1]).toEqual({ role: 'assistant', content: 'b' });
  });
});
