// Injected failures at the wire, through the real SDKs: each is mapped to the taxonomy and either
// retried by the one retry policy (waits asserted on a fake clock) or failed at once.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as AnthropicSdk from '@anthropic-ai/sdk';
import * as OpenAiSdk from 'openai';
import { createAnthropicProvider } from '../../../core/agent/llm/anthropic.ts';
import { retryAfterMs, toLlmError } from '../../../core/agent/llm/errors.ts';
import { createOpenAiCompatibleProvider } from '../../../core/agent/llm/openai-compatible.ts';
import { createOpenAiResponsesProvider } from '../../../core/agent/llm/openai-responses.ts';
import { withRetries, type RetryOptions } from '../../../core/agent/llm/retrying.ts';
import { LlmError, type LlmProvider, type LlmRequest } from '../../../core/agent/llm/types.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { startWireServer, type WireFault, type WireServer } from '../../support/wire-server.ts';

const REQUEST: LlmRequest = { model: 'm-test', system: 'sys', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [] };
const BACKOFF = { initial_delay_ms: 1000, backoff_factor: 2, max_delay_ms: 60_000, jitter: true };
// random() = 0.5 makes the jitter factor exactly 1, so backoff delays are exact.
const NO_JITTER = () => 0.5;

type ProviderName = 'anthropic' | 'openai' | 'openai-compatible';
const PROVIDERS: ProviderName[] = ['anthropic', 'openai', 'openai-compatible'];

function bare(name: ProviderName, wire: WireServer, clock: FakeClock): LlmProvider {
  if (name === 'anthropic') return createAnthropicProvider({ apiKey: 'k', baseURL: wire.url, now: clock.now });
  if (name === 'openai') return createOpenAiResponsesProvider({ apiKey: 'k', baseURL: wire.openaiBaseURL, now: clock.now });
  return createOpenAiCompatibleProvider({ baseURL: wire.openaiBaseURL, now: clock.now });
}

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LlmError);
    return error as LlmError;
  }
  throw new Error('expected the call to fail');
}

describe.each(PROVIDERS)('%s failures at the wire', (name) => {
  let wire: WireServer;
  let clock: FakeClock;
  beforeEach(async () => {
    wire = await startWireServer();
    clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  });
  afterEach(async () => {
    await wire.close();
  });

  const retrying = (options: RetryOptions = {}) => withRetries(bare(name, wire, clock), { clock, random: NO_JITTER, backoff: BACKOFF, ...options });

  it('waits exactly the Retry-After seconds of a 429, then succeeds', async () => {
    wire.push({ fault: { status: 429, retryAfter: '7', message: 'slow down please' } }, { turn: { text: 'ok' } });
    const response = await retrying().complete(REQUEST);
    expect(response.message.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(clock.sleeps).toEqual([7000]);
    expect(wire.requests).toHaveLength(2);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const at = new Date(clock.now() + 12_000).toUTCString();
    wire.push({ fault: { status: 429, retryAfter: at } }, { turn: { text: 'ok' } });
    await retrying().complete(REQUEST);
    expect(clock.sleeps).toEqual([12_000]);
  });

  it('maps a 429 to rate_limit with the provider message and retryAfterMs', async () => {
    wire.push({ fault: { status: 429, retryAfter: '3', message: 'tokens per minute exceeded' } });
    const error = await failure(bare(name, wire, clock).complete(REQUEST));
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: true, terminal: false, status: 429, retryAfterMs: 3000, provider: name });
    expect(error.message).toContain('tokens per minute exceeded');
  });

  it('does not wait out a Retry-After beyond the backoff cap', async () => {
    wire.push({ fault: { status: 429, retryAfter: '3600' } });
    const error = await failure(retrying().complete(REQUEST));
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 3_600_000 });
    expect(clock.sleeps).toEqual([]);
    expect(wire.requests).toHaveLength(1);
  });

  it('retries a 500 with exponential backoff and gives up after maxAttempts', async () => {
    wire.push({ fault: { status: 500 } }, { fault: { status: 500 } }, { fault: { status: 500, message: 'still broken' } });
    const error = await failure(retrying({ maxAttempts: 3 }).complete(REQUEST));
    expect(error).toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(error.message).toContain('still broken');
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(wire.requests).toHaveLength(3);
  });

  const terminal: [WireFault['status'], string, string][] = [
    [400, 'invalid_request', 'messages: field required'],
    [401, 'authentication', 'invalid x-api-key'],
    [403, 'permission', 'not allowed to use this model'],
    [404, 'not_found', 'model m-test does not exist'],
  ];
  it.each(terminal)('fails a %i at once as terminal %s with the provider message', async (status, kind, message) => {
    wire.push({ fault: { status, message } }, { turn: { text: 'never reached' } });
    const error = await failure(retrying().complete(REQUEST));
    expect(error).toMatchObject({ kind, status, retryable: false, terminal: true });
    expect(error.message).toContain(message);
    expect(clock.sleeps).toEqual([]);
    expect(wire.requests).toHaveLength(1);
  });

  it('recognises a context-length 400', async () => {
    wire.push({ fault: { status: 400, message: 'prompt is too long: 250000 tokens > 200000 maximum' } });
    expect(await failure(retrying().complete(REQUEST))).toMatchObject({ kind: 'context_length', terminal: true });
  });

  it.each(['destroy', 'end'] as const)('retries a stream cut mid-way (%s) and then succeeds', async (mode) => {
    wire.push({ turn: { text: 'a long answer that never finishes' }, cut: { afterEvents: 3, mode } }, { turn: { text: 'complete answer' } });
    const response = await retrying().complete(REQUEST);
    expect(response.message.content).toEqual([{ type: 'text', text: 'complete answer' }]);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('fails cleanly with stream_cut when no retries are left', async () => {
    wire.push({ turn: { text: 'a long answer that never finishes' }, cut: { afterEvents: 3 } });
    const error = await failure(retrying({ maxAttempts: 1 }).complete(REQUEST));
    expect(error).toMatchObject({ kind: 'stream_cut', retryable: true, provider: name });
  });

  it('never retries an aborted request', async () => {
    const controller = new AbortController();
    controller.abort();
    wire.push({ turn: { text: 'unused' } });
    const error = await failure(retrying().complete({ ...REQUEST, signal: controller.signal }));
    expect(error).toMatchObject({ kind: 'aborted', terminal: true });
    expect(clock.sleeps).toEqual([]);
  });
});

describe('provider-specific faults', () => {
  let wire: WireServer;
  let clock: FakeClock;
  beforeEach(async () => {
    wire = await startWireServer();
    clock = new FakeClock();
  });
  afterEach(async () => {
    await wire.close();
  });

  it('maps Anthropic 529 overloaded_error to overloaded and retries it', async () => {
    wire.push({ fault: { status: 529 } }, { turn: { text: 'ok' } });
    const provider = withRetries(createAnthropicProvider({ apiKey: 'k', baseURL: wire.url }), { clock, random: NO_JITTER, backoff: BACKOFF });
    await provider.complete({ ...REQUEST, model: 'claude-opus-4-6' });
    expect(clock.sleeps).toEqual([1000]);

    wire.push({ fault: { status: 529 } });
    const error = await failure(createAnthropicProvider({ apiKey: 'k', baseURL: wire.url }).complete({ ...REQUEST, model: 'claude-opus-4-6' }));
    expect(error).toMatchObject({ kind: 'overloaded', status: 529, retryable: true });
    expect(error.message).toContain('Overloaded');
  });

  it("honours OpenAI's retry-after-ms header", async () => {
    const fault: WireFault = { status: 429, retryAfterMs: '250' };
    wire.push({ fault }, { turn: { text: 'ok' } });
    await withRetries(createOpenAiResponsesProvider({ apiKey: 'k', baseURL: wire.openaiBaseURL }), { clock, random: NO_JITTER }).complete(REQUEST);
    expect(clock.sleeps).toEqual([250]);
  });

  it('maps a refused connection to a retryable network error', async () => {
    const url = wire.url;
    await wire.close();
    wire = await startWireServer();
    const error = await failure(createAnthropicProvider({ apiKey: 'k', baseURL: url }).complete(REQUEST));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 0, 1);
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': new Date(now + 30_000).toUTCString() }, 30_000],
    [{ 'retry-after': new Date(now - 30_000).toUTCString() }, 0],
    [{ 'retry-after-ms': '120', 'retry-after': '9' }, 120],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(retryAfterMs(new Headers(headers as Record<string, string>), now)).toBe(expected);
  });
});

describe('errors raised inside a stream', () => {
  it('maps an Anthropic error event by its error type', () => {
    const event = new AnthropicSdk.APIError(undefined, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, new Headers());
    expect(toLlmError(event, 'anthropic')).toMatchObject({ kind: 'overloaded', retryable: true });
    const invalid = new AnthropicSdk.APIError(undefined, { type: 'error', error: { type: 'invalid_request_error', message: 'bad block' } }, undefined, new Headers());
    expect(toLlmError(invalid, 'anthropic')).toMatchObject({ kind: 'invalid_request', terminal: true });
  });

  it('maps an OpenAI error event by its type, defaulting to a retryable server error', () => {
    const event = new OpenAiSdk.APIError(undefined, { message: 'The server had an error', type: 'server_error', code: null }, undefined, new Headers());
    const error = toLlmError(event, 'openai');
    expect(error).toMatchObject({ kind: 'server', retryable: true });
    expect(error.message).toContain('The server had an error');
  });
});

describe('withRetries and abort', () => {
  it('stops waiting when the request is aborted during a backoff', async () => {
    const controller = new AbortController();
    const failing: LlmProvider = {
      name: 'flaky',
      complete: async () => {
        controller.abort();
        throw new LlmError('server', 'flaky: down', { provider: 'flaky' });
      },
    };
    const error = await failure(withRetries(failing, { clock: new FakeClock(), random: NO_JITTER }).complete({ ...REQUEST, signal: controller.signal }));
    expect(error.kind).toBe('aborted');
  });
});
