// `factory validate --scenarios <dir> --artifact <factory.yml> [...]` (contracts.md §1): holdout
// validation against a locally started artifact. Stdout carries only the leak-safe summary; the
// detailed report (per scenario, transcripts, judge reasoning, artifact logs) goes to --report.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveProvider, type ResolvedProvider } from '../core/agent/llm/resolve.ts';
import { formatConfigIssues, parseFactoryConfig, type FactoryConfig } from '../core/domain/config.ts';
import { embedFeedback } from '../core/domain/feedback.ts';
import { createLocalHarness } from '../core/validation/harness.ts';
import { detailedReport, evaluate, formatSummary, type Evaluation } from '../core/validation/report.ts';
import { runValidation, type RunOptions } from '../core/validation/run.ts';
import { judgeTiersFrom, type JudgeTiers } from '../core/validation/tiered-judge.ts';
import type { RunResult } from '../core/validation/types.ts';
import { loadScenarioDirectory } from '../core/validation/scenarios.ts';
import { createTargetHarness, productionSafeOnly } from '../core/validation/target.ts';
import { parseShard, type Shard } from '../core/validation/scheduler.ts';
import { HELP_OPTION, noPositionals, parseCommandArgs } from './args.ts';
import { checkoutOf } from './config-file.ts';
import { EXIT_FAILURE, EXIT_SUCCESS, UsageError } from './errors.ts';
import { writeLine, type CliIO } from './output.ts';

export const VALIDATE_USAGE = `Usage: factory validate --scenarios <dir> --artifact <factory.yml> [options]

Builds and starts the artifact described by the config's \`artifact\` section (in a scenario-free
copy of the directory holding the config; for .github/factory.yml, the repository root), runs every
holdout scenario's trials with a validation agent and a judge, and prints satisfaction per
category with intervals, the gate decision, the scenario-set hash and the isolation status.

Options:
  --scenarios <dir>     the holdout scenario directory (*.md files)
  --artifact <file>     the factory.yml whose artifact and validation sections apply
  --model <spec>        validation agent and judge (default: validation.model), e.g.
                        anthropic/<model> or scripted:<file>
  --trials <n>          trials per scenario (a scenario's own trials may only raise it)
  --concurrency <n>     trials in flight at once
  --shard <i/n>         run a deterministic share of the scenarios (a partial result)
  --json                print the leak-safe summary as one JSON object
  --report <file>       write the detailed report (validation side only) to this file
  --target <url>        drift replay: run only the production_safe scenarios against this
                        already-running service (nothing is built or started; --artifact is
                        then optional and only supplies thresholds and the model)
  -h, --help            show this help

Exit status: 0 the gate passes, 1 it fails, 2 bad input.`;

const OPTIONS = {
  ...HELP_OPTION,
  scenarios: { type: 'string' },
  artifact: { type: 'string' },
  model: { type: 'string' },
  trials: { type: 'string' },
  concurrency: { type: 'string' },
  shard: { type: 'string' },
  json: { type: 'boolean' },
  report: { type: 'string' },
  target: { type: 'string' },
} as const;

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`factory validate: --${name} must be a positive whole number, got "${text}"`);
  return Number(text);
}

export { checkoutOf };

const GLOB = /[*?[\]{}]/;

export interface LocalValidationOptions {
  config: FactoryConfig;
  /** The config file: the artifact is built from a copy of its checkout. */
  configPath: string;
  scenariosDir: string;
  model: string;
  trials: number;
  concurrency: number;
  shard?: Shard;
  env: NodeJS.ProcessEnv;
  onTrialDone?: RunOptions['onTrialDone'];
  /** Drift replay: only production_safe scenarios, against this running service. */
  target?: string;
}

/** Starts the artifact per trial, runs the scenarios and evaluates the gate (validation side only). */
export async function validateLocally(options: LocalValidationOptions): Promise<{ result: RunResult; evaluation: Evaluation }> {
  const { config, model, env } = options;
  let resolved: ResolvedProvider;
  try {
    resolved = resolveProvider(model, env);
  } catch (error) {
    throw new UsageError(`factory validate: ${(error as Error).message}`);
  }
  // The scripted provider replays from the top per trial attempt; network providers are shared.
  const providerFor = model.startsWith('scripted:') ? () => resolveProvider(model, env) : () => resolved;
  let judge: JudgeTiers | undefined;
  try {
    judge = judgeTiersFrom(config.validation.judge, env);
  } catch (error) {
    throw new UsageError(`factory validate: validation.judge: ${(error as Error).message}`);
  }
  const loaded = loadScenarioDirectory(options.scenariosDir);
  const set = options.target === undefined ? loaded : productionSafeOnly(loaded);
  if (options.target !== undefined && set.scenarios.length === 0) throw new UsageError(`factory validate: --target: no scenario in ${options.scenariosDir} is marked production_safe: true`);
  const harness = options.target === undefined
    ? createLocalHarness({ artifact: config.artifact, twins: config.twins, checkout: checkoutOf(options.configPath), scenariosDir: options.scenariosDir, parentEnv: env })
    : createTargetHarness(options.target);
  let result: RunResult;
  try {
    result = await runValidation({
      set, harness, providerFor, trials: options.trials, concurrency: options.concurrency, ...(judge ? { judge } : {}),
      ...(options.shard ? { shard: options.shard } : {}), ...(options.onTrialDone ? { onTrialDone: options.onTrialDone } : {}),
    });
  } finally {
    await harness.dispose();
  }
  const evaluation = evaluate(result, {
    thresholds: config.validation.thresholds,
    confidence: config.validation.confidence,
    feedback: {
      level: config.feedback.level,
      tags: config.feedback.tags,
      round: 1,
      specPointers: [...config.spec.ready, ...config.spec.paths.filter((path) => !GLOB.test(path))],
    },
  });
  return { result, evaluation };
}

export async function validateCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', argv, OPTIONS);
  if (values.help) {
    writeLine(io.stdout, VALIDATE_USAGE);
    return EXIT_SUCCESS;
  }
  noPositionals('validate', positionals);
  if (!values.scenarios) throw new UsageError('factory validate: missing --scenarios <dir> (see factory validate --help)');
  if (values.target !== undefined && !/^https?:\/\/\S+$/.test(values.target)) throw new UsageError(`factory validate: --target must be an http(s) URL, got "${values.target}"`);
  if (!values.artifact && values.target === undefined) throw new UsageError('factory validate: missing --artifact <factory.yml> (see factory validate --help)');
  const scenariosDir = resolve(values.scenarios);
  if (!existsSync(scenariosDir) || !statSync(scenariosDir).isDirectory()) throw new UsageError(`factory validate: ${values.scenarios} is not a directory`);
  const configPath = values.artifact ?? 'factory.yml';
  let configText = 'version: 1\n';
  if (values.artifact) {
    try {
      configText = readFileSync(values.artifact, 'utf8');
    } catch (error) {
      throw new UsageError(`factory validate: cannot read ${values.artifact}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const parsed = parseFactoryConfig(configText);
  if (!parsed.ok) throw new UsageError(`factory validate: ${configPath} is not a valid config:\n${formatConfigIssues(parsed.issues, configPath)}`);
  const { config } = parsed;
  if (values.target === undefined && !config.artifact.start) throw new UsageError(`factory validate: ${configPath}: \`artifact.start\` is required to run the artifact`);
  const trials = positiveInt('trials', values.trials, config.validation.trials);
  const concurrency = positiveInt('concurrency', values.concurrency, config.validation.concurrency);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard === null) throw new UsageError(`factory validate: --shard must be i/n with 1 ≤ i ≤ n, got "${values.shard}"`);
  const model = values.model ?? config.validation.model;
  if (!model) throw new UsageError('factory validate: no model: pass --model or set validation.model in the config');
  const { result, evaluation } = await validateLocally({
    config, configPath, scenariosDir, model, trials, concurrency, env: io.env, ...(shard ? { shard } : {}), ...(values.target !== undefined ? { target: values.target } : {}),
  });
  if (values.report) writeFileSync(values.report, `${JSON.stringify(detailedReport(result, evaluation), null, 2)}\n`);
  const safe = evaluation.leakSafe;
  if (values.json) {
    writeLine(io.stdout, JSON.stringify(safe));
  } else {
    for (const line of formatSummary(safe)) writeLine(io.stdout, line);
    if (safe.feedback) writeLine(io.stdout, `Feedback: ${embedFeedback(safe.feedback)}`);
    if (safe.harnessErrors.malformedFiles + safe.harnessErrors.trials > 0) {
      writeLine(io.stdout, values.report ? `Harness error details: ${values.report}` : 'Harness error details: rerun with --report <file>');
    }
  }
  return safe.decision === 'pass' ? EXIT_SUCCESS : EXIT_FAILURE;
}
