// One validation run (or one shard of it): every scenario × trial through the scheduler, each trial
// = resampled variations → validation agent on black-box tools → checks → judge. Harness errors
// (artifact did not start, provider failure, unusable verdict) are retried, then recorded as such.
import type { ResolvedProvider } from '../agent/llm/resolve.ts';
import type { LoadedScenario, ScenarioSet } from './scenarios.ts';
import { agentPrompt, runValidationAgent } from './agent.ts';
import { evaluateChecks, mustChecksPass, substitute, substituteValue } from './checks.ts';
import type { ArtifactHarness, OpenTarget } from './harness.ts';
import { judgeTrial } from './judge.ts';
import { judgeTiered, type JudgeTiers } from './tiered-judge.ts';
import { scheduleTrials, selectShard, WHOLE, type ScenarioSlot, type Shard } from './scheduler.ts';
import { cliTool, httpTool } from './tools.ts';
import { TwinError } from './twins/session.ts';
import type { Interaction, RunResult, ScenarioResult, TrialResult, TwinExchange, VariationValue } from './types.ts';
import { sampleVariations, seededRandom, seedFrom } from './variations.ts';

export const DEFAULT_MAX_ATTEMPTS = 3;

export interface RunOptions {
  set: ScenarioSet;
  harness: ArtifactHarness;
  /** A provider for one trial attempt (the scripted one must be fresh per attempt). */
  providerFor(): ResolvedProvider;
  /** Configured trials; a scenario's own `trials` may only raise it. */
  trials: number;
  concurrency: number;
  shard?: Shard;
  /** Seeds the variation draws (default: the scenario-set hash, so reruns draw the same). */
  seed?: string;
  maxAttempts?: number;
  fetch?: typeof fetch;
  /** Tiered judging (validation.judge); absent: the agent's model judges, once. */
  judge?: JudgeTiers;
  /** Told after each finished trial, for progress on the validation side. */
  onTrialDone?(progress: TrialProgress): void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface TrialProgress {
  outcome: TrialResult['outcome'];
  done: number;
  total: number;
}

export function effectiveTrials(configured: number, scenario: LoadedScenario): number {
  return Math.max(configured, scenario.scenario.trials ?? 0);
}

/** Sends the scenario's `setup:` requests to this trial's twins, in order; any failure is a TwinError. */
export async function sendSetup(scenario: LoadedScenario['scenario'], open: OpenTarget, variations: Readonly<Record<string, VariationValue>>): Promise<void> {
  for (const [index, request] of scenario.setup.entries()) {
    if (!open.twins) throw new TwinError(request.twin, `setup[${index}]: no twins are declared in the config, so twin "${request.twin}" cannot be seeded`);
    const answer = await open.twins.send(request.twin, {
      method: request.method,
      path: substitute(request.path, variations),
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body === undefined ? {} : { body: substituteValue(request.body, variations) }),
    });
    if (answer.status < 200 || answer.status > 299) throw new TwinError(request.twin, `setup[${index}]: twin "${request.twin}" answered ${answer.status} to ${request.method.toUpperCase()} ${request.path}`);
  }
}

export async function runValidation(options: RunOptions): Promise<RunResult> {
  const shard = options.shard ?? WHOLE;
  const chosen = selectShard(options.set.scenarios, shard);
  const logs = new Map<string, string[]>();
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const seed = options.seed ?? options.set.hash;

  const progress = { done: 0, total: chosen.reduce((sum, loaded) => sum + effectiveTrials(options.trials, loaded), 0) };
  const runOneTrial = async (loaded: LoadedScenario, trial: number, slot: ScenarioSlot<OpenTarget>): Promise<TrialResult> => {
    const { scenario } = loaded;
    const variations = sampleVariations(scenario.variations, seededRandom(seedFrom(seed, scenario.id, trial)));
    const base = { trial: trial + 1, variations };
    let lastError = '';
    let lastInteractions: Interaction[] = [];
    let lastTraffic: TwinExchange[] | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      let open: OpenTarget;
      try {
        open = await slot.acquire();
      } catch (error) {
        lastError = error instanceof TwinError ? `twin did not start: ${message(error)}` : `artifact did not start: ${message(error)}`;
        continue;
      }
      // Only this attempt's traffic counts (a retried attempt may meet the same, still-running twins).
      const trafficStart = open.twins?.exchanges().length ?? 0;
      const trafficOf = (): TwinExchange[] | undefined => open.twins?.exchanges().slice(trafficStart);
      try {
        await sendSetup(scenario, open, variations);
      } catch (error) {
        lastError = `setup: ${message(error)}`;
        continue;
      }
      const interactions: Interaction[] = [];
      lastInteractions = interactions;
      const record = (interaction: Interaction): void => {
        interactions.push(interaction);
      };
      const tool = open.target.kind === 'http' ? httpTool(open.target.baseUrl, record, options.fetch) : cliTool(open.target.run, record);
      let resolved: ResolvedProvider;
      let agentSummary: string;
      try {
        resolved = options.providerFor();
        agentSummary = (await runValidationAgent(agentPrompt(scenario, variations), { provider: resolved.provider, model: resolved.model, tools: [tool], stage: `agent:${scenario.id}` })).summary;
      } catch (error) {
        lastError = `validation agent: ${message(error)}`;
        lastTraffic = trafficOf();
        continue;
      }
      const twinTraffic = trafficOf();
      lastTraffic = twinTraffic;
      const traffic = twinTraffic ? { twinTraffic } : {};
      const checks = evaluateChecks(scenario.checks, interactions, variations, twinTraffic ?? []);
      if (!mustChecksPass(checks)) {
        return { ...base, outcome: 'unsatisfied', attempts: attempt, interactions, ...traffic, checks, agentSummary };
      }
      try {
        const input = { scenario, variations, interactions, ...traffic, checks, agentSummary };
        const stage = `judge:${scenario.id}`;
        if (!options.judge) {
          const verdict = await judgeTrial(input, { provider: resolved.provider, model: resolved.model, stage });
          return { ...base, outcome: verdict.pass ? 'satisfied' : 'unsatisfied', attempts: attempt, interactions, ...traffic, checks, agentSummary, verdict };
        }
        // The sample draw depends only on the seed, scenario and trial: reruns escalate the same trials.
        const draw = seededRandom(seedFrom(seed, scenario.id, trial, 'judge-sample'))();
        const { verdict, judging } = await judgeTiered(input, resolved, options.judge, stage, draw);
        return { ...base, outcome: verdict.pass ? 'satisfied' : 'unsatisfied', attempts: attempt, interactions, ...traffic, checks, agentSummary, verdict, judging };
      } catch (error) {
        lastError = `judge: ${message(error)}`;
      }
    }
    return { ...base, outcome: 'harness_error', attempts: maxAttempts, interactions: lastInteractions, ...(lastTraffic ? { twinTraffic: lastTraffic } : {}), checks: [], harnessError: lastError };
  };

  const trialResults = await scheduleTrials<LoadedScenario, OpenTarget, TrialResult>(chosen, {
    concurrency: options.concurrency,
    trialsOf: (loaded) => effectiveTrials(options.trials, loaded),
    slot: (loaded) => ({
      open: () => options.harness.open(),
      alive: (open) => open.alive(),
      close: async (open) => {
        const log = await open.close();
        if (log) logs.set(loaded.scenario.id, [...(logs.get(loaded.scenario.id) ?? []), log]);
      },
    }),
    async runTrial(unit, slot) {
      const result = await runOneTrial(unit.scenario, unit.trial, slot);
      progress.done += 1;
      options.onTrialDone?.({ outcome: result.outcome, ...progress });
      return result;
    },
  });

  const scenarios: ScenarioResult[] = chosen.map((loaded, index) => ({
    id: loaded.scenario.id,
    file: loaded.file,
    title: loaded.scenario.title,
    category: loaded.scenario.category,
    criticality: loaded.scenario.criticality,
    feedbackTags: loaded.scenario.feedback_tags,
    trials: trialResults[index]!,
    artifactLogs: logs.get(loaded.scenario.id) ?? [],
  }));
  return {
    version: 1,
    kind: 'factory-validation-result',
    shard,
    scenarioSetHash: options.set.hash,
    isolation: options.harness.isolation,
    malformed: options.set.malformed,
    scenarios,
  };
}
