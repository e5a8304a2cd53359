// Tiered judging (issue 15 §7, the seeds' local-and-free adaptation): a first, cheaper model judges
// every trial; the verdicts it fails, the ones it marks uncertain, and a seeded random share of the
// rest go to a second model, whose verdict stands. Each tier's verdict and cost are kept on the
// trial, for the detailed report's agreement rate and the summary's cost.
import { modelCatalog } from '../agent/llm/catalog.ts';
import { resolveProvider, type ResolvedProvider } from '../agent/llm/resolve.ts';
import type { Usage } from '../agent/llm/types.ts';
import { judgeOnce, type JudgeCall, type JudgeInput } from './judge.ts';
import type { EscalationReason, JudgeVerdict, RunResult, TierVerdict, TrialJudging } from './types.ts';

export type EscalateWhen = 'fail' | 'uncertain';

export interface JudgeTiers {
  /** The first tier; absent: the validation agent's own provider and model judge. */
  first?: () => ResolvedProvider;
  /** The second tier; absent: one judge, no escalation. */
  second?: () => ResolvedProvider;
  escalateWhen: readonly EscalateWhen[];
  /** Share of the first tier's other verdicts also judged again, drawn with the trial's seed. */
  sample: number;
  /** USD of one judge call; null when the model has no known price. */
  costOf(provider: string, model: string, usage: Usage): number | null;
}

function tierVerdict(call: JudgeCall, cost: number | null): TierVerdict {
  return { model: `${call.provider}/${call.model}`, pass: call.verdict.pass, uncertain: Boolean(call.verdict.uncertain), cost_usd: cost };
}

/** Why the first tier's verdict goes to the second, or undefined when it stands. */
export function escalationFor(verdict: JudgeVerdict, tiers: JudgeTiers, draw: number): EscalationReason | undefined {
  if (tiers.escalateWhen.includes('fail') && !verdict.pass) return 'fail';
  if (tiers.escalateWhen.includes('uncertain') && verdict.uncertain) return 'uncertain';
  if (draw < tiers.sample) return 'sample';
  return undefined;
}

export interface TieredVerdict {
  verdict: JudgeVerdict;
  judging: TrialJudging;
}

/** Judges one trial through the tiers; `draw` is the trial's seeded uniform number for the sample. */
export async function judgeTiered(input: JudgeInput, fallback: ResolvedProvider, tiers: JudgeTiers, stage: string, draw: number): Promise<TieredVerdict> {
  const firstModel = tiers.first?.() ?? fallback;
  const first = await judgeOnce(input, { provider: firstModel.provider, model: firstModel.model, stage });
  const judging: TrialJudging = { first: tierVerdict(first, tiers.costOf(first.provider, first.model, first.usage)) };
  if (!tiers.second) return { verdict: first.verdict, judging };
  const reason = escalationFor(first.verdict, tiers, draw);
  if (!reason) return { verdict: first.verdict, judging };
  const secondModel = tiers.second();
  const second = await judgeOnce(input, { provider: secondModel.provider, model: secondModel.model, stage: `${stage}:escalated` });
  return {
    verdict: second.verdict,
    judging: { ...judging, second: tierVerdict(second, tiers.costOf(second.provider, second.model, second.usage)), escalated: reason },
  };
}

export interface JudgingSummary {
  /** Trials judged under tiers. */
  trials: number;
  escalated: number;
  /** By reason: fail, uncertain, sample. */
  reasons: Partial<Record<EscalationReason, number>>;
  /** Among escalated trials, the share where both tiers gave the same pass/fail; null when none. */
  agreement_rate: number | null;
  /** USD per tier and in all; null when a call of that tier had no known price. */
  cost_usd: { first: number | null; second: number | null; total: number | null };
  models: { first: string[]; second: string[] };
}

function add(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

/** The tiers' totals over a run; undefined when no trial carries a tiered judging record. */
export function summariseJudging(result: RunResult): JudgingSummary | undefined {
  const records = result.scenarios.flatMap((scenario) => scenario.trials.flatMap((trial) => (trial.judging ? [trial.judging] : [])));
  if (records.length === 0) return undefined;
  const escalated = records.filter((record) => record.second);
  const agreeing = escalated.filter((record) => record.second!.pass === record.first.pass).length;
  const reasons: JudgingSummary['reasons'] = {};
  for (const record of escalated) if (record.escalated) reasons[record.escalated] = (reasons[record.escalated] ?? 0) + 1;
  const first = records.reduce<number | null>((sum, record) => add(sum, record.first.cost_usd), 0);
  const second = escalated.reduce<number | null>((sum, record) => add(sum, record.second!.cost_usd), 0);
  return {
    trials: records.length,
    escalated: escalated.length,
    reasons,
    agreement_rate: escalated.length > 0 ? agreeing / escalated.length : null,
    cost_usd: { first, second, total: add(first, second) },
    models: { first: [...new Set(records.map((r) => r.first.model))], second: [...new Set(escalated.map((r) => r.second!.model))] },
  };
}

export interface JudgeConfig {
  model?: string;
  escalate_to?: string;
  escalate_when: readonly EscalateWhen[];
  sample: number;
}

type Env = Record<string, string | undefined>;

/** A model spec → a provider per call: scripted models replay from the top each time, others are shared. */
function providerSource(spec: string, env: Env): () => ResolvedProvider {
  const resolved = resolveProvider(spec, env);
  return spec.startsWith('scripted:') ? () => resolveProvider(spec, env) : () => resolved;
}

/**
 * The tiers of `validation.judge`; undefined when it is not set. Models are resolved here, so a
 * missing key is refused before any trial runs.
 */
export function judgeTiersFrom(config: JudgeConfig | undefined, env: Env): JudgeTiers | undefined {
  if (!config) return undefined;
  return {
    ...(config.model ? { first: providerSource(config.model, env) } : {}),
    ...(config.escalate_to ? { second: providerSource(config.escalate_to, env) } : {}),
    escalateWhen: config.escalate_when,
    sample: config.sample,
    costOf: (provider, model, usage) => modelCatalog().costOf(provider, model, usage),
  };
}
