// What the Action writes to the `factory` check besides its conclusion: throttled in-progress
// updates, a parked gate's answer buttons, and the run's spend in external_id.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gateAnswerButtons, shorten } from '../../action/gate-buttons.ts';
import { progressOutput } from '../../action/report.ts';
import { concludedExternalId, spendSoFar } from '../../action/spend.ts';
import { emptyStageLog, foldStageEvent } from '../../action/stage-log.ts';
import { Throttle } from '../../action/throttle.ts';
import { decodeExternalId } from '../../core/domain/checks.ts';
import type { PipelineEvent } from '../../core/engine/events.ts';

/** A clock whose timers run only when the test advances time. */
function manualClock() {
  let now = 0;
  const timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];
  return {
    now: () => now,
    setTimer: (callback: () => void, ms: number) => {
      const timer = { at: now + ms, callback, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((candidate) => !candidate.cancelled && candidate.at <= now)) {
        timer.cancelled = true;
        timer.callback();
      }
    },
    pending: () => timers.filter((timer) => !timer.cancelled).length,
  };
}

describe('throttled check updates', () => {
  it('sends the first request at once, folds the ones inside the interval into one trailing send', () => {
    const clock = manualClock();
    const sent: number[] = [];
    const throttle = new Throttle(10_000, clock, () => sent.push(clock.now()));
    throttle.request();
    expect(sent).toEqual([0]);
    clock.advance(1_000);
    throttle.request();
    clock.advance(2_000);
    throttle.request();
    expect(sent).toEqual([0]);
    expect(clock.pending()).toBe(1);
    clock.advance(7_000);
    expect(sent).toEqual([0, 10_000]);
    clock.advance(15_000);
    throttle.request();
    expect(sent).toEqual([0, 10_000, 25_000]);
  });

  it('drops a pending send when stopped (the conclusion supersedes it), and sends nothing after', () => {
    const clock = manualClock();
    const sent: number[] = [];
    const throttle = new Throttle(10_000, clock, () => sent.push(clock.now()));
    throttle.request();
    clock.advance(500);
    throttle.request();
    throttle.stop();
    clock.advance(60_000);
    throttle.request();
    expect(sent).toEqual([0]);
    expect(clock.pending()).toBe(0);
  });
});

describe('the in-progress check output', () => {
  const event = (value: Record<string, unknown>) => value as unknown as PipelineEvent;
  it('names the current stage, the elapsed time, tokens and cost against the budget', () => {
    let stages = emptyStageLog();
    stages = foldStageEvent(stages, event({ type: 'stage_started', name: 'implement', attempt: 1, ts: '' }));
    stages = foldStageEvent(stages, event({ type: 'agent_turn', node_id: 'implement', usage: { input_tokens: 1200, output_tokens: 40 }, cost_usd: 0.0123, ts: '' }));
    const output = progressOutput({ stage: 'implement', elapsedMs: 95_000, stages, branch: 'factory/abc1234', budget: { maxUsd: 5, maxMinutes: 30 } });
    expect(output.title).toBe('Running: implement');
    expect(output.summary).toContain('Stage `implement` is running on `factory/abc1234`.');
    expect(output.summary).toContain('**Elapsed:** 95.0 s of a 30 min budget');
    expect(output.summary).toContain('**Tokens:** 1200 in, 40 out');
    expect(output.summary).toContain('**Cost so far:** $0.0123 of a $5 budget');
    expect(output.summary).toContain('| implement |  running | 0 | 0 ms | 1200 | 40 | $0.0123 |');
  });
});

describe('gate answer buttons', () => {
  const question = (options: Array<{ key: string; label: string }>) => ({ text: 'Ship it?', options });

  it('one per option, with the accelerator prefix left out of the label', () => {
    expect(gateAnswerButtons(question([{ key: 'Y', label: '[Y] Yes' }, { key: 'N', label: 'N) No, redo' }]))).toEqual([
      { label: 'Yes', description: 'Answer Y and resume the run', identifier: 'answer:Y' },
      { label: 'No, redo', description: 'Answer N and resume the run', identifier: 'answer:N' },
    ]);
  });

  it('keeps labels within 20 and descriptions within 40 characters', () => {
    const [button] = gateAnswerButtons(question([{ key: 'ship-it-now13', label: 'Ship the greeting to production right away' }]));
    expect(button).toEqual({ label: 'Ship the greeting…', description: 'Answer ship-it-now13 and resume the run', identifier: 'answer:ship-it-now13' });
    expect(button!.label.length).toBeLessThanOrEqual(20);
    expect(button!.description.length).toBeLessThanOrEqual(40);
    expect(shorten('Supercalifragilisticexpialidocious', 20)).toBe('Supercalifragilisti…');
  });

  it('none when there are more than three options, a key is too long for an identifier, or no options', () => {
    const four = ['A', 'B', 'C', 'D'].map((key) => ({ key, label: key }));
    expect(gateAnswerButtons(question(four))).toEqual([]);
    expect(gateAnswerButtons(question([{ key: 'Y', label: 'Yes' }, { key: 'a-key-of-14-ch', label: 'Long' }]))).toEqual([]);
    expect(gateAnswerButtons(question([]))).toEqual([]);
    expect(gateAnswerButtons(undefined)).toEqual([]);
  });
});

describe('spend in external_id', () => {
  it('adds the run’s spend to the App’s context, rounded, replacing an earlier figure', () => {
    const text = concludedExternalId(JSON.stringify({ pr: 7, round: 2, request: 'comment:9', run: 44, spent: { usd: 9, minutes: 9 } }), { usd: 1.23456789, minutes: 12.3456 }, '4242');
    expect(decodeExternalId(text)).toEqual({ pr: 7, round: 2, request: 'comment:9', run: 44, spent: { usd: 1.234568, minutes: 12.35 } });
  });

  it('gives null for a check without an external_id of ours', () => {
    expect(concludedExternalId(null, { usd: 1, minutes: 1 }, '4242')).toBeNull();
    expect(concludedExternalId('{"other":"app"}', { usd: 1, minutes: 1 }, '4242')).toBeNull();
  });

  it('links this workflow run when the App has not (yet), and never replaces a run it linked', () => {
    const context = { round: 1, request: 'comment:9' };
    expect(decodeExternalId(concludedExternalId(JSON.stringify(context), { usd: 0.5, minutes: 2 }, '4242'))).toEqual({ ...context, run: 4242, spent: { usd: 0.5, minutes: 2 } });
    expect(decodeExternalId(concludedExternalId(JSON.stringify({ ...context, run: 99 }), undefined, '4242'))).toEqual({ ...context, run: 99 });
    expect(decodeExternalId(concludedExternalId(JSON.stringify(context), undefined, undefined))).toEqual(context);
    expect(concludedExternalId(null, undefined, '4242')).toBeNull();
  });

  it('counts what a job that stopped early spent: its minutes, and its agent turns less a resume’s restored cost', () => {
    const runDir = mkdtempSync(join(tmpdir(), 'spend-'));
    try {
      const turn = (cost: number) => ({ type: 'agent_turn', node_id: 'implement', turn: 1, provider: 'p', model: 'm', finish_reason: 'stop', usage: { input_tokens: 1, output_tokens: 1 }, cost_usd: cost, tool_calls: 0, text: '' });
      const events = [{ type: 'stage_started', name: 'implement', index: 0, attempt: 1 }, turn(0.25), turn(0.5)];
      writeFileSync(join(runDir, 'events.jsonl'), `${events.map((event) => JSON.stringify(event)).join('\n')}\n{"cut`);
      expect(spendSoFar({ runDir, startedAt: 0, restoredUsd: 0.25, now: 90_000 })).toEqual({ usd: 0.5, minutes: 1.5 });
      expect(spendSoFar({ startedAt: 0, now: 60_000 })).toEqual({ usd: 0, minutes: 1 });
      expect(spendSoFar({ runDir, now: 60_000 })).toBeUndefined();
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
