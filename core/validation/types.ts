// The validation side's records: what each trial did and how it was judged. These stay on the
// holdouts side (the detailed report, partial results); leak-safe views are derived in report.ts.
import type { Criticality, ScenarioCategory } from '../domain/scenario.ts';
import type { MalformedScenario } from './scenarios.ts';

export type VariationValue = string | number | boolean;

export interface HttpInteraction {
  kind: 'http';
  request: { method: string; path: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  error?: string;
}

export interface CliInteraction {
  kind: 'cli';
  args: string[];
  stdin?: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

export type Interaction = HttpInteraction | CliInteraction;

/** One request the artifact made to a twin, through the twin's recording proxy (validation side only). */
export interface TwinExchange {
  twin: string;
  /** `path` without the query; `query` with its leading `?` (or empty); credential headers removed. */
  request: { method: string; path: string; query: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  error?: string;
}

export interface CheckResult {
  index: number;
  id?: string;
  must: boolean;
  passed: boolean;
  detail: string;
}

export interface CriterionVerdict {
  id: string;
  pass: boolean;
  reasoning: string;
}

export interface JudgeVerdict {
  criteria: CriterionVerdict[];
  /** Passed weight / total weight. */
  score: number;
  pass: boolean;
  /** The judge said the record did not let it decide with confidence. */
  uncertain?: boolean;
}

/** Why a first-tier verdict went to the second judge. */
export type EscalationReason = 'fail' | 'uncertain' | 'sample';

/** One judge tier's verdict on a trial and what it cost. */
export interface TierVerdict {
  model: string;
  pass: boolean;
  uncertain: boolean;
  cost_usd: number | null;
}

/** How a trial was judged under tiered judging: the first tier, and the second when escalated. */
export interface TrialJudging {
  first: TierVerdict;
  second?: TierVerdict;
  escalated?: EscalationReason;
}

export type TrialOutcome = 'satisfied' | 'unsatisfied' | 'harness_error';

export interface TrialResult {
  trial: number;
  outcome: TrialOutcome;
  /** Attempts made (harness errors are retried). */
  attempts: number;
  variations: Record<string, VariationValue>;
  interactions: Interaction[];
  /** What the artifact sent its twins in this trial, in order (present when twins are declared). */
  twinTraffic?: TwinExchange[];
  checks: CheckResult[];
  agentSummary?: string;
  verdict?: JudgeVerdict;
  /** Set under tiered judging (validation.judge): each tier's verdict and cost. */
  judging?: TrialJudging;
  /** Why the last attempt was a harness error. */
  harnessError?: string;
}

export interface ScenarioResult {
  id: string;
  file: string;
  title: string;
  category: ScenarioCategory;
  criticality: Criticality;
  feedbackTags: string[];
  trials: TrialResult[];
  /** The artifact's output per start (validation side only). */
  artifactLogs: string[];
}

export interface IsolationStatus {
  credentialsScrubbed: boolean;
  scenariosOutsideWorkdir: boolean;
  network: 'applied' | 'not applied';
  note: string;
}

/** One runner's result (the whole set is shard 1/1); `aggregate` merges shards into one. */
export interface RunResult {
  version: 1;
  kind: 'factory-validation-result';
  shard: { index: number; count: number };
  scenarioSetHash: string;
  isolation: IsolationStatus;
  malformed: MalformedScenario[];
  scenarios: ScenarioResult[];
}
