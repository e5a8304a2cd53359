// The Chat Completions provider for compatible servers at the wire: the real SDK against the wire server.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createOpenAiCompatibleProvider } from '../../../core/agent/llm/openai-compatible.ts';
import { modelCatalog } from '../../../core/agent/llm/catalog.ts';
import type { LlmRequest, Message, StreamEvent } from '../../../core/agent/llm/types.ts';
import { startWireServer, type WireServer } from '../../support/wire-server.ts';

const TOOLS = [
  { name: 'read_file', description: 'Read', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
  { name: 'write_file', description: 'Write', parameters: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } } } },
];

function request(messages: Message[]): LlmRequest {
  return { model: 'qwen3-coder:30b', system: 'Be brief.', messages, tools: TOOLS };
}

type Body = Record<string, unknown> & { messages: Record<string, unknown>[] };

describe('openai-compatible provider at the wire', () => {
  let wire: WireServer;
  beforeEach(async () => {
    wire = await startWireServer();
  });
  afterEach(async () => {
    await wire.close();
  });

  it.each([true, false])('assembles parallel tool calls and sends tool results back (stream: %s)', async (stream) => {
    const provider = createOpenAiCompatibleProvider({ baseURL: wire.openaiBaseURL, stream });
    wire.push(
      {
        turn: {
          text: 'Let me look.',
          tool_calls: [
            { id: 'call_a', name: 'read_file', arguments: { path: 'a.txt' } },
            { id: 'call_b', name: 'write_file', arguments: { path: 'b.txt', content: 'hi "there"' } },
          ],
          usage: { input: 300, output: 50, cache_read: 128 },
        },
      },
      { turn: { text: 'Done.', usage: { input: 400, output: 3 } } },
    );

    const events: StreamEvent[] = [];
    const history: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'copy a to b' }] }];
    const first = await provider.complete(request(history), (event) => events.push(event));
    expect(first.finish_reason).toBe('tool_calls');
    expect(first.message.content).toEqual([
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_call', id: 'call_a', name: 'read_file', arguments: { path: 'a.txt' } },
      { type: 'tool_call', id: 'call_b', name: 'write_file', arguments: { path: 'b.txt', content: 'hi "there"' } },
    ]);
    expect(first.usage).toEqual({ input_tokens: 300, output_tokens: 50, cache_read_tokens: 128, reasoning_tokens: 0 });
    if (stream) expect(events.filter((e) => e.type === 'tool_call')).toEqual([
      { type: 'tool_call', id: 'call_a', name: 'read_file' },
      { type: 'tool_call', id: 'call_b', name: 'write_file' },
    ]);

    history.push(first.message, {
      role: 'tool',
      content: [
        { type: 'tool_result', tool_call_id: 'call_a', content: 'contents' },
        { type: 'tool_result', tool_call_id: 'call_b', content: 'written' },
      ],
    });
    const second = await provider.complete(request(history));
    expect(second.message.content).toEqual([{ type: 'text', text: 'Done.' }]);

    expect(wire.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    // Local servers ignore the key; a placeholder keeps the SDK satisfied.
    expect(wire.requests[0]!.headers['authorization']).toBe('Bearer not-needed');
    const body = wire.requests[1]!.body as Body;
    expect(body.tools).toEqual(TOOLS.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })));
    if (stream) expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'copy a to b' },
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } },
          { id: 'call_b', type: 'function', function: { name: 'write_file', arguments: '{"path":"b.txt","content":"hi \\"there\\""}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'contents' },
      { role: 'tool', tool_call_id: 'call_b', content: 'written' },
    ]);
  });

  it('keeps reasoning text some servers return, without sending it back', async () => {
    const provider = createOpenAiCompatibleProvider({ baseURL: wire.openaiBaseURL, apiKey: 'sk-litellm' });
    wire.push({ turn: { reasoning: { text: 'hmm' }, text: 'ok' } }, { turn: { text: 'ok again' } });
    const first = await provider.complete(request([{ role: 'user', content: [{ type: 'text', text: 'q' }] }]));
    expect(first.message.content[0]).toEqual({ type: 'reasoning', provider: 'openai-compatible', text: 'hmm', data: null });
    await provider.complete(request([{ role: 'user', content: [{ type: 'text', text: 'q' }] }, first.message, { role: 'user', content: [{ type: 'text', text: 'r' }] }]));
    expect(wire.requests[0]!.headers['authorization']).toBe('Bearer sk-litellm');
    expect((wire.requests[1]!.body as Body).messages[2]).toEqual({ role: 'assistant', content: 'ok' });
  });

  it('has no price for a local model unless the user gives one', () => {
    expect(modelCatalog().costOf('openai-compatible', 'qwen3-coder:30b', { input_tokens: 100, output_tokens: 10 })).toBeNull();
  });
});
