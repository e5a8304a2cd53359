import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { PipelineEvent } from '../../core/engine/events.ts';
import type { TextSink } from '../../cli/output.ts';
import { plainLine, ProgressReporter } from '../../cli/progress.ts';

const base = { ts: '2026-01-01T00:00:00.000Z', run_id: 'r' };

function terminal(columns = 120): { sink: TextSink; written: () => string } {
  const sink = Object.assign(new PassThrough(), { isTTY: true, columns });
  let written = '';
  sink.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { sink, written: () => written };
}

describe('ProgressReporter on a terminal', () => {
  it('redraws one line in place with the stage, elapsed time, stages done, tokens and cost, and clears it at the end', () => {
    const { sink, written } = terminal();
    let now = 1000;
    const progress = new ProgressReporter({ sink, live: true, now: () => now });
    progress.observe({ ...base, type: 'stage_started', name: 'implement', index: 1, attempt: 1, handler: 'codergen' });
    now = 3500;
    progress.observe({ ...base, type: 'stage_completed', name: 'implement', index: 1, duration_ms: 2500, status: 'success', usage: { input_tokens: 1000, output_tokens: 234 }, cost_usd: 0.0125 });
    progress.observe({ ...base, type: 'stage_started', name: 'review', index: 2, attempt: 2, handler: 'codergen' });
    progress.stop();
    const frames = written().split('\r\x1b[2K');
    expect(written()).not.toContain('\n');
    expect(frames).toContain('▸ implement · 0ms · 0 stages done');
    expect(frames).toContain('▸ review (attempt 2) · 2.5s · 1 stage done · 1,234 tokens, $0.0125');
    expect(frames.at(-1)).toBe('');
  });

  it('shows the context in use, compactions and steering messages', () => {
    const { sink, written } = terminal();
    const progress = new ProgressReporter({ sink, live: true, now: () => 0 });
    progress.observe({ ...base, type: 'stage_started', name: 'implement', index: 1, attempt: 1, handler: 'codergen' });
    const turn = { ...base, type: 'agent_turn', node_id: 'implement', turn: 1, provider: 'anthropic', model: 'm', finish_reason: 'tool_calls', usage: { input_tokens: 9900, output_tokens: 100 }, cost_usd: 0, tool_calls: 1, text: '' } as const;
    progress.observe({ ...turn, context_tokens: 10000, context_percent: 62 });
    progress.observe({ ...base, type: 'context_compacted', node_id: 'implement', turn: 2, before_tokens: 13000, after_tokens: 4000, turns_removed: 5, reason: 'r', usage: { input_tokens: 1, output_tokens: 1 }, cost_usd: 0 });
    progress.observe({ ...base, type: 'steering_injected', node_id: 'implement', turn: 3, content: 'keep it small' });
    progress.observe({ ...turn, context_tokens: 5000, context_percent: 31 });
    progress.stop();
    const frames = written().split('\r\x1b[2K');
    expect(frames).toContain('▸ implement · 0ms · 0 stages done · ctx 62 %');
    expect(frames).toContain('▸ implement · 0ms · 0 stages done · 1 compaction · 1 steering message');
    expect(frames).toContain('▸ implement · 0ms · 0 stages done · ctx 31 % · 1 compaction · 1 steering message');
  });

  it('keeps out of the way while a human answers a question', () => {
    const { sink, written } = terminal();
    const progress = new ProgressReporter({ sink, live: true, now: () => 0 });
    progress.observe({ ...base, type: 'stage_started', name: 'gate', index: 1, attempt: 1, handler: 'wait.human' });
    const before = written();
    progress.observe({ ...base, type: 'interview_started', question: 'Ship?', stage: 'gate' });
    progress.observe({ ...base, type: 'checkpoint_saved', node_id: 'x' });
    expect(written()).toBe(`${before}\r\x1b[2K`);
    progress.observe({ ...base, type: 'interview_completed', question: 'Ship?', answer: 'A', duration_ms: 5 });
    expect(written().endsWith('▸ gate · 0ms · 0 stages done')).toBe(true);
    progress.stop();
  });

  it('shortens the line to the terminal width', () => {
    const { sink, written } = terminal(60);
    const progress = new ProgressReporter({ sink, live: true, now: () => 0 });
    progress.observe({ ...base, type: 'stage_started', name: 'x'.repeat(100), index: 1, attempt: 1, handler: 'codergen' });
    progress.stop();
    for (const frame of written().split('\r\x1b[2K')) expect(frame.length).toBeLessThan(60);
  });
});

describe('plainLine', () => {
  it.each<[PipelineEvent, string | undefined]>([
    [{ ...base, type: 'stage_failed', name: 'check', index: 1, error: 'exit 1\nlots of output', will_retry: true }, 'check: fail: exit 1 (will retry)'],
    [{ ...base, type: 'stage_retrying', name: 'check', index: 1, attempt: 2, delay_ms: 200 }, 'check: retrying (attempt 2) in 200ms'],
    [{ ...base, type: 'stage_completed', name: 'plan', index: 1, duration_ms: 1500, status: 'partial_success', cost_usd: null }, 'plan: partial_success in 1.5s (cost unknown)'],
    [{ ...base, type: 'pipeline_waiting', node_id: 'gate', question: {} }, 'gate: waiting for a human answer'],
    [{ ...base, type: 'checkpoint_saved', node_id: 'plan' }, undefined],
    [{ ...base, type: 'context_compacted', node_id: 'implement', turn: 9, before_tokens: 13100, after_tokens: 4200, turns_removed: 6, reason: 'r', usage: { input_tokens: 1, output_tokens: 1 }, cost_usd: 0 },
      'implement: context compacted from 13,100 to 4,200 tokens (6 turns summarised)'],
    [{ ...base, type: 'steering_injected', node_id: 'implement', turn: 3, content: 'keep it small\nmore' }, 'implement: steering message received: keep it small'],
  ])('%#', (event, line) => {
    expect(plainLine(event)).toBe(line);
  });
});
