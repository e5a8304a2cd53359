// Model strings → providers; keys and base URLs from the environment; missing keys refused up front.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { resolveProvider } from '../../../core/agent/llm/resolve.ts';
import { LlmError, type LlmRequest } from '../../../core/agent/llm/types.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { startWireServer, type WireServer } from '../../support/wire-server.ts';

const REQUEST: Omit<LlmRequest, 'model'> = { system: 's', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [] };

function refusal(spec: string, env: Record<string, string>): LlmError {
  try {
    resolveProvider(spec, env);
  } catch (error) {
    expect(error).toBeInstanceOf(LlmError);
    return error as LlmError;
  }
  throw new Error(`expected ${spec} to be refused`);
}

describe('resolveProvider', () => {
  let wire: WireServer;
  beforeEach(async () => {
    wire = await startWireServer();
  });
  afterEach(async () => {
    await wire.close();
  });

  it.each([
    ['anthropic/claude-opus-4-6', { ANTHROPIC_BASE_URL: 'URL' }, 'ANTHROPIC_API_KEY'],
    ['openai/gpt-5.2', { OPENAI_BASE_URL: 'URL/v1' }, 'OPENAI_API_KEY'],
    ['openai-compatible/llama3', { OPENAI_API_KEY: 'k' }, 'OPENAI_BASE_URL'],
    ['anthropic/claude-opus-4-6', { ANTHROPIC_API_KEY: '  ', ANTHROPIC_BASE_URL: 'URL' }, 'ANTHROPIC_API_KEY'],
  ])('refuses %s without %j before any request', (spec, env, missing) => {
    const withUrl = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('URL', wire.url)]));
    const error = refusal(spec, withUrl);
    expect(error).toMatchObject({ kind: 'configuration', terminal: true });
    expect(error.message).toContain(missing);
    expect(error.message).toContain(spec);
    expect(wire.requests).toHaveLength(0);
  });

  it.each([
    ['mistral/large-3', /unknown provider mistral/],
    ['anthropic', /expected <provider>\/<model>/],
    ['openai/', /expected <provider>\/<model>/],
    ['scripted:', /name the script file/],
  ])('refuses the malformed spec %s', (spec, message) => {
    const error = refusal(spec, { ANTHROPIC_API_KEY: 'k', OPENAI_API_KEY: 'k' });
    expect(error.kind).toBe('configuration');
    expect(error.message).toMatch(message);
  });

  it('builds an Anthropic provider from ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL', async () => {
    const { provider, model } = resolveProvider('anthropic/claude-opus-4-6', { ANTHROPIC_API_KEY: 'sk-env', ANTHROPIC_BASE_URL: wire.url });
    expect(provider.name).toBe('anthropic');
    expect(model).toBe('claude-opus-4-6');
    wire.push({ turn: { text: 'hello' } });
    await provider.complete({ ...REQUEST, model });
    expect(wire.requests[0]).toMatchObject({ path: '/v1/messages', headers: { authorization: 'Bearer sk-env' } });
  });

  it('builds an OpenAI provider from OPENAI_API_KEY and OPENAI_BASE_URL', async () => {
    const { provider, model } = resolveProvider('openai/gpt-5.2', { OPENAI_API_KEY: 'sk-oa', OPENAI_BASE_URL: wire.openaiBaseURL });
    wire.push({ turn: { text: 'hello' } });
    await provider.complete({ ...REQUEST, model });
    expect(wire.requests[0]).toMatchObject({ path: '/v1/responses', headers: { authorization: 'Bearer sk-oa' }, body: { model: 'gpt-5.2' } });
  });

  it('lets openai-compatible run without a key and keeps slashes in the model name', async () => {
    const { provider, model } = resolveProvider('openai-compatible/meta-llama/Llama-3.3-70B', { OPENAI_BASE_URL: wire.openaiBaseURL });
    expect(model).toBe('meta-llama/Llama-3.3-70B');
    wire.push({ turn: { text: 'hello' } });
    await provider.complete({ ...REQUEST, model });
    expect(wire.requests[0]).toMatchObject({ path: '/v1/chat/completions', body: { model: 'meta-llama/Llama-3.3-70B' } });
  });

  it('wraps network providers in the retry policy unless told not to', async () => {
    const clock = new FakeClock();
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: wire.url };
    const retried = resolveProvider('anthropic/claude-opus-4-6', env, { retry: { clock, random: () => 0.5 } });
    wire.push({ fault: { status: 429, retryAfter: '2' } }, { turn: { text: 'ok' } });
    await retried.provider.complete({ ...REQUEST, model: retried.model });
    expect(clock.sleeps).toEqual([2000]);

    const bare = resolveProvider('anthropic/claude-opus-4-6', env, { retry: false });
    wire.push({ fault: { status: 429, retryAfter: '2' } });
    await expect(bare.provider.complete({ ...REQUEST, model: bare.model })).rejects.toMatchObject({ kind: 'rate_limit' });
    expect(clock.sleeps).toEqual([2000]);
  });
});
