// Tiered judging: the first model judges every trial; a failing or uncertain verdict and a seeded
// sample of passing ones go to escalate_to, whose verdict stands. Both tiers are real SDK clients
// against wire servers on 127.0.0.1; the detailed report has the agreement rate and each tier's
// cost, the leak-safe summary only the cost.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resolveProvider } from '../../core/agent/llm/resolve.ts';
import { FactoryConfigSchema } from '../../core/domain/config.ts';
import { parseScenario, type Scenario } from '../../core/domain/scenario.ts';
import { detailedReport, evaluate, formatSummary, type ReportSettings } from '../../core/validation/report.ts';
import { judgeTiered, judgeTiersFrom, summariseJudging, type JudgeTiers } from '../../core/validation/tiered-judge.ts';
import type { RunResult, TrialResult } from '../../core/validation/types.ts';
import { startWireServer, type WireServer } from '../support/wire-server.ts';

const parsed = parseScenario(`---
id: s
title: T
category: happy
rubric:
  - id: a
---
## Story
x
## Steps
y
## Expected
z
## Judge criteria
- a: first
`);
if (!parsed.ok) throw new Error('fixture scenario must parse');
const scenario: Scenario = parsed.scenario;
const INPUT = { scenario, variations: {}, interactions: [], checks: [], agentSummary: '' };
const verdict = (pass: boolean, uncertain = false) => ({ criteria: [{ id: 'a', pass, reasoning: 'r' }], uncertain });

let small: WireServer;
let frontier: WireServer;
beforeAll(async () => {
  [small, frontier] = await Promise.all([startWireServer(), startWireServer()]);
});
afterAll(async () => {
  await Promise.all([small.close(), frontier.close()]);
});

function tiers(sample: number): JudgeTiers {
  const first = resolveProvider('anthropic/claude-haiku-4-5', { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: small.url }, { retry: false });
  const second = resolveProvider('openai/gpt-5.2', { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: frontier.openaiBaseURL }, { retry: false });
  return { first: () => first, second: () => second, escalateWhen: ['fail', 'uncertain'], sample, costOf: (provider) => (provider === 'anthropic' ? 0.001 : 0.01) };
}

const fallback = { provider: { name: 'unused', complete: () => Promise.reject(new Error('the agent model must not judge')) }, model: 'x' };

describe('judgeTiered', () => {
  it('sends a failing first-tier verdict to the second model, whose verdict stands', async () => {
    small.push({ turn: { tool_calls: [{ id: 'v', name: 'verdict', arguments: verdict(false) }] } });
    frontier.push({ turn: { text: JSON.stringify(verdict(true)) } });
    const before = frontier.requests.length;
    const result = await judgeTiered(INPUT, fallback, tiers(0), 'judge:s', 0.99);
    expect(frontier.requests.length).toBe(before + 1);
    expect(result.verdict.pass).toBe(true);
    expect(result.judging).toEqual({
      first: { model: 'anthropic/claude-haiku-4-5', pass: false, uncertain: false, cost_usd: 0.001 },
      second: { model: 'openai/gpt-5.2', pass: true, uncertain: false, cost_usd: 0.01 },
      escalated: 'fail',
    });
  });

  it('escalates an uncertain pass, and a passing verdict only when the draw falls in the sample', async () => {
    small.push({ turn: { tool_calls: [{ id: 'v', name: 'verdict', arguments: verdict(true, true) }] } });
    frontier.push({ turn: { text: JSON.stringify(verdict(true)) } });
    expect((await judgeTiered(INPUT, fallback, tiers(0.1), 'judge:s', 0.5)).judging.escalated).toBe('uncertain');

    small.push({ turn: { tool_calls: [{ id: 'v', name: 'verdict', arguments: verdict(true) }] } });
    frontier.push({ turn: { text: JSON.stringify(verdict(false)) } });
    const sampled = await judgeTiered(INPUT, fallback, tiers(0.1), 'judge:s', 0.05);
    expect(sampled.judging.escalated).toBe('sample');
    expect(sampled.verdict.pass).toBe(false);

    const before = frontier.requests.length;
    small.push({ turn: { tool_calls: [{ id: 'v', name: 'verdict', arguments: verdict(true) }] } });
    const kept = await judgeTiered(INPUT, fallback, tiers(0.1), 'judge:s', 0.5);
    expect(kept.judging.second).toBeUndefined();
    expect(kept.verdict.pass).toBe(true);
    expect(frontier.requests.length).toBe(before);
  });
});

describe('the config and the reports', () => {
  it('validation.judge parses with its defaults and resolves its models up front', () => {
    const config = FactoryConfigSchema.parse({ version: 1, validation: { judge: { model: 'openai-compatible/qwen3', escalate_to: 'anthropic/claude-opus-4-6' } } });
    expect(config.validation.judge).toEqual({ model: 'openai-compatible/qwen3', escalate_to: 'anthropic/claude-opus-4-6', escalate_when: ['fail', 'uncertain'], sample: 0.1 });
    expect(() => judgeTiersFrom(config.validation.judge, { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' })).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => FactoryConfigSchema.parse({ version: 1, validation: { judge: { sample: 2 } } })).toThrow();
  });

  it('the detailed report has the agreement rate and each tier\'s cost; the leak-safe summary only the cost', () => {
    const trial = (n: number, judging: TrialResult['judging']): TrialResult => ({ trial: n, outcome: 'satisfied', attempts: 1, variations: {}, interactions: [], checks: [], judging });
    const first = (pass: boolean) => ({ model: 'openai-compatible/qwen3', pass, uncertain: false, cost_usd: 0 });
    const second = (pass: boolean) => ({ model: 'anthropic/claude-opus-4-6', pass, uncertain: false, cost_usd: 0.02 });
    const result: RunResult = {
      version: 1,
      kind: 'factory-validation-result',
      shard: { index: 1, count: 1 },
      scenarioSetHash: 'h',
      isolation: { credentialsScrubbed: true, scenariosOutsideWorkdir: true, network: 'not applied', note: 'n' },
      malformed: [],
      scenarios: [{
        id: 's', file: 's.md', title: 'T', category: 'happy', criticality: 'normal', feedbackTags: [], artifactLogs: [],
        trials: [trial(1, { first: first(true) }), trial(2, { first: first(false), second: second(true), escalated: 'fail' }), trial(3, { first: first(true), second: second(true), escalated: 'sample' })],
      }],
    };
    expect(summariseJudging(result)).toEqual({
      trials: 3, escalated: 2, reasons: { fail: 1, sample: 1 }, agreement_rate: 0.5,
      cost_usd: { first: 0, second: 0.04, total: 0.04 },
      models: { first: ['openai-compatible/qwen3'], second: ['anthropic/claude-opus-4-6'] },
    });
    const settings: ReportSettings = { thresholds: { overall: 0.5 }, confidence: 0.95, feedback: { level: 'categories', tags: [], round: 1, specPointers: [] } };
    const evaluation = evaluate(result, settings);
    expect(evaluation.leakSafe.judgeCostUsd).toBe(0.04);
    expect(JSON.stringify(evaluation.leakSafe)).not.toContain('agreement');
    expect(JSON.stringify(evaluation.leakSafe)).not.toContain('claude-opus');
    expect(formatSummary(evaluation.leakSafe)).toContain('Judging cost: $0.0400');
    expect(detailedReport(result, evaluation).judging).toMatchObject({ agreement_rate: 0.5, cost_usd: { first: 0, second: 0.04 } });
  });
});
