// The `validate` and `aggregate` commands (issue 6, security.md): holdout validation of the checked
// out factory PR head. The scenarios come from the holdouts repository with the scenarios token
// (refused when it could write to the product repository, or on a fork PR event) into RUNNER_TEMP;
// the artifact runs with a scrubbed environment; the product side (check run, job summary, outputs,
// step log) only ever sees the leak-safe summary. The detailed report stays on the validation side:
// a file in RUNNER_TEMP and, when the scenarios token allows, a commit on the holdouts repository's
// results branch. A sharded run writes its partial result there; `aggregate` reads the shards back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveProvider, type ResolvedProvider } from '../core/agent/llm/resolve.ts';
import { CHECK_NAMES, decodeExternalId } from '../core/domain/checks.ts';
import type { FactoryConfig } from '../core/domain/config.ts';
import { embedFeedback } from '../core/domain/feedback.ts';
import { aggregate, AggregateError } from '../core/validation/aggregate.ts';
import { createLocalHarness } from '../core/validation/harness.ts';
import { detailedReport, evaluate, formatSummary, type Evaluation } from '../core/validation/report.ts';
import { judgeTiersFrom, type JudgeTiers } from '../core/validation/tiered-judge.ts';
import { runValidation } from '../core/validation/run.ts';
import { loadScenarioDirectory } from '../core/validation/scenarios.ts';
import type { RunResult } from '../core/validation/types.ts';
import { defaultBranchRef, loadConfig } from './config-source.ts';
import { ActionError, type FailureCode } from './errors.ts';
import { createGit } from './git.ts';
import type { Octokit } from './github-client.ts';
import { concludeCheck, defaultBranchOf, markCheckInProgress, type RepoRef } from './github.ts';
import type { ActionInputs } from './inputs.ts';
import { commitResults, fetchScenarios, listResultFiles, parseRepo, readResultFile, scenariosTokenCanWrite } from './scenarios-fetch.ts';

export interface ValidateDependencies {
  inputs: ActionInputs;
  /** The Action's environment, without the scenarios token (GITHUB_*, RUNNER_*, provider keys). */
  env: Readonly<Record<string, string | undefined>>;
  /** The event payload (GITHUB_EVENT_PATH), or null. */
  event: unknown;
  /** The product repository's API with `github-token` (the App token owning the check). */
  octokit: Octokit;
  /** An API client for the holdouts repository with the scenarios token. */
  scenariosOctokit: Octokit;
  repo: RepoRef;
  workspace: string;
  /** RUNNER_TEMP: outside the checkout. */
  tempRoot: string;
  now: () => number;
  /** The step log: leak-safe lines only. */
  log: (line: string) => void;
}

export interface ValidateOutputs {
  status: 'success' | 'fail';
  reason?: string;
  /** A failure's stable code (the `error-code` output). */
  errorCode?: FailureCode;
  /** Empty for a shard's partial result (the gate is decided by aggregate). */
  gate: 'pass' | 'fail' | '';
  satisfaction?: number;
  satisfactionLower?: number;
  /** The job summary: the leak-safe summary only. */
  summary: string;
  /** The detailed report (validate) or partial result (shard) in RUNNER_TEMP. */
  reportFile: string;
}

const GLOB = /[*?[\]{}]/;

/** Why a pull-request event from a fork must not run validation (null when it is not one). */
export function forkRefusal(eventName: string | undefined, event: unknown, repository: string): string | null {
  if (!eventName?.startsWith('pull_request')) return null;
  const pull = (event as { pull_request?: { head?: { repo?: { full_name?: string } | null } } } | null)?.pull_request;
  const head = pull?.head?.repo?.full_name;
  if (head !== undefined && head.toLowerCase() === repository.toLowerCase()) return null;
  return `refusing to validate: this is a ${eventName} event from a fork (${head ?? 'a deleted repository'}); holdout scenarios and their token are never used for code from another repository`;
}

/** `results/<head sha>/<run id>-<attempt>/` on the results branch of the holdouts repository. */
export function resultsDir(headSha: string, env: Readonly<Record<string, string | undefined>>): string {
  return `results/${headSha}/${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
}

export function shardFileName(shard: { index: number; count: number }): string {
  return `shard-${shard.index}-of-${shard.count}.json`;
}

/** The check output and job summary: built only from the leak-safe summary. */
export function leakSafeMarkdown(evaluation: Evaluation, heading: string): string {
  const safe = evaluation.leakSafe;
  const lines = [`## ${heading}`, '', '```', ...formatSummary(safe), '```'];
  if (safe.feedback) lines.push('', embedFeedback(safe.feedback));
  return `${lines.join('\n')}\n`;
}

export function checkTitle(evaluation: Evaluation): string {
  const safe = evaluation.leakSafe;
  if (safe.overall.trials === 0) return 'Validation harness error: no trial could be judged';
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  return `Satisfaction ${pct(safe.overall.rate)} (lower bound ${pct(safe.overall.lower)}): ${safe.decision === 'pass' ? 'gate passed' : 'gate failed'}`;
}

/** Success only when the gate passes and something was judged; never neutral or skipped. */
export function conclusionOf(evaluation: Evaluation): 'success' | 'failure' {
  return evaluation.leakSafe.decision === 'pass' && evaluation.leakSafe.overall.trials > 0 ? 'success' : 'failure';
}

function headShaOf(workspace: string): string {
  return createGit(workspace).run(['rev-parse', 'HEAD']).trim();
}

function loadDefaultConfig(deps: ValidateDependencies, defaultBranch: string): FactoryConfig {
  const git = createGit(deps.workspace);
  return loadConfig(git, defaultBranchRef(git, defaultBranch), deps.inputs.configPath);
}

async function feedbackRound(deps: ValidateDependencies): Promise<number> {
  if (deps.inputs.checkRunId === undefined) return 1;
  try {
    const { data } = await deps.octokit.rest.checks.get({ ...deps.repo, check_run_id: deps.inputs.checkRunId });
    return decodeExternalId(data.external_id)?.round ?? 1;
  } catch {
    return 1;
  }
}

function evaluateWith(config: FactoryConfig, result: RunResult, round: number): Evaluation {
  return evaluate(result, {
    thresholds: config.validation.thresholds,
    confidence: config.validation.confidence,
    feedback: { level: config.feedback.level, tags: config.feedback.tags, round, specPointers: [...config.spec.ready, ...config.spec.paths.filter((path) => !GLOB.test(path))] },
  });
}

interface Context {
  config: FactoryConfig;
  holdouts: RepoRef;
  headSha: string;
}

async function prepare(deps: ValidateDependencies): Promise<Context> {
  const { inputs, env } = deps;
  const refusal = forkRefusal(env.GITHUB_EVENT_NAME, deps.event, `${deps.repo.owner}/${deps.repo.repo}`);
  if (refusal) throw new ActionError('input', refusal);
  if (!inputs.scenariosToken) throw new ActionError('input', `input \`scenarios-token\`: required for \`${inputs.command}\` (a token that can read the holdouts repository and cannot write to this one)`);
  const defaultBranch = await defaultBranchOf(deps.octokit, deps.repo);
  const config = loadDefaultConfig(deps, defaultBranch);
  const repoName = inputs.scenariosRepo ?? config.validation.scenarios_repo;
  if (!repoName) throw new ActionError('input', `input \`scenarios-repo\`: required when ${inputs.configPath} sets no \`validation.scenarios_repo\``);
  const holdouts = parseRepo(repoName);
  if (holdouts.owner.toLowerCase() === deps.repo.owner.toLowerCase() && holdouts.repo.toLowerCase() === deps.repo.repo.toLowerCase()) {
    throw new ActionError('input', 'refusing to validate: the scenarios repository is the product repository; holdout scenarios must live in a separate repository');
  }
  if (await scenariosTokenCanWrite(deps.scenariosOctokit, deps.repo)) {
    throw new ActionError('input', `refusing to validate: the scenarios token can write to ${deps.repo.owner}/${deps.repo.repo}; scope it to the holdouts repository (${repoName}) only`);
  }
  return { config, holdouts, headSha: headShaOf(deps.workspace) };
}

async function conclude(deps: ValidateDependencies, evaluation: Evaluation, summary: string): Promise<void> {
  if (deps.inputs.checkRunId === undefined) return;
  await concludeCheck(deps.octokit, deps.repo, deps.inputs.checkRunId, conclusionOf(evaluation), checkTitle(evaluation), summary.slice(0, 60_000), new Date(deps.now()).toISOString());
}

/** Commits to the holdouts repository; a failure is logged without detail and reported as false. */
async function tryCommit(deps: ValidateDependencies, holdouts: RepoRef, path: string, content: string, message: string): Promise<boolean> {
  try {
    await commitResults(deps.scenariosOctokit, holdouts, path, content, message);
    deps.log(`detailed results committed to ${holdouts.owner}/${holdouts.repo} (validation side)`);
    return true;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    deps.log(`::warning::could not commit the detailed results to the holdouts repository (HTTP ${typeof status === 'number' ? status : 'error'}); they are in RUNNER_TEMP only`);
    return false;
  }
}

function outputsOf(evaluation: Evaluation, summary: string, reportFile: string): ValidateOutputs {
  const safe = evaluation.leakSafe;
  const judged = safe.overall.trials > 0;
  const outputs: ValidateOutputs = { status: conclusionOf(evaluation) === 'success' ? 'success' : 'fail', gate: judged ? safe.decision : 'fail', satisfaction: safe.overall.rate, satisfactionLower: safe.overall.lower, summary, reportFile };
  if (outputs.status === 'fail') {
    outputs.reason = judged ? 'the satisfaction gate failed' : 'harness error: no trial could be judged';
    outputs.errorCode = judged ? 'gate_failed' : 'harness';
  }
  return outputs;
}

export async function validateCommand(deps: ValidateDependencies): Promise<ValidateOutputs> {
  const { inputs } = deps;
  const { config, holdouts, headSha } = await prepare(deps);
  if (!config.artifact.start) throw new ActionError('config', `${inputs.configPath}: \`artifact.start\` is required to validate the artifact`);
  const model = inputs.models ?? config.validation.model;
  if (!model) throw new ActionError('model', `no validation model: pass the \`models\` input or set \`validation.model\` in ${inputs.configPath}`);
  let resolved: ResolvedProvider;
  try {
    resolved = resolveProvider(model, deps.env);
  } catch (error) {
    throw new ActionError('model', `validation model: ${(error as Error).message}`);
  }
  const providerFor = model.startsWith('scripted:') ? () => resolveProvider(model, deps.env) : () => resolved;
  let judge: JudgeTiers | undefined;
  try {
    judge = judgeTiersFrom(config.validation.judge, deps.env);
  } catch (error) {
    throw new ActionError('model', `validation.judge: ${(error as Error).message}`);
  }
  if (inputs.checkRunId !== undefined && !inputs.shard) {
    await markCheckInProgress(deps.octokit, deps.repo, inputs.checkRunId, 'Validating against the holdout scenarios', 'Holdout validation is running.');
  }

  const scenariosDir = mkdtempSync(join(deps.tempRoot, 'factory-scenarios-'));
  let result: RunResult;
  try {
    const files = await fetchScenarios(deps.scenariosOctokit, { ...holdouts, path: config.validation.scenarios_path, ...(inputs.scenariosRef ? { ref: inputs.scenariosRef } : {}) }, scenariosDir);
    deps.log(`fetched ${files} scenario file(s) from the holdouts repository into RUNNER_TEMP`);
    const set = loadScenarioDirectory(scenariosDir);
    const harness = createLocalHarness({ artifact: config.artifact, twins: config.twins, checkout: deps.workspace, scenariosDir, parentEnv: deps.env, tempRoot: deps.tempRoot });
    try {
      result = await runValidation({
        set,
        harness,
        providerFor,
        trials: inputs.trials ?? config.validation.trials,
        concurrency: config.validation.concurrency,
        ...(inputs.shard ? { shard: inputs.shard } : {}),
        ...(judge ? { judge } : {}),
      });
    } finally {
      await harness.dispose();
    }
  } finally {
    rmSync(scenariosDir, { recursive: true, force: true });
  }

  const dir = resultsDir(headSha, deps.env);
  const round = await feedbackRound(deps);
  const evaluation = evaluateWith(config, result, round);
  if (inputs.shard && inputs.shard.count > 1) {
    const partial = `${JSON.stringify(result, null, 2)}\n`;
    const reportFile = join(deps.tempRoot, `factory-validation-${shardFileName(inputs.shard)}`);
    writeFileSync(reportFile, partial);
    const committed = await tryCommit(deps, holdouts, `${dir}/${shardFileName(inputs.shard)}`, partial, `factory: partial validation result ${inputs.shard.index}/${inputs.shard.count} for ${headSha}`);
    const summary = leakSafeMarkdown(evaluation, `${CHECK_NAMES.satisfaction}: shard ${inputs.shard.index}/${inputs.shard.count} (partial)`);
    if (!committed) return { status: 'fail', reason: 'the partial result could not be committed to the holdouts repository, so aggregate cannot read it', errorCode: 'harness', gate: '', summary, reportFile };
    return { status: 'success', gate: '', summary, reportFile };
  }
  const report = `${JSON.stringify(detailedReport(result, evaluation), null, 2)}\n`;
  const reportFile = join(deps.tempRoot, 'factory-validation-report.json');
  writeFileSync(reportFile, report);
  await tryCommit(deps, holdouts, `${dir}/report.json`, report, `factory: validation report for ${headSha}`);
  const summary = leakSafeMarkdown(evaluation, CHECK_NAMES.satisfaction);
  await conclude(deps, evaluation, summary);
  return outputsOf(evaluation, summary, reportFile);
}

/** Combines the shards of this workflow run (committed by `validate` with `shard: i/n`) and concludes. */
export async function aggregateCommand(deps: ValidateDependencies): Promise<ValidateOutputs> {
  const { config, holdouts, headSha } = await prepare(deps);
  const dir = resultsDir(headSha, deps.env);
  const names = (await listResultFiles(deps.scenariosOctokit, holdouts, dir)).filter((name) => /^shard-\d+-of-\d+\.json$/.test(name));
  const partials: RunResult[] = [];
  for (const name of names) {
    const text = await readResultFile(deps.scenariosOctokit, holdouts, `${dir}/${name}`);
    let value: RunResult;
    try {
      value = JSON.parse(text) as RunResult;
    } catch {
      throw new ActionError('input', `aggregate: ${name} in the holdouts repository is not JSON`);
    }
    if (value.kind !== 'factory-validation-result' || value.version !== 1) throw new ActionError('input', `aggregate: ${name} is not a partial validation result`);
    partials.push(value);
  }
  let result: RunResult;
  try {
    result = aggregate(partials);
  } catch (error) {
    if (error instanceof AggregateError) throw new ActionError('input', `${error.message} (read from the results branch of the holdouts repository, ${dir})`);
    throw error;
  }
  const evaluation = evaluateWith(config, result, await feedbackRound(deps));
  const report = `${JSON.stringify(detailedReport(result, evaluation), null, 2)}\n`;
  const reportFile = join(deps.tempRoot, 'factory-validation-report.json');
  writeFileSync(reportFile, report);
  await tryCommit(deps, holdouts, `${dir}/report.json`, report, `factory: validation report for ${headSha} (${partials.length} shards)`);
  const summary = leakSafeMarkdown(evaluation, CHECK_NAMES.satisfaction);
  await conclude(deps, evaluation, summary);
  return outputsOf(evaluation, summary, reportFile);
}
