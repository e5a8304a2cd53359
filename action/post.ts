// The post step: runs after the job's steps, even when the main step failed, was cancelled or its
// process died. It says where the run directory (checkpoint, events) is, for the workflow's
// upload-artifact step, and concludes the `factory` check when the main step could not.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { Octokit } from '@octokit/rest';
import { concludeCheck } from './github.ts';
import { postStepDecision } from './post-decision.ts';
import { STATE_CHECK_CONCLUDED, STATE_RUN_DIR } from './state.ts';

async function post(): Promise<void> {
  const runDir = core.getState(STATE_RUN_DIR);
  const decision = postStepDecision({
    runDir: runDir || undefined,
    checkpointExists: runDir !== '' && existsSync(join(runDir, 'checkpoint.json')),
    checkConcluded: core.getState(STATE_CHECK_CONCLUDED) === 'true',
    checkRunId: core.getInput('check-run-id'),
  });
  for (const line of decision.log) core.info(line);
  if (decision.conclude === undefined) return;
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return;
  const octokit = new Octokit({ auth: core.getInput('github-token'), baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com', userAgent: 'spec-factory-action' });
  try {
    await concludeCheck(octokit, { owner, repo }, decision.conclude.checkRunId, 'failure', decision.conclude.title, decision.conclude.summary, new Date().toISOString());
  } catch (error) {
    core.warning(`could not conclude check run ${decision.conclude.checkRunId}: ${(error as Error).message}`);
  }
}

await post();
