// Satisfaction maths: Wilson score intervals, criticality-weighted rates and the gate decision.
// Pure functions over tallies; no I/O. Decisions the issue left open (documented in docs/scenarios.md):
// - weights: critical 4, high 2, normal 1, low 0.5, applied per judged trial;
// - weighted rates use the Kish effective sample size (Σw)²/Σw² for their Wilson interval;
// - margin: the overall lower bound must reach `threshold − 0.10` (factory.yml has no key for it);
// - fail closed: a threshold whose category has no judged trial, a scenario with no judged trial
//   (all harness errors, or a malformed file) and any critical scenario short of n/n fail the gate.
import type { Criticality, ScenarioCategory } from '../domain/scenario.ts';
import { SCENARIO_CATEGORIES } from '../domain/scenario.ts';

export const CRITICALITY_WEIGHTS: Readonly<Record<Criticality, number>> = { critical: 4, high: 2, normal: 1, low: 0.5 };
export const DEFAULT_MARGIN = 0.1;

/**
 * Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation (relative error below
 * 1.2e-9): a central rational function in q = p − ½ and tail functions in √(−2 ln p).
 */
export function inverseNormalCdf(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`inverseNormalCdf: p must lie in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const tail = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** The two-sided z for a confidence level: 0.95 → 1.959964. */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie in (0, 1), got ${confidence}`);
  return inverseNormalCdf(1 - (1 - confidence) / 2);
}

export interface Interval {
  rate: number;
  lower: number;
  upper: number;
}

/** Wilson score interval for `rate` observed over an (effective) sample of `n`; n = 0 → [0, 1]. */
export function wilson(rate: number, n: number, z: number): Interval {
  if (n <= 0) return { rate: 0, lower: 0, upper: 1 };
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (rate + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  return { rate, lower: Math.max(0, center - half), upper: Math.min(1, center + half) };
}

export interface ScenarioTally {
  id: string;
  category: ScenarioCategory;
  criticality: Criticality;
  /** Trials satisfied. */
  satisfied: number;
  /** Trials judged (satisfied or unsatisfied); harness errors excluded. */
  judged: number;
  harnessErrors: number;
}

export interface ScenarioSatisfaction extends ScenarioTally, Interval {}

export interface GroupSatisfaction extends Interval {
  scenarios: number;
  trials: number;
  satisfied: number;
  /** Kish effective sample size of the weighted trials. */
  effectiveN: number;
}

export interface Thresholds {
  overall: number;
  happy?: number;
  edge?: number;
  failure?: number;
}

export interface SatisfactionSummary {
  confidence: number;
  z: number;
  scenarios: ScenarioSatisfaction[];
  categories: Partial<Record<ScenarioCategory, GroupSatisfaction>>;
  overall: GroupSatisfaction;
  harnessErrors: { trials: number; scenariosWithoutJudgedTrial: number; malformedFiles: number };
}

/** Criticality-weighted pooled rate of a group with its Wilson interval at the Kish effective n. */
export function groupSatisfaction(tallies: readonly ScenarioTally[], z: number): GroupSatisfaction {
  let weightedTrials = 0;
  let weightedSatisfied = 0;
  let squaredWeights = 0;
  let trials = 0;
  let satisfied = 0;
  for (const tally of tallies) {
    const weight = CRITICALITY_WEIGHTS[tally.criticality];
    weightedTrials += weight * tally.judged;
    weightedSatisfied += weight * tally.satisfied;
    squaredWeights += weight * weight * tally.judged;
    trials += tally.judged;
    satisfied += tally.satisfied;
  }
  const scenarios = tallies.filter((tally) => tally.judged > 0).length;
  if (weightedTrials === 0) return { rate: 0, lower: 0, upper: 1, scenarios, trials, satisfied, effectiveN: 0 };
  const effectiveN = (weightedTrials * weightedTrials) / squaredWeights;
  return { ...wilson(weightedSatisfied / weightedTrials, effectiveN, z), scenarios, trials, satisfied, effectiveN };
}

export function summarise(tallies: readonly ScenarioTally[], confidence: number, malformedFiles = 0): SatisfactionSummary {
  const z = zForConfidence(confidence);
  const scenarios = tallies.map((tally) => ({ ...tally, ...wilson(tally.judged > 0 ? tally.satisfied / tally.judged : 0, tally.judged, z) }));
  const categories: SatisfactionSummary['categories'] = {};
  for (const category of SCENARIO_CATEGORIES) {
    const members = tallies.filter((tally) => tally.category === category);
    if (members.length > 0) categories[category] = groupSatisfaction(members, z);
  }
  return {
    confidence,
    z,
    scenarios,
    categories,
    overall: groupSatisfaction(tallies, z),
    harnessErrors: {
      trials: tallies.reduce((sum, tally) => sum + tally.harnessErrors, 0),
      scenariosWithoutJudgedTrial: tallies.filter((tally) => tally.judged === 0).length,
      malformedFiles,
    },
  };
}

export interface GateDecision {
  pass: boolean;
  /** Leak-safe reasons (counts and categories, never scenario ids). */
  reasons: string[];
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

export function decideGate(summary: SatisfactionSummary, thresholds: Thresholds, margin = DEFAULT_MARGIN): GateDecision {
  const reasons: string[] = [];
  if (summary.overall.trials === 0) reasons.push('no trial was judged');
  else if (summary.overall.rate < thresholds.overall) reasons.push(`overall ${percent(summary.overall.rate)} is below the threshold ${percent(thresholds.overall)}`);
  if (summary.overall.trials > 0 && summary.overall.lower < thresholds.overall - margin) {
    reasons.push(`overall lower bound ${percent(summary.overall.lower)} is below threshold − margin ${percent(thresholds.overall - margin)}`);
  }
  for (const category of SCENARIO_CATEGORIES) {
    const threshold = thresholds[category];
    if (threshold === undefined) continue;
    const group = summary.categories[category];
    if (!group || group.trials === 0) reasons.push(`${category}: no judged trial for a configured threshold`);
    else if (group.rate < threshold) reasons.push(`${category} ${percent(group.rate)} is below the threshold ${percent(threshold)}`);
  }
  const criticalShort = summary.scenarios.filter((s) => s.criticality === 'critical' && (s.judged === 0 || s.satisfied < s.judged)).length;
  if (criticalShort > 0) reasons.push(`${criticalShort} critical scenario(s) did not pass every trial`);
  const incomplete = summary.harnessErrors.scenariosWithoutJudgedTrial + summary.harnessErrors.malformedFiles;
  if (incomplete > 0) reasons.push(`${incomplete} scenario(s) could not be judged (harness errors)`);
  return { pass: reasons.length === 0, reasons };
}
