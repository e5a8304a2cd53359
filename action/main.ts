// The Action's entry point: reads inputs and the runner's environment, calls the command, and
// turns its result into outputs, a job summary and the step's exit status. Nothing else.
import * as core from '@actions/core';
import { Octokit } from '@octokit/rest';
import { DEFAULT_API_RETRY, installApiRetry } from './api-retry.ts';
import { ActionError } from './errors.ts';
import { concludeCheck, type RepoRef } from './github.ts';
import { readInputs, type ActionInputs } from './inputs.ts';
import { runCommand, type RunOutputs } from './run.ts';
import { STATE_CHECK_CONCLUDED } from './state.ts';

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
}

async function failCheck(octokit: Octokit, repo: RepoRef, inputs: ActionInputs, message: string): Promise<void> {
  if (inputs.checkRunId === undefined) return;
  try {
    await concludeCheck(octokit, repo, inputs.checkRunId, 'failure', 'Factory run could not start', message.slice(0, 60_000), new Date().toISOString());
    core.saveState(STATE_CHECK_CONCLUDED, 'true');
  } catch (error) {
    core.warning(`could not conclude check run ${inputs.checkRunId}: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  core.info('spec-factory: starting');
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
    if (inputs.command !== 'run') throw new ActionError('not_available', `command \`${inputs.command}\` is not available yet in this version of the Action; only \`run\` is`);
    if (!inputs.githubToken) throw new ActionError('input', 'input `github-token`: required (the default is the workflow token, github.token)');
    repo = repoFromEnv(env);
    octokit = new Octokit({ auth: inputs.githubToken, baseUrl: env.GITHUB_API_URL ?? 'https://api.github.com', userAgent: 'spec-factory-action' });
    installApiRetry(octokit, { ...DEFAULT_API_RETRY, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
    const outputs = await runCommand({
      inputs,
      env,
      toolEnv: process.env,
      octokit,
      repo,
      workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
      runRoot: env.RUNNER_TEMP ?? process.cwd(),
      now: Date.now,
      log: (line) => core.info(line),
      signal: cancellation.signal,
      saveState: (name, value) => core.saveState(name, value),
    });
    setOutputs(outputs);
    await core.summary.addRaw(outputs.summary).write();
    if (outputs.status === 'fail' || outputs.status === 'cancelled') core.setFailed(`factory run ${outputs.status}: ${outputs.reason ?? ''}`.trim());
  } catch (error) {
    const message = error instanceof ActionError ? error.message : `unexpected error: ${(error as Error).stack ?? String(error)}`;
    core.setOutput('status', 'fail');
    if (octokit && repo && inputs) await failCheck(octokit, repo, inputs, message);
    core.setFailed(message);
  } finally {
    for (const signal of CANCEL_SIGNALS) process.off(signal, onSignal);
  }
}

await main();
// Model SDK clients and keep-alive sockets may hold the event loop open; the step is done.
process.exit();
