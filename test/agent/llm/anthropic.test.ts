// The Anthropic provider at the wire: the real SDK against the wire server.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { buildAnthropicParams, createAnthropicProvider } from '../../../core/agent/llm/anthropic.ts';
import { modelCatalog } from '../../../core/agent/llm/catalog.ts';
import type { LlmRequest, Message, StreamEvent } from '../../../core/agent/llm/types.ts';
import { startWireServer, type WireServer } from '../../support/wire-server.ts';

const TOOLS = [
  { name: 'read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
  { name: 'bash', description: 'Run a command', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } },
];

function request(messages: Message[], extra: Partial<LlmRequest> = {}): LlmRequest {
  return { model: 'claude-opus-4-6', system: 'You are a coding agent.', messages, tools: TOOLS, ...extra };
}

type Body = {
  system: { text: string; cache_control?: unknown }[];
  tools: { name: string; input_schema: unknown; cache_control?: unknown }[];
  messages: { role: string; content: { type: string; cache_control?: unknown; [key: string]: unknown }[] }[];
  thinking?: unknown;
  output_config?: unknown;
  max_tokens: number;
  stream?: boolean;
};

function cacheMarkedBlocks(body: Body): string[] {
  return body.messages.flatMap((message, m) => message.content.flatMap((block, b) => (block.cache_control ? [`${m}.${b}`] : [])));
}

describe('anthropic provider at the wire', () => {
  let wire: WireServer;
  beforeEach(async () => {
    wire = await startWireServer();
  });
  afterEach(async () => {
    await wire.close();
  });

  it.each([true, false])('runs a tool-using multi-turn session (stream: %s) with thinking carried and cache breakpoints', async (stream) => {
    const provider = createAnthropicProvider({ apiKey: 'sk-ant-test', baseURL: wire.url, stream });
    wire.push(
      {
        turn: {
          reasoning: { text: 'I should read the file first.', signature: 'sig-abc' },
          text: 'Reading it.',
          tool_calls: [{ id: 'toolu_1', name: 'read', arguments: { path: 'README.md' } }],
          usage: { input: 1200, output: 40, cache_write: 1100 },
        },
      },
      { turn: { text: 'The README says hello.', usage: { input: 1300, output: 12, cache_read: 1100, cache_write: 150 } } },
    );

    const events: StreamEvent[] = [];
    const history: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'What does the README say?' }] }];
    const first = await provider.complete(request(history, { reasoning_effort: 'medium' }), (event) => events.push(event));

    expect(first.finish_reason).toBe('tool_calls');
    expect(first.message.content).toEqual([
      { type: 'reasoning', provider: 'anthropic', text: 'I should read the file first.', data: { type: 'thinking', thinking: 'I should read the file first.', signature: 'sig-abc' } },
      { type: 'text', text: 'Reading it.' },
      { type: 'tool_call', id: 'toolu_1', name: 'read', arguments: { path: 'README.md' } },
    ]);
    expect(first.usage).toEqual({ input_tokens: 1200, output_tokens: 40, cache_read_tokens: 0, cache_write_tokens: 1100 });
    if (stream) {
      expect(events.filter((e) => e.type === 'text_delta').map((e) => (e as { text: string }).text).join('')).toBe('Reading it.');
      expect(events).toContainEqual({ type: 'tool_call', id: 'toolu_1', name: 'read' });
      expect(events.some((e) => e.type === 'reasoning_delta')).toBe(true);
    } else {
      expect(events).toEqual([]);
    }

    history.push(first.message, { role: 'tool', content: [{ type: 'tool_result', tool_call_id: 'toolu_1', content: '# hello' }] });
    const second = await provider.complete(request(history, { reasoning_effort: 'medium' }));
    expect(second.finish_reason).toBe('stop');
    expect(second.message.content).toEqual([{ type: 'text', text: 'The README says hello.' }]);
    // Anthropic reports 50 uncached + 1100 read + 150 written; ours counts all 1300 as input.
    expect(second.usage).toEqual({ input_tokens: 1300, output_tokens: 12, cache_read_tokens: 1100, cache_write_tokens: 150 });

    expect(wire.requests).toHaveLength(2);
    const [one, two] = wire.requests.map((r) => r.body as Body);
    expect(wire.requests[0]!.path).toBe('/v1/messages');
    // SDK 1.x sends the API key as a bearer token.
    expect(wire.requests[0]!.headers['authorization']).toBe('Bearer sk-ant-test');
    expect(one!.stream).toBe(stream ? true : undefined);

    // Stable prefix: the last tool and the system prompt carry breakpoints.
    expect(two!.tools.map((t) => Boolean(t.cache_control))).toEqual([false, true]);
    expect(two!.tools[0]).toEqual({ name: 'read', description: 'Read a file', input_schema: TOOLS[0]!.parameters });
    expect(two!.system).toEqual([{ type: 'text', text: 'You are a coding agent.', cache_control: { type: 'ephemeral' } }]);
    // The moving breakpoint sits on the last block of the last message, and only there.
    expect(cacheMarkedBlocks(one!)).toEqual(['0.0']);
    expect(cacheMarkedBlocks(two!)).toEqual(['2.0']);

    expect(two!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    // The thinking block goes back exactly as received, signature included, before text and tool_use.
    expect(two!.messages[1]!.content).toEqual([
      { type: 'thinking', thinking: 'I should read the file first.', signature: 'sig-abc' },
      { type: 'text', text: 'Reading it.' },
      { type: 'tool_use', id: 'toolu_1', name: 'read', input: { path: 'README.md' } },
    ]);
    expect(two!.messages[2]!.content).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_1', content: '# hello', cache_control: { type: 'ephemeral' } }]);

    // Opus 4.6 takes adaptive thinking with an effort level.
    expect(two!.thinking).toEqual({ type: 'adaptive' });
    expect(two!.output_config).toEqual({ effort: 'medium' });

    const cost = modelCatalog().costOf('anthropic', 'claude-opus-4-6', second.usage);
    // 50 uncached × $5 + 1100 read × $0.50 + 150 written × $6.25 + 12 out × $25, per million.
    expect(cost).toBeCloseTo((50 * 5 + 1100 * 0.5 + 150 * 6.25 + 12 * 25) / 1e6, 12);
  });

  it('merges tool results and a following user message into one user turn, and flags error results', async () => {
    const provider = createAnthropicProvider({ apiKey: 'k', baseURL: wire.url });
    wire.push({ turn: { text: 'ok' } });
    await provider.complete(
      request([
        { role: 'user', content: [{ type: 'text', text: 'go' }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 't1', name: 'bash', arguments: { command: 'false' } }] },
        { role: 'tool', content: [{ type: 'tool_result', tool_call_id: 't1', content: 'exit 1', is_error: true }] },
        { role: 'user', content: [{ type: 'text', text: 'steer: try again' }] },
      ]),
    );
    const body = wire.requests[0]!.body as Body;
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(body.messages[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 't1', content: 'exit 1', is_error: true },
      { type: 'text', text: 'steer: try again', cache_control: { type: 'ephemeral' } },
    ]);
  });

  it('drops reasoning from other providers, which Anthropic could not verify', () => {
    const params = buildAnthropicParams(
      request([
        { role: 'user', content: [{ type: 'text', text: 'go' }] },
        { role: 'assistant', content: [{ type: 'reasoning', provider: 'openai', data: { type: 'reasoning', id: 'rs_1' } }, { type: 'text', text: 'done' }] },
        { role: 'user', content: [{ type: 'text', text: 'next' }] },
      ]),
      {},
    );
    expect(params.messages[1]!.content).toEqual([{ type: 'text', text: 'done' }]);
  });

  it('places no breakpoints when automatic caching is turned off', () => {
    const params = buildAnthropicParams(request([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]), { autoCache: false });
    expect(JSON.stringify(params)).not.toContain('cache_control');
  });

  it('maps reasoning_effort to a thinking budget on models before adaptive thinking', () => {
    const params = buildAnthropicParams(request([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], { model: 'claude-haiku-4-5', reasoning_effort: 'high', max_tokens: 8000 }), {});
    expect(params.thinking).toEqual({ type: 'enabled', budget_tokens: 24_576 });
    expect(params.output_config).toBeUndefined();
    // max_tokens must exceed the budget, with room for the answer.
    expect(params.max_tokens).toBe(24_576 + 4096);

    const dated = buildAnthropicParams(request([], { model: 'claude-sonnet-4-20250514', reasoning_effort: 'low' }), {});
    expect(dated.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });

    const none = buildAnthropicParams(request([], { model: 'claude-opus-4-6' }), {});
    expect(none.thinking).toBeUndefined();
    expect(none.output_config).toBeUndefined();
  });

  it('keeps redacted thinking opaque and sends it back unchanged', async () => {
    const provider = createAnthropicProvider({ apiKey: 'k', baseURL: wire.url });
    wire.push({ turn: { text: 'fine' } });
    const redacted = { type: 'redacted_thinking', data: 'opaque-bytes' };
    await provider.complete(
      request([
        { role: 'user', content: [{ type: 'text', text: 'a' }] },
        { role: 'assistant', content: [{ type: 'reasoning', provider: 'anthropic', data: redacted }, { type: 'text', text: 'b' }] },
        { role: 'user', content: [{ type: 'text', text: 'c' }] },
      ]),
    );
    expect((wire.requests[0]!.body as Body).messages[1]!.content[0]).toEqual(redacted);
  });
});

describe('anthropic prompt caching over a long loop', () => {
  let wire: WireServer;
  beforeEach(async () => {
    wire = await startWireServer({ simulateAnthropicCache: true });
  });
  afterEach(async () => {
    await wire.close();
  });

  async function runLoop(autoCache: boolean, turns: number) {
    const provider = createAnthropicProvider({ apiKey: 'k', baseURL: wire.url, autoCache });
    const history: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'Implement the spec.' }] }];
    const usages = [];
    for (let turn = 1; turn <= turns; turn++) {
      wire.push({ turn: { text: `Step ${turn}.`, tool_calls: [{ id: `t${turn}`, name: 'bash', arguments: { command: `make step${turn}` } }] } });
      const response = await provider.complete(request(history, { system: 'You are a coding agent. '.repeat(200) }));
      usages.push(response.usage);
      history.push(response.message, { role: 'tool', content: [{ type: 'tool_result', tool_call_id: `t${turn}`, content: `output of step ${turn}\n`.repeat(20) }] });
    }
    return usages;
  }

  it('reads each previous request from cache through the moving breakpoint', async () => {
    const usages = await runLoop(true, 20);
    expect(usages[0]!.cache_read_tokens).toBe(0);
    expect(usages[0]!.cache_write_tokens).toBe(usages[0]!.input_tokens);
    for (let turn = 1; turn < usages.length; turn++) {
      // Everything the previous request sent is now a cached prefix; only the new turn is written.
      expect(usages[turn]!.cache_read_tokens).toBe(usages[turn - 1]!.input_tokens);
      expect(usages[turn]!.cache_write_tokens).toBe(usages[turn]!.input_tokens - usages[turn - 1]!.input_tokens);
    }
    const input = usages.reduce((sum, u) => sum + u.input_tokens, 0);
    const read = usages.reduce((sum, u) => sum + (u.cache_read_tokens ?? 0), 0);
    expect(read / input).toBeGreaterThanOrEqual(0.8);
  });

  it('reads nothing from cache without breakpoints', async () => {
    const usages = await runLoop(false, 3);
    expect(usages.map((u) => u.cache_read_tokens)).toEqual([0, 0, 0]);
  });
});
