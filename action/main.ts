// The Action's entry point: reads inputs and the runner's environment, calls the command, and
// turns its result into outputs, a job summary and the step's exit status. Nothing else.
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { ActionError, codeOfError } from './errors.ts';
import { createGitHubClient, type Octokit } from './github-client.ts';
import { concludeCheck, type RepoRef } from './github.ts';
import { readInputs, type ActionInputs } from './inputs.ts';
import { runCommand, type RunOutputs } from './run.ts';
import { isShiftCommand, shiftCommand } from './shift.ts';
import { externalIdAtConclusion, spendSoFar, type Spend } from './spend.ts';
import { STATE_CHECK_CONCLUDED, STATE_RESTORED_USD, STATE_RUN_DIR, STATE_STARTED_AT } from './state.ts';
import { aggregateCommand, validateCommand, type ValidateOutputs } from './validate.ts';

const CANCEL_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

function repoFromEnv(env: NodeJS.ProcessEnv): RepoRef {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) throw new ActionError('input', 'GITHUB_REPOSITORY is not set to owner/name: run this Action inside a GitHub Actions workflow');
  return { owner, repo };
}

function setOutputs(outputs: RunOutputs): void {
  core.setOutput('status', outputs.status);
  core.setOutput('branch', outputs.branch);
  core.setOutput('run-dir', outputs.runDir);
  core.setOutput('tokens-in', String(outputs.tokensIn));
  core.setOutput('tokens-out', String(outputs.tokensOut));
  core.setOutput('cost-usd', outputs.costUsd === null ? '' : outputs.costUsd.toFixed(6));
  if (outputs.prNumber !== undefined) core.setOutput('pr-number', String(outputs.prNumber));
  if (outputs.errorCode !== undefined) core.setOutput('error-code', outputs.errorCode);
}

function setValidateOutputs(outputs: ValidateOutputs): void {
  core.setOutput('status', outputs.status);
  core.setOutput('gate', outputs.gate);
  core.setOutput('satisfaction', outputs.satisfaction === undefined ? '' : String(outputs.satisfaction));
  core.setOutput('satisfaction-lower', outputs.satisfactionLower === undefined ? '' : String(outputs.satisfactionLower));
  if (outputs.errorCode !== undefined) core.setOutput('error-code', outputs.errorCode);
}

/** The environment variable the runner sets for an input (`scenarios-token` → INPUT_SCENARIOS-TOKEN). */
function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function readEvent(path: string | undefined): unknown {
  if (!path) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/**
 * validate/aggregate are `quiet`: no request log at all, not even in debug logs (the request paths
 * name scenario files); expected 404s (a token that cannot see the product repository) are handled.
 */
function newOctokit(token: string, env: NodeJS.ProcessEnv, quiet = false): Octokit {
  return createGitHubClient({ token, baseUrl: env.GITHUB_API_URL ?? 'https://api.github.com', log: (line) => core.info(line), quiet });
}

/** `spend`: what a failed `run` spent so far (a `factory` check records it; validation's do not). */
async function failCheck(octokit: Octokit, repo: RepoRef, inputs: ActionInputs, message: string, spend: Spend | undefined): Promise<void> {
  if (inputs.checkRunId === undefined) return;
  // A shard does not own the check: aggregate concludes it (and fails it when a shard is missing).
  if (inputs.command === 'validate' && inputs.shard && inputs.shard.count > 1) return;
  const title = inputs.command === 'run' ? 'Factory run could not start' : inputs.command === 'review' ? 'Spec review could not run' : 'Validation could not run';
  try {
    const externalId = inputs.command === 'run' ? await externalIdAtConclusion(octokit, repo, inputs.checkRunId, spend, process.env.GITHUB_RUN_ID, (warning) => core.warning(warning)) : undefined;
    await concludeCheck(octokit, repo, inputs.checkRunId, 'failure', title, message.slice(0, 60_000), new Date().toISOString(), undefined, externalId !== undefined ? { externalId } : {});
    core.saveState(STATE_CHECK_CONCLUDED, 'true');
  } catch (error) {
    core.warning(`could not conclude check run ${inputs.checkRunId}: ${(error as Error).message}`);
  }
}

/**
 * The command has concluded its check by now: a job summary that cannot be written (no
 * GITHUB_STEP_SUMMARY, a full disk) is a warning, never a reason to overwrite that verdict.
 */
async function writeJobSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(`could not write the job summary: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  core.info('spec-factory: starting');
  const startedAt = Date.now();
  core.saveState(STATE_STARTED_AT, String(startedAt));
  // What the run command saved for the post step, also read here when it fails (its spend so far).
  const saved = new Map<string, string>();
  const env = { ...process.env };
  const cancellation = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    core.warning(`received ${signal}: cancelling the run and saving its checkpoint`);
    cancellation.abort(new Error(`cancelled by ${signal}`));
  };
  for (const signal of CANCEL_SIGNALS) process.on(signal, onSignal);

  let inputs: ActionInputs | undefined;
  let octokit: Octokit | undefined;
  let repo: RepoRef | undefined;
  try {
    inputs = readInputs((name) => core.getInput(name));
    // The scenarios token lives only in `inputs` from here on: not in this process's environment
    // (nor, through it, in any process started later) and not in the snapshot handed to commands.
    delete process.env[inputVariable('scenarios-token')];
    delete env[inputVariable('scenarios-token')];
    if (inputs.scenariosToken) core.setSecret(inputs.scenariosToken);
    if (!inputs.githubToken) throw new ActionError('input', 'input `github-token`: required (the default is the workflow token, github.token)');
    repo = repoFromEnv(env);
    octokit = newOctokit(inputs.githubToken, env);
    if (isShiftCommand(inputs.command)) {
      // Interactive shift (review, scenarios, drift): action/shift.ts.
      const scenariosToken = inputs.scenariosToken ?? '';
      let scenariosOctokit: Octokit | undefined;
      const outputs = await shiftCommand(inputs.command, {
        inputs, env, octokit: newOctokit(inputs.githubToken, env, true),
        // Built at first use: a command that needs no scenarios token never builds it.
        get scenariosOctokit(): Octokit {
          scenariosOctokit ??= newOctokit(scenariosToken, env, true);
          return scenariosOctokit;
        },
        repo, workspace: env.GITHUB_WORKSPACE ?? process.cwd(), tempRoot: env.RUNNER_TEMP ?? process.cwd(), log: (line: string) => core.info(line),
      });
      core.setOutput('status', outputs.status);
      await writeJobSummary(outputs.summary);
      if (outputs.status === 'fail') core.setFailed(`factory ${inputs.command}: ${outputs.reason ?? 'failed'}`);
      return;
    }
    if (inputs.command !== 'run') {
      const scenariosToken = inputs.scenariosToken ?? '';
      let scenariosOctokit: Octokit | undefined;
      const deps = {
        inputs,
        env,
        event: readEvent(env.GITHUB_EVENT_PATH),
        octokit: newOctokit(inputs.githubToken, env, true),
        // Built at first use, after validate has refused a missing scenarios token with its own message.
        get scenariosOctokit(): Octokit {
          scenariosOctokit ??= newOctokit(scenariosToken, env, true);
          return scenariosOctokit;
        },
        repo,
        workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
        tempRoot: env.RUNNER_TEMP ?? process.cwd(),
        now: Date.now,
        log: (line: string) => core.info(line),
      };
      const outputs = inputs.command === 'validate' ? await validateCommand(deps) : await aggregateCommand(deps);
      setValidateOutputs(outputs);
      await writeJobSummary(outputs.summary);
      if (outputs.status === 'fail') core.setFailed(`factory ${inputs.command}: ${outputs.reason ?? 'failed'}`);
      return;
    }
    const outputs = await runCommand({
      inputs,
      env,
      toolEnv: process.env,
      octokit,
      repo,
      workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
      runRoot: env.RUNNER_TEMP ?? process.cwd(),
      now: Date.now,
      setTimer: (callback, ms) => {
        const timer = setTimeout(callback, ms);
        return () => clearTimeout(timer);
      },
      log: (line) => core.info(line),
      signal: cancellation.signal,
      saveState: (name, value) => {
        saved.set(name, value);
        core.saveState(name, value);
      },
    });
    setOutputs(outputs);
    await writeJobSummary(outputs.summary);
    if (outputs.status === 'fail' || outputs.status === 'cancelled') core.setFailed(`factory run ${outputs.status}: ${outputs.reason ?? ''}`.trim());
  } catch (error) {
    const code = codeOfError(error);
    const message = error instanceof ActionError ? error.message : code === 'github_api' ? `GitHub API: ${(error as Error).message}` : `unexpected error: ${(error as Error).stack ?? String(error)}`;
    core.setOutput('status', 'fail');
    core.setOutput('error-code', code);
    if (octokit && repo && inputs) {
      const restoredUsd = saved.get(STATE_RESTORED_USD);
      const spend = spendSoFar({ runDir: saved.get(STATE_RUN_DIR), startedAt, ...(restoredUsd ? { restoredUsd: Number(restoredUsd) } : {}), now: Date.now() });
      await failCheck(octokit, repo, inputs, message, spend);
    }
    core.setFailed(message);
  } finally {
    for (const signal of CANCEL_SIGNALS) process.off(signal, onSignal);
  }
}

await main();
// Model SDK clients and keep-alive sockets may hold the event loop open; the step is done.
process.exit();
