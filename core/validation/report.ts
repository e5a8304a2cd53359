// From a run's records to (a) the leak-safe summary — numbers, categories, the decision, the
// scenario-set hash, isolation — printed and used for the check and the feedback block, and (b) the
// detailed report (per scenario, transcripts, verdicts, logs) for the validation side only.
import { buildFeedback, FEEDBACK_CATEGORIES, type Feedback, type FeedbackLevel } from '../domain/feedback.ts';
import { decideGate, DEFAULT_MARGIN, summarise, type GateDecision, type GroupSatisfaction, type SatisfactionSummary, type ScenarioTally, type Thresholds } from './satisfaction.ts';
import { summariseJudging } from './tiered-judge.ts';
import type { RunResult } from './types.ts';

export interface ReportSettings {
  thresholds: Thresholds;
  confidence: number;
  margin?: number;
  feedback: { level: FeedbackLevel; tags: readonly string[]; round: number; specPointers: readonly string[] };
}

export function tallies(result: RunResult): ScenarioTally[] {
  return result.scenarios.map((scenario) => ({
    id: scenario.id,
    category: scenario.category,
    criticality: scenario.criticality,
    satisfied: scenario.trials.filter((trial) => trial.outcome === 'satisfied').length,
    judged: scenario.trials.filter((trial) => trial.outcome !== 'harness_error').length,
    harnessErrors: scenario.trials.filter((trial) => trial.outcome === 'harness_error').length,
  }));
}

/** Scenarios with at least one unsatisfied trial, counted per feedback tag. */
export function failureTagCounts(result: RunResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const scenario of result.scenarios) {
    if (!scenario.trials.some((trial) => trial.outcome === 'unsatisfied')) continue;
    for (const tag of new Set(scenario.feedbackTags)) counts[tag] = (counts[tag] ?? 0) + 1;
  }
  return counts;
}

export interface LeakSafeGroup {
  rate: number;
  lower: number;
  upper: number;
  scenarios: number;
  trials: number;
  satisfied: number;
}

/** Everything here may reach the factory side: no ids, titles, text, transcripts or timings. */
export interface LeakSafeSummary {
  decision: 'pass' | 'fail';
  reasons: string[];
  scenarioSetHash: string;
  confidence: number;
  overall: LeakSafeGroup;
  categories: Partial<Record<(typeof FEEDBACK_CATEGORIES)[number], LeakSafeGroup>>;
  harnessErrors: { trials: number; scenariosWithoutJudgedTrial: number; malformedFiles: number };
  isolation: { credentialsScrubbed: boolean; scenariosOutsideWorkdir: boolean; network: 'applied' | 'not applied'; note: string };
  shard: { index: number; count: number };
  feedback: Feedback | null;
  /** Under tiered judging: what judging cost, in USD (null: a model without a known price). Nothing else of the tiers. */
  judgeCostUsd?: number | null;
}

export interface Evaluation {
  summary: SatisfactionSummary;
  decision: GateDecision;
  leakSafe: LeakSafeSummary;
}

const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

function safeGroup(group: GroupSatisfaction): LeakSafeGroup {
  return { rate: round4(group.rate), lower: round4(group.lower), upper: round4(group.upper), scenarios: group.scenarios, trials: group.trials, satisfied: group.satisfied };
}

export function evaluate(result: RunResult, settings: ReportSettings): Evaluation {
  const summary = summarise(tallies(result), settings.confidence, result.malformed.length);
  const decision = decideGate(summary, settings.thresholds, settings.margin ?? DEFAULT_MARGIN);
  const categories: LeakSafeSummary['categories'] = {};
  const rates: Partial<Record<(typeof FEEDBACK_CATEGORIES)[number], number>> = {};
  for (const category of FEEDBACK_CATEGORIES) {
    const group = summary.categories[category];
    if (!group) continue;
    categories[category] = safeGroup(group);
    if (group.trials > 0) rates[category] = group.rate;
  }
  const feedback = buildFeedback(
    { round: settings.feedback.round, rates, tagCounts: failureTagCounts(result), specPointers: settings.feedback.specPointers },
    settings.feedback.level,
    settings.feedback.tags,
  );
  const { credentialsScrubbed, scenariosOutsideWorkdir, network, note } = result.isolation;
  const judging = summariseJudging(result);
  return {
    summary,
    decision,
    leakSafe: {
      decision: decision.pass ? 'pass' : 'fail',
      reasons: decision.reasons,
      scenarioSetHash: result.scenarioSetHash,
      confidence: settings.confidence,
      overall: safeGroup(summary.overall),
      categories,
      harnessErrors: summary.harnessErrors,
      isolation: { credentialsScrubbed, scenariosOutsideWorkdir, network, note },
      shard: result.shard,
      feedback,
      ...(judging ? { judgeCostUsd: judging.cost_usd.total === null ? null : round4(judging.cost_usd.total) } : {}),
    },
  };
}

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;

function groupLine(name: string, group: LeakSafeGroup, confidence: number): string {
  return `${name.padEnd(8)} ${pct(group.rate).padStart(6)}  [${pct(group.lower)}, ${pct(group.upper)}] at ${Math.round(confidence * 100)}%  (${group.satisfied}/${group.trials} trials, ${group.scenarios} scenarios)`;
}

/** The human summary: leak-safe by construction (built only from the leak-safe summary). */
export function formatSummary(safe: LeakSafeSummary): string[] {
  const lines = ['Satisfaction (criticality-weighted, Wilson interval):'];
  for (const category of FEEDBACK_CATEGORIES) {
    const group = safe.categories[category];
    if (group) lines.push(`  ${groupLine(category, group, safe.confidence)}`);
  }
  lines.push(`  ${groupLine('overall', safe.overall, safe.confidence)}`);
  const errors = safe.harnessErrors;
  lines.push(`Harness errors: ${errors.trials} trial(s), ${errors.scenariosWithoutJudgedTrial} scenario(s) without a judged trial, ${errors.malformedFiles} malformed scenario file(s)`);
  lines.push(`Scenario set: sha256:${safe.scenarioSetHash}`);
  lines.push(`Isolation: credentials scrubbed: ${safe.isolation.credentialsScrubbed ? 'yes' : 'no'}; scenarios outside the artifact's directory: ${safe.isolation.scenariosOutsideWorkdir ? 'yes' : 'no'}; network: ${safe.isolation.network} (${safe.isolation.note})`);
  if (safe.shard.count > 1) lines.push(`Shard: ${safe.shard.index}/${safe.shard.count} (partial result)`);
  if (safe.judgeCostUsd !== undefined) lines.push(`Judging cost: ${safe.judgeCostUsd === null ? 'unknown (a judge model has no price)' : `$${safe.judgeCostUsd.toFixed(4)}`}`);
  lines.push(`Decision: ${safe.decision.toUpperCase()}`);
  for (const reason of safe.reasons) lines.push(`  - ${reason}`);
  return lines;
}

/** The detailed report: validation side only (a local file, or the holdouts repository). */
export function detailedReport(result: RunResult, evaluation: Evaluation): Record<string, unknown> {
  // Agreement between the tiers and each tier's cost stay on the validation side.
  const judging = summariseJudging(result);
  return {
    ...evaluation.leakSafe,
    kind: 'factory-validation-report',
    result,
    scenarios: evaluation.summary.scenarios,
    ...(judging ? { judging } : {}),
  };
}
