// The scripted provider replays a file of turns exactly, per stage, and refuses bad files up front.
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { modelCatalog } from '../../../core/agent/llm/catalog.ts';
import { resolveProvider } from '../../../core/agent/llm/resolve.ts';
import { estimateTokens, loadScriptedProvider } from '../../../core/agent/llm/scripted.ts';
import { LlmError, type LlmRequest, type StreamEvent } from '../../../core/agent/llm/types.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/scripted/${name}`, import.meta.url));

function request(stage: string | undefined, text = 'go'): LlmRequest {
  return { model: 'scripted', system: 'sys', messages: [{ role: 'user', content: [{ type: 'text', text }] }], tools: [], ...(stage ? { stage } : {}) };
}

function configurationError(file: string): LlmError {
  try {
    loadScriptedProvider(file);
  } catch (error) {
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe('configuration');
    return error as LlmError;
  }
  throw new Error('expected a configuration error');
}

describe('scripted provider', () => {
  it('replays each stage its own turns, in order, exactly', async () => {
    const provider = loadScriptedProvider(fixture('two-stages.json'));
    const events: StreamEvent[] = [];

    const implement1 = await provider.complete(request('implement'), (event) => events.push(event));
    const review1 = await provider.complete(request('review'));
    const implement2 = await provider.complete(request('implement'));
    const review2 = await provider.complete(request('review'));
    const other = await provider.complete(request('unscripted_node'));

    expect(implement1.message).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Writing the file.' },
        { type: 'tool_call', id: 'w1', name: 'write', arguments: { path: 'hello.txt', content: 'hi\n' } },
      ],
    });
    expect(implement1.finish_reason).toBe('tool_calls');
    expect(events).toEqual([
      { type: 'text_delta', text: 'Writing the file.' },
      { type: 'tool_call', id: 'w1', name: 'write' },
    ]);
    // Ids left out of the file are generated deterministically.
    expect(review1.message.content).toEqual([
      { type: 'reasoning', provider: 'scripted', text: 'Check the file.', data: null },
      { type: 'tool_call', id: 'call_review_1_1', name: 'read', arguments: { path: 'hello.txt' } },
      { type: 'tool_call', id: 'call_review_1_2', name: 'bash', arguments: { command: 'cat hello.txt' } },
    ]);
    expect(implement2.message.content).toEqual([{ type: 'text', text: 'Done.' }]);
    expect(implement2.finish_reason).toBe('stop');
    expect(review2.message.content).toEqual([{ type: 'text', text: 'Looks right.' }]);
    expect(other.message.content).toEqual([{ type: 'text', text: 'default stage answer' }]);
  });

  it('reports usage from the file, or estimates ceil(chars / 4)', async () => {
    const provider = loadScriptedProvider(fixture('two-stages.json'));
    const first = await provider.complete(request('implement'));
    const second = await provider.complete(request('implement'));
    expect(second.usage).toEqual({ input_tokens: 500, output_tokens: 20, cache_read_tokens: 400 });

    const input = request('implement');
    expect(first.usage.input_tokens).toBe(estimateTokens(input.system + JSON.stringify(input.messages) + JSON.stringify(input.tools)));
    expect(first.usage.output_tokens).toBeGreaterThan(0);
    expect(estimateTokens('abcde')).toBe(2);
    // Scripted turns are free, and known to be.
    expect(modelCatalog().costOf('scripted', 'scripted', first.usage)).toBe(0);
  });

  it('replays a plain list for every stage, including the finish reason given', async () => {
    const provider = loadScriptedProvider(fixture('plain-list.json'));
    expect((await provider.complete(request('a'))).message.content).toEqual([{ type: 'text', text: 'first' }]);
    expect((await provider.complete(request('b'))).message.content).toEqual([{ type: 'tool_call', id: 'c1', name: 'bash', arguments: { command: 'ls' } }]);
    expect((await provider.complete(request(undefined))).finish_reason).toBe('length');
  });

  it('running out of turns is an invalid_request naming the file and the stage', async () => {
    const file = fixture('two-stages.json');
    const provider = loadScriptedProvider(file);
    await provider.complete(request('review'));
    await provider.complete(request('review'));
    await expect(provider.complete(request('review'))).rejects.toMatchObject({ kind: 'invalid_request', terminal: true });
    await expect(provider.complete(request('review'))).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*stage review`));
  });

  it('rejects a bad file naming the file and the field', () => {
    const error = configurationError(fixture('bad-turn.json'));
    expect(error.message).toContain('bad-turn.json');
    expect(error.message).toContain('stages.implement[1].tool_calls[0].name');

    expect(configurationError(fixture('unknown-field.json')).message).toMatch(/unknown-field\.json.*tool_call/);
    expect(configurationError(fixture('not-json.json')).message).toMatch(/not-json\.json:\d+:\d+: invalid JSON: /);
    expect(configurationError(fixture('missing.json')).message).toMatch(/cannot read .*missing\.json/);
  });

  it('is selected with scripted:<file>', async () => {
    const { provider, model } = resolveProvider(`scripted:${fixture('plain-list.json')}`, {});
    expect(provider.name).toBe('scripted');
    expect(model).toBe('scripted');
    expect((await provider.complete(request(undefined))).message.content).toEqual([{ type: 'text', text: 'first' }]);
  });
});
