import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionEnvironment } from '../../core/agent/env/environment.ts';
import type { AgentEvent } from '../../core/agent/loop/agent-events.ts';
import { Budget, BudgetExhaustedError } from '../../core/agent/loop/budget.ts';
import { isLooping } from '../../core/agent/loop/loop-detection.ts';
import { Session, type SessionOptions } from '../../core/agent/loop/session.ts';
import { toolSetFor } from '../../core/agent/tools/tool-set.ts';
import { isTerminalError } from '../../core/engine/errors.ts';
import { lastUserText, replay, tempDir, toolResults, type Turn } from './helpers.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

function session(turns: Turn[], extra: Partial<SessionOptions> = {}) {
  const provider = replay(turns);
  const env = new ExecutionEnvironment({ root: dir.path, env: { PATH: process.env.PATH } });
  const s = new Session({ provider, model: 'm', system: 'sys', tools: toolSetFor('portable'), env, ...extra });
  return { s, provider };
}

function collect() {
  const events: AgentEvent[] = [];
  return { events, onEvent: (e: AgentEvent) => events.push(e) };
}

describe('the agent loop', () => {
  it('runs tool calls, feeds results back, and ends when the model stops calling tools', async () => {
    const { s, provider } = session([
      { calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'hi' } }] },
      { calls: [{ name: 'shell', args: { command: 'cat a.txt' } }] },
      { text: 'all done' },
    ]);
    const { events, onEvent } = collect();
    const result = await s.run('go', { onEvent });
    expect(result).toMatchObject({ stopReason: 'completed', finalText: 'all done', turns: 3, toolCalls: 2 });
    expect(result.usage).toMatchObject({ input_tokens: 300, output_tokens: 30 });
    expect(readFileSync(join(dir.path, 'a.txt'), 'utf8')).toBe('hi');
    expect(toolResults(provider.requests[2]).map((r) => r.content)).toEqual(['wrote 2 characters to a.txt', 'hi\n[exit code 0]']);
    expect(events.filter((e) => e.type === 'agent_turn')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'agent_tool_call').map((e) => (e as { tool: string }).tool)).toEqual(['write_file', 'shell']);
  });

  it('returns bad arguments and unknown tools to the model as errors instead of crashing', async () => {
    const { s, provider } = session([{ calls: [{ name: 'write_file', args: { path: 3 } }, { name: 'nope', args: {} }, { name: 'read_file', args: { path: '../x' } }] }, { text: 'ok' }]);
    const result = await s.run('go');
    expect(result.stopReason).toBe('completed');
    const results = toolResults(provider.requests[1]);
    expect(results.every((r) => r.isError)).toBe(true);
    expect(results[0]!.content).toMatch(/invalid arguments for write_file: path: .*string/);
    expect(results[1]!.content).toMatch(/unknown tool "nope"/);
    expect(results[2]!.content).toMatch(/outside the workspace/);
  });

  it('truncates long output for the model and keeps the full text in the event', async () => {
    const { s, provider } = session([{ calls: [{ name: 'shell', args: { command: 'seq 1 5000' } }] }, { text: 'ok' }]);
    const { events, onEvent } = collect();
    await s.run('go', { onEvent });
    const seen = toolResults(provider.requests[1])[0]!.content;
    expect(seen).toContain('lines omitted');
    expect(seen).not.toContain('\n2500\n');
    const event = events.find((e) => e.type === 'agent_tool_call') as Extract<AgentEvent, { type: 'agent_tool_call' }>;
    expect(event.truncated).toBe(true);
    expect(event.output).toContain('\n2500\n');
    expect(event.output.split('\n')).toHaveLength(5001); // 5000 numbers and the exit status
  });

  it('warns about a repeated identical call, then stops if it continues', async () => {
    const same = { calls: [{ name: 'read_file', args: { path: 'x.txt' } }] };
    const { s, provider } = session(Array.from({ length: 10 }, () => same));
    const { events, onEvent } = collect();
    const result = await s.run('go', { onEvent });
    expect(result.stopReason).toBe('loop');
    expect(result.turns).toBe(6);
    expect(lastUserText(provider.requests[3])).toMatch(/same tool call\(s\) 3 times/);
    expect(events.filter((e) => e.type === 'agent_notice').map((e) => (e as { kind: string }).kind)).toEqual(['loop_warning', 'loop_stop']);
  });

  it('detects cycles of two calls and ignores varied calls', () => {
    expect(isLooping(['a', 'b', 'a', 'b', 'a', 'b'])).toBe(true);
    expect(isLooping(['a', 'b', 'c', 'a', 'b', 'd'])).toBe(false);
    expect(isLooping(['a', 'a'])).toBe(false);
  });

  it('stops at the turn limit and at the tool call limit', async () => {
    const turns = Array.from({ length: 10 }, (_, i) => ({ calls: [{ name: 'glob', args: { pattern: `*${i}` } }] }));
    expect((await session(turns).s.run('go', { maxTurns: 4 })).stopReason).toBe('max_turns');
    const limited = await session(turns).s.run('go', { maxToolCalls: 2 });
    expect(limited).toMatchObject({ stopReason: 'max_tool_calls', toolCalls: 2 });
  });

  it('injects steering messages before the next model turn', async () => {
    const { s, provider } = session([{ calls: [{ name: 'glob', args: { pattern: '*' } }] }, { text: 'ok' }]);
    s.steer('focus on tests');
    await s.run('go');
    expect(lastUserText(provider.requests[0])).toBe('focus on tests');
    s.steer('now the docs');
    await s.run('again');
    const last = provider.requests[provider.requests.length - 1]!;
    expect(last.messages.slice(-2).map((m) => (m.content[0] as { text: string }).text)).toEqual(['again', 'now the docs']);
  });

  it('throws the abort reason when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by test'));
    await expect(session([{ text: 'x' }]).s.run('go', { signal: controller.signal })).rejects.toThrow('cancelled by test');
  });

  it('a failing pre-hook skips the call; a post-hook receives the call as JSON and env vars', async () => {
    const { s, provider } = session([
      { calls: [{ name: 'write_file', args: { path: 'blocked.txt', content: 'x' } }, { name: 'write_file', args: { path: 'ok.txt', content: 'y' } }] },
      { text: 'done' },
    ]);
    const { events, onEvent } = collect();
    const hooks = {
      pre: 'grep -q blocked && { echo refused; exit 7; }; exit 0',
      post: 'cat >> post.log; echo " $FACTORY_TOOL_NAME $FACTORY_NODE_ID" >> post.log',
    };
    await s.run('go', { hooks, nodeId: 'n1', onEvent });
    expect(() => readFileSync(join(dir.path, 'blocked.txt'))).toThrow();
    expect(readFileSync(join(dir.path, 'ok.txt'), 'utf8')).toBe('y');
    const results = toolResults(provider.requests[1]);
    expect(results[0]).toMatchObject({ isError: true });
    expect(results[0]!.content).toMatch(/skipped: tool_hooks.pre failed \(exit 7\): refused/);
    const log = readFileSync(join(dir.path, 'post.log'), 'utf8');
    expect(log).toContain('"phase":"post"');
    expect(log).toContain('"path":"ok.txt"');
    expect(log).toContain(' write_file n1');
    expect(log).not.toContain('blocked.txt');
    expect((events.find((e) => e.type === 'agent_tool_call') as { hook?: string }).hook).toMatch(/pre failed/);
  });

  it('charges budgets after every turn and stops with a terminal error once over', async () => {
    const turns = Array.from({ length: 10 }, (_, i) => ({ calls: [{ name: 'glob', args: { pattern: `*${i}` } }] }));
    const { s } = session(turns, { costOf: () => 0.4 });
    const budget = new Budget(1);
    const error = await s.run('go', { budgets: [budget] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExhaustedError);
    expect(isTerminalError(error)).toBe(true);
    expect((error as Error).message).toBe('budget exhausted: spent $1.2000 of $1');
    expect(budget.spentUsd).toBeCloseTo(1.2);
    expect((error as BudgetExhaustedError).cost_usd).toBeCloseTo(1.2);
    expect((error as BudgetExhaustedError).usage?.input_tokens).toBeGreaterThan(0);
  });

  it('reports cost null when a turn has no known price', async () => {
    const result = await session([{ text: 'x' }], { costOf: () => null }).s.run('go');
    expect(result.costUsd).toBeNull();
  });
});
