// gemini/<model> through Google's @google/genai SDK against the Gemini wire format on 127.0.0.1.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { buildGeminiParams, createGeminiProvider } from '../../../core/agent/llm/gemini.ts';
import { modelCatalog } from '../../../core/agent/llm/catalog.ts';
import { resolveProvider } from '../../../core/agent/llm/resolve.ts';
import { LlmError, type LlmRequest, type StreamEvent } from '../../../core/agent/llm/types.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { startWireServer, type WireServer } from '../../support/wire-server.ts';

const TOOL = { name: 'write_file', description: 'Write a file', parameters: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } };

function request(extra: Partial<LlmRequest> = {}): LlmRequest {
  return { model: 'gemini-2.5-pro', system: 'be brief', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [TOOL], ...extra };
}

let wire: WireServer;
beforeEach(async () => {
  wire = await startWireServer();
});
afterEach(async () => {
  await wire.close();
});

interface GeminiBody {
  systemInstruction?: { parts: { text: string }[] };
  contents: { role: string; parts: Record<string, unknown>[] }[];
  tools?: { functionDeclarations: { name: string; parametersJsonSchema?: unknown }[] }[];
  generationConfig?: { thinkingConfig?: Record<string, unknown>; maxOutputTokens?: number };
}

describe('the Gemini provider', () => {
  it('streams text over SSE with the key in x-goog-api-key and reports usage with cached and thought tokens', async () => {
    const provider = createGeminiProvider({ apiKey: 'g-key', baseURL: wire.url });
    wire.push({ turn: { text: 'hello there', usage: { input: 1000, output: 50, cache_read: 600, reasoning: 20 } } });
    const events: StreamEvent[] = [];
    const response = await provider.complete(request(), (event) => events.push(event));
    expect(response.message.content).toEqual([{ type: 'text', text: 'hello there' }]);
    expect(response.finish_reason).toBe('stop');
    expect(response.usage).toEqual({ input_tokens: 1000, output_tokens: 50, cache_read_tokens: 600, reasoning_tokens: 20 });
    expect(events.filter((e) => e.type === 'text_delta').length).toBe(2);
    const sent = wire.requests[0]!;
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent');
    expect(sent.headers['x-goog-api-key']).toBe('g-key');
    const body = sent.body as GeminiBody;
    expect(body.systemInstruction?.parts[0]?.text).toBe('be brief');
    expect(body.tools?.[0]?.functionDeclarations[0]).toMatchObject({ name: 'write_file', parametersJsonSchema: TOOL.parameters });
  });

  it('returns function calls, and sends their results back as functionResponse parts with the thought signature', async () => {
    const provider = createGeminiProvider({ apiKey: 'k', baseURL: wire.url, stream: false });
    wire.push({ turn: { reasoning: { text: 'plan', signature: 'c2ln' }, tool_calls: [{ id: 'ignored', name: 'write_file', arguments: { file_path: 'a.txt' } }] } });
    const first = await provider.complete(request());
    expect(wire.requests[0]!.path).toBe('/v1beta/models/gemini-2.5-pro:generateContent');
    expect(first.finish_reason).toBe('tool_calls');
    const call = first.message.content.find((p) => p.type === 'tool_call');
    expect(call).toMatchObject({ name: 'write_file', arguments: { file_path: 'a.txt' } });
    expect(first.message.content.some((p) => p.type === 'reasoning' && p.text === 'plan')).toBe(true);

    wire.push({ turn: { text: 'done' } });
    await provider.complete(
      request({ messages: [...request().messages, first.message, { role: 'tool', content: [{ type: 'tool_result', tool_call_id: (call as { id: string }).id, content: 'wrote a.txt' }] }] }),
    );
    const body = wire.requests[1]!.body as GeminiBody;
    expect(body.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    const model = body.contents[1]!.parts;
    expect(model).toContainEqual({ text: 'plan', thought: true });
    expect(model.find((p) => p.functionCall)).toMatchObject({ functionCall: { name: 'write_file', args: { file_path: 'a.txt' } }, thoughtSignature: 'c2ln' });
    expect(body.contents[2]!.parts[0]).toMatchObject({ functionResponse: { name: 'write_file', response: { output: 'wrote a.txt' } } });
  });

  it('maps reasoning_effort to a thinking budget (2.5) or a thinking level (3)', () => {
    expect(buildGeminiParams(request({ reasoning_effort: 'high' })).config?.thinkingConfig).toEqual({ thinkingBudget: 24_576, includeThoughts: true });
    expect(buildGeminiParams(request({ model: 'gemini-3-pro-preview', reasoning_effort: 'low' })).config?.thinkingConfig).toEqual({ thinkingLevel: 'LOW', includeThoughts: true });
    expect(buildGeminiParams(request()).config?.thinkingConfig).toBeUndefined();
  });

  it('retries 429 after the RetryInfo delay and 503 with backoff through the shared policy', async () => {
    const clock = new FakeClock();
    const { provider } = resolveProvider('gemini/gemini-2.5-flash', { GEMINI_API_KEY: 'k', GEMINI_BASE_URL: wire.url }, { retry: { clock, random: () => 0.5, maxAttempts: 3 } });
    wire.push({ fault: { status: 429, retryAfter: '7' } }, { fault: { status: 503 } }, { turn: { text: 'ok' } });
    const response = await provider.complete(request({ model: 'gemini-2.5-flash' }));
    expect(response.message.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(clock.sleeps[0]).toBe(7000);
    expect(clock.sleeps).toHaveLength(2);
    expect(wire.requests).toHaveLength(3);
  });

  it('maps a 400 to a terminal invalid_request with Google\'s message, and a cut stream to stream_cut', async () => {
    const provider = createGeminiProvider({ apiKey: 'k', baseURL: wire.url });
    wire.push({ fault: { status: 400, message: 'bad schema' } });
    const error = await provider.complete(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ kind: 'invalid_request', terminal: true, status: 400 });
    expect((error as Error).message).toContain('bad schema');

    wire.push({ turn: { text: 'a long answer' }, cut: { afterEvents: 1, mode: 'end' } });
    await expect(provider.complete(request())).rejects.toMatchObject({ kind: 'stream_cut' });
  });

  it('reads GEMINI_API_KEY or GOOGLE_API_KEY, refuses neither, and has prices', async () => {
    expect(() => resolveProvider('gemini/gemini-2.5-pro', {})).toThrow(/GEMINI_API_KEY \(or GOOGLE_API_KEY\)/);
    const { provider, model } = resolveProvider('gemini/gemini-2.5-pro', { GOOGLE_API_KEY: 'google-key', GEMINI_BASE_URL: wire.url }, { retry: false });
    expect(provider.name).toBe('gemini');
    wire.push({ turn: { text: 'x' } });
    await provider.complete(request({ model }));
    expect(wire.requests[0]!.headers['x-goog-api-key']).toBe('google-key');
    expect(modelCatalog().costOf('gemini', 'gemini-2.5-pro', { input_tokens: 1_000_000, output_tokens: 0, cache_read_tokens: 0 })).toBeCloseTo(1.25);
  });
});
