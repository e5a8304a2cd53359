// Sharded runs aggregate to the same result and report as a single run (real CLI artifact processes).
import { afterAll, describe, expect, it } from '@jest/globals';
import { resolveProvider } from '../../core/agent/llm/resolve.ts';
import { aggregate, AggregateError } from '../../core/validation/aggregate.ts';
import { createLocalHarness } from '../../core/validation/harness.ts';
import { evaluate, type ReportSettings } from '../../core/validation/report.ts';
import { runValidation } from '../../core/validation/run.ts';
import { loadScenarioDirectory } from '../../core/validation/scenarios.ts';
import type { RunResult } from '../../core/validation/types.ts';
import { fixture, parentEnv } from './helpers.ts';

const scenariosDir = fixture('scenarios', 'cli');
const model = `scripted:${fixture('models', 'cli.json')}`;
const harness = createLocalHarness({ artifact: { kind: 'cli', start: 'node cli.mjs', health: { path: '/healthz', timeout_s: 5 } }, checkout: fixture('cli-artifact'), scenariosDir, parentEnv: parentEnv() });
afterAll(() => harness.dispose());

const settings: ReportSettings = { thresholds: { overall: 0.5 }, confidence: 0.95, feedback: { level: 'categories', tags: [], round: 2, specPointers: [] } };

function run(shard?: { index: number; count: number }): Promise<RunResult> {
  const set = loadScenarioDirectory(scenariosDir);
  return runValidation({ set, harness, providerFor: () => resolveProvider(model, {}), trials: 2, concurrency: 3, ...(shard ? { shard } : {}) });
}

describe('shards and aggregate', () => {
  it('two shards aggregate to the single-run result and report', async () => {
    const whole = await run();
    const [one, two] = await Promise.all([run({ index: 1, count: 2 }), run({ index: 2, count: 2 })]);
    expect(one.scenarios.map((scenario) => scenario.id)).toEqual(['add', 'cli-env']);
    expect(two.scenarios.map((scenario) => scenario.id)).toEqual(['bad-number', 'greet']);
    const combined = aggregate([two, one]);
    expect(combined).toEqual(whole);
    expect(evaluate(combined, settings).leakSafe).toEqual(evaluate(whole, settings).leakSafe);
    // Variations are drawn from the set hash, scenario and trial: the same in every run.
    expect(combined.scenarios.find((scenario) => scenario.id === 'greet')!.trials.map((trial) => trial.variations))
      .toEqual(whole.scenarios.find((scenario) => scenario.id === 'greet')!.trials.map((trial) => trial.variations));
  });

  it('refuses missing, doubled or mismatched shards', async () => {
    const one = await run({ index: 1, count: 2 });
    expect(() => aggregate([one])).toThrow(new AggregateError('aggregate: missing shard(s) 2/2'));
    expect(() => aggregate([one, one])).toThrow('shard 1/2 appears twice');
    expect(() => aggregate([one, { ...one, shard: { index: 2, count: 2 }, scenarioSetHash: 'other' }])).toThrow('hashes differ');
    expect(() => aggregate([])).toThrow('no partial results');
  });
});
