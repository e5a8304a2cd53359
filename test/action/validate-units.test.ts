// The pure decisions of validate/aggregate: fork refusal, the inputs, the check's conclusion and title.
import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../action/errors.ts';
import { readInputs } from '../../action/inputs.ts';
import { checkTitle, conclusionOf, forkRefusal, leakSafeMarkdown, resultsDir, shardFileName } from '../../action/validate.ts';
import type { Evaluation } from '../../core/validation/report.ts';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

function evaluation(decision: 'pass' | 'fail', trials: number): Evaluation {
  const group = { rate: trials ? 0.8 : 0, lower: trials ? 0.61 : 0, upper: 1, scenarios: 2, trials, satisfied: Math.round(trials * 0.8) };
  return {
    leakSafe: {
      decision,
      reasons: decision === 'fail' ? ['overall lower bound below 0.9'] : [],
      scenarioSetHash: 'f'.repeat(64),
      confidence: 0.95,
      overall: group,
      categories: { happy: group },
      harnessErrors: { trials: 0, scenariosWithoutJudgedTrial: 0, malformedFiles: 0 },
      isolation: { credentialsScrubbed: true, scenariosOutsideWorkdir: true, network: 'not applied', note: 'local process' },
      shard: { index: 1, count: 1 },
      feedback: { version: 1, round: 1, categories: { happy: 0.8 }, tags: {}, spec: [] },
    },
  } as unknown as Evaluation;
}

describe('forkRefusal', () => {
  it('refuses a pull-request event whose head is another repository (or deleted)', () => {
    expect(forkRefusal('pull_request', { pull_request: { head: { repo: { full_name: 'mallory/widgets' } } } }, 'acme/widgets')).toMatch(/fork \(mallory\/widgets\)/);
    expect(forkRefusal('pull_request_target', { pull_request: { head: { repo: null } } }, 'acme/widgets')).toMatch(/a deleted repository/);
  });

  it('accepts a same-repository pull request and a dispatch', () => {
    expect(forkRefusal('pull_request', { pull_request: { head: { repo: { full_name: 'Acme/Widgets' } } } }, 'acme/widgets')).toBeNull();
    expect(forkRefusal('workflow_dispatch', {}, 'acme/widgets')).toBeNull();
  });
});

describe('validate inputs', () => {
  it('reads scenarios-repo, scenarios-ref, scenarios-token, shard and trials', () => {
    const inputs = readInputs(reader({ command: 'validate', 'scenarios-repo': 'acme/holdouts', 'scenarios-ref': 'v2', 'scenarios-token': 't', shard: '2/3', trials: '5' }));
    expect(inputs).toMatchObject({ command: 'validate', scenariosRepo: 'acme/holdouts', scenariosRef: 'v2', scenariosToken: 't', shard: { index: 2, count: 3 }, trials: 5 });
  });

  it('rejects a bad shard, trials or repository', () => {
    expect(() => readInputs(reader({ shard: '3/2' }))).toThrow(ActionError);
    expect(() => readInputs(reader({ shard: '0/2' }))).toThrow(/input `shard`/);
    expect(() => readInputs(reader({ trials: '0' }))).toThrow(/input `trials`/);
    expect(() => readInputs(reader({ 'scenarios-repo': 'holdouts' }))).toThrow(/input `scenarios-repo`/);
  });
});

describe('the satisfaction check', () => {
  it('succeeds only when the gate passes with judged trials; never neutral', () => {
    expect(conclusionOf(evaluation('pass', 10))).toBe('success');
    expect(conclusionOf(evaluation('fail', 10))).toBe('failure');
    expect(conclusionOf(evaluation('pass', 0))).toBe('failure');
  });

  it('titles a harness failure as such', () => {
    expect(checkTitle(evaluation('fail', 0))).toBe('Validation harness error: no trial could be judged');
    expect(checkTitle(evaluation('pass', 10))).toBe('Satisfaction 80.0% (lower bound 61.0%): gate passed');
  });

  it('carries the summary and the feedback block', () => {
    const text = leakSafeMarkdown(evaluation('fail', 10), 'factory/satisfaction');
    expect(text).toContain('Decision: FAIL');
    expect(text).toContain('"categories":{"happy":0.8}');
  });

  it('files results per head sha and workflow run attempt', () => {
    expect(resultsDir('a'.repeat(40), { GITHUB_RUN_ID: '9', GITHUB_RUN_ATTEMPT: '2' })).toBe(`results/${'a'.repeat(40)}/9-2`);
    expect(shardFileName({ index: 2, count: 4 })).toBe('shard-2-of-4.json');
  });
});
