// The post step: runs after the job's steps, even when the main step failed, was cancelled or its
// process died. It uploads the run directory (checkpoint, events) as the job's run artifact — the
// one place that does, so the name is used once per job attempt — and concludes the `factory`
// check when the main step could not.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { runArtifactName } from './artifact.ts';
import { createGitHubClient } from './github-client.ts';
import { concludeCheck } from './github.ts';
import { postStepDecision, uploadedNote } from './post-decision.ts';
import { externalIdAtConclusion, spendSoFar } from './spend.ts';
import { STATE_CHECK_CONCLUDED, STATE_RESTORED_USD, STATE_RUN_DIR, STATE_STARTED_AT } from './state.ts';
import { uploadRunDirectory, uploadUnavailable } from './upload-run-directory.ts';

/** True when the run directory is now an artifact; a failed upload is a warning, not a failed job. */
async function upload(name: string, runDir: string): Promise<boolean> {
  const unavailable = uploadUnavailable(process.env);
  if (unavailable !== null) {
    core.warning(`spec-factory post: run directory ${runDir} not uploaded: ${unavailable}`);
    return false;
  }
  try {
    const { id, size } = await uploadRunDirectory(name, runDir);
    core.info(`spec-factory post: uploaded artifact ${name} (id ${id}, ${size} bytes)`);
    return true;
  } catch (error) {
    core.warning(`spec-factory post: could not upload run directory ${runDir} as artifact ${name}: ${(error as Error).message}`);
    return false;
  }
}

async function post(): Promise<void> {
  const runDir = core.getState(STATE_RUN_DIR);
  const runId = process.env.GITHUB_RUN_ID;
  const decision = postStepDecision({
    command: core.getInput('command'),
    runDir: runDir || undefined,
    checkpointExists: runDir !== '' && existsSync(join(runDir, 'checkpoint.json')),
    checkConcluded: core.getState(STATE_CHECK_CONCLUDED) === 'true',
    checkRunId: core.getInput('check-run-id'),
    ...(runId ? { artifactName: runArtifactName(runId, process.env.GITHUB_RUN_ATTEMPT) } : {}),
  });
  for (const line of decision.log) core.info(line);
  const uploaded = decision.upload ? await upload(decision.upload.name, decision.upload.runDir) : false;
  if (decision.conclude === undefined) return;
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return;
  const octokit = createGitHubClient({ token: core.getInput('github-token'), baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com', log: (line) => core.info(line) });
  const summary = decision.conclude.summary + (uploaded && decision.upload ? uploadedNote(decision.upload.name) : '');
  const startedAt = core.getState(STATE_STARTED_AT);
  const restoredUsd = core.getState(STATE_RESTORED_USD);
  const spend = spendSoFar({ ...(runDir ? { runDir } : {}), ...(startedAt ? { startedAt: Number(startedAt) } : {}), ...(restoredUsd ? { restoredUsd: Number(restoredUsd) } : {}), now: Date.now() });
  try {
    const externalId = await externalIdAtConclusion(octokit, { owner, repo }, decision.conclude.checkRunId, spend, runId, (message) => core.warning(message));
    await concludeCheck(octokit, { owner, repo }, decision.conclude.checkRunId, 'failure', decision.conclude.title, summary, new Date().toISOString(), undefined, externalId !== undefined ? { externalId } : {});
  } catch (error) {
    core.warning(`could not conclude check run ${decision.conclude.checkRunId}: ${(error as Error).message}`);
  }
}

await post();

// Keep-alive sockets of the upload may hold the event loop open; the step is done.
process.exit();
