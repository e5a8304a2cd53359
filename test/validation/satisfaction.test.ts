import { describe, expect, it } from '@jest/globals';
import { decideGate, groupSatisfaction, inverseNormalCdf, summarise, wilson, zForConfidence, type ScenarioTally } from '../../core/validation/satisfaction.ts';

const Z95 = 1.959963984540054;

function tally(id: string, satisfied: number, judged: number, extra: Partial<ScenarioTally> = {}): ScenarioTally {
  return { id, category: 'happy', criticality: 'normal', satisfied, judged, harnessErrors: 0, ...extra };
}

describe('normal quantile', () => {
  it('matches tabulated values', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(1.959963985, 8);
    expect(zForConfidence(0.99)).toBeCloseTo(2.575829304, 8);
    expect(zForConfidence(0.9)).toBeCloseTo(1.644853627, 8);
    expect(inverseNormalCdf(0.5)).toBeCloseTo(0, 12);
    expect(inverseNormalCdf(0.01)).toBeCloseTo(-2.326347874, 8);
    expect(inverseNormalCdf(0.999)).toBeCloseTo(3.090232306, 7);
    expect(() => inverseNormalCdf(1)).toThrow(RangeError);
  });
});

describe('Wilson interval', () => {
  // Hand-computed: centre = (p + z²/2n)/(1 + z²/n), half = z/(1 + z²/n)·√(p(1−p)/n + z²/4n²).
  it('8/10 at 95%: [0.4902, 0.9433]', () => {
    const interval = wilson(0.8, 10, Z95);
    expect(interval.lower).toBeCloseTo(0.490162, 5);
    expect(interval.upper).toBeCloseTo(0.943318, 5);
  });
  it('3/3 at 95%: [0.4385, 1]; 30/30: lower 0.8865; 0/5: upper 0.4345', () => {
    expect(wilson(1, 3, Z95).lower).toBeCloseTo(0.438503, 5);
    expect(wilson(1, 3, Z95).upper).toBe(1);
    expect(wilson(1, 30, Z95).lower).toBeCloseTo(0.886487, 5);
    expect(wilson(0, 5, Z95).upper).toBeCloseTo(0.434482, 5);
    expect(wilson(0, 5, Z95).lower).toBe(0);
  });
  it('no trials: the whole [0, 1]', () => {
    expect(wilson(0, 0, Z95)).toEqual({ rate: 0, lower: 0, upper: 1 });
  });
});

describe('criticality weights', () => {
  it('critical 3/3 (w 4) with normal 1/3 (w 1): rate 13/15, Kish n 225/51', () => {
    // Σw·k = 4·3 + 1·1 = 13, Σw·n = 4·3 + 1·3 = 15, Σw²·n = 16·3 + 1·3 = 51, n_eff = 15²/51 = 4.4118.
    const group = groupSatisfaction([tally('a', 3, 3, { criticality: 'critical' }), tally('b', 1, 3)], Z95);
    expect(group.rate).toBeCloseTo(13 / 15, 12);
    expect(group.effectiveN).toBeCloseTo(225 / 51, 12);
    expect(group.lower).toBeCloseTo(0.408058, 5);
    expect(group.upper).toBeCloseTo(0.983946, 5);
    expect(group.trials).toBe(6);
    expect(group.satisfied).toBe(4);
  });
  it('low (0.5) counts a quarter as much as high (2)', () => {
    const group = groupSatisfaction([tally('a', 0, 2, { criticality: 'low' }), tally('b', 2, 2, { criticality: 'high' })], Z95);
    expect(group.rate).toBeCloseTo(4 / 5, 12); // (2·2) / (0.5·2 + 2·2)
  });
});

describe('gate decision', () => {
  const passing = [
    ...Array.from({ length: 10 }, (_, index) => tally(`h${index}`, 3, 3)),
    ...Array.from({ length: 5 }, (_, index) => tally(`e${index}`, 3, 3, { category: 'edge' })),
    ...Array.from({ length: 5 }, (_, index) => tally(`f${index}`, 3, 3, { category: 'failure' })),
  ];

  it('passes when every threshold, the lower bound and the critical rule hold', () => {
    const summary = summarise(passing, 0.95);
    expect(summary.overall.rate).toBe(1);
    expect(summary.overall.lower).toBeCloseTo(wilson(1, 60, Z95).lower, 8);
    expect(decideGate(summary, { overall: 0.9, happy: 0.95, edge: 0.85, failure: 0.9 })).toEqual({ pass: true, reasons: [] });
  });

  it('fails on a category threshold', () => {
    const tallies = passing.map((t) => (t.id === 'e0' || t.id === 'e1' ? { ...t, satisfied: 1 } : t));
    // edge: 11/15 = 0.733 < 0.85; overall 56/60 = 0.933 ≥ 0.9.
    const decision = decideGate(summarise(tallies, 0.95), { overall: 0.9, edge: 0.85 });
    expect(decision.pass).toBe(false);
    expect(decision.reasons).toEqual(['edge 73.3% is below the threshold 85.0%']);
  });

  it('fails when the overall lower bound is below threshold − margin', () => {
    // 3/3: lower 0.4385 < 0.9 − 0.1.
    const decision = decideGate(summarise([tally('a', 3, 3)], 0.95), { overall: 0.9 });
    expect(decision.reasons).toEqual(['overall lower bound 43.9% is below threshold − margin 80.0%']);
    expect(decideGate(summarise([tally('a', 3, 3)], 0.95), { overall: 0.9 }, 0.5).pass).toBe(true);
  });

  it('fails when a critical scenario misses one trial, even with high rates', () => {
    const tallies = [...passing, tally('c', 29, 30, { criticality: 'critical' })];
    const decision = decideGate(summarise(tallies, 0.95), { overall: 0.9 });
    expect(decision.reasons).toEqual(['1 critical scenario(s) did not pass every trial']);
  });

  it('excludes harness errors from rates but fails closed on unjudged scenarios and malformed files', () => {
    const tallies = [...passing, tally('x', 0, 0, { harnessErrors: 3 }), tally('y', 2, 2, { harnessErrors: 1 })];
    const summary = summarise(tallies, 0.95, 1);
    expect(summary.overall.trials).toBe(62);
    expect(summary.overall.rate).toBe(1);
    expect(summary.harnessErrors).toEqual({ trials: 4, scenariosWithoutJudgedTrial: 1, malformedFiles: 1 });
    expect(decideGate(summary, { overall: 0.9 }).reasons).toEqual(['2 scenario(s) could not be judged (harness errors)']);
  });

  it('fails a configured category threshold with no scenarios', () => {
    const decision = decideGate(summarise(passing.filter((t) => t.category !== 'failure'), 0.95), { overall: 0.9, failure: 0.9 });
    expect(decision.reasons).toEqual(['failure: no judged trial for a configured threshold']);
  });
});
