// Resuming a run: the earlier run's directory restored from its artifact, the spec commit it was
// for, its events (so the stage table covers the whole run), and the interviewer that gives a parked
// gate its answer.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerFromChoice, AnswerValue, type Interviewer, type PipelineEvent } from '../core/engine/index.ts';
import { restoreRunArtifact } from './artifact.ts';
import { ActionError } from './errors.ts';
import type { Octokit } from './github-client.ts';
import type { RepoRef } from './github.ts';
import { emptyStageLog, foldStageEvent, type StageLog } from './stage-log.ts';

export interface RestoredRun {
  specSha?: string;
  stages: StageLog;
}

/** Downloads the artifact of workflow run `runId` into `runDir` and reads what the resume needs. */
export async function restoreRunDirectory(octokit: Octokit, repo: RepoRef, runId: number, runDir: string, token: string): Promise<RestoredRun> {
  await restoreRunArtifact({ octokit, repo, runId, token, into: runDir });
  if (!existsSync(join(runDir, 'checkpoint.json'))) {
    throw new ActionError('input', `input \`resume-run-id\`: the artifact of workflow run ${runId} holds no checkpoint.json`);
  }
  const manifest = existsSync(join(runDir, 'manifest.json')) ? (JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as { spec_sha?: unknown }) : {};
  const events = existsSync(join(runDir, 'events.jsonl')) ? readFileSync(join(runDir, 'events.jsonl'), 'utf8') : '';
  return {
    ...(typeof manifest.spec_sha === 'string' ? { specSha: manifest.spec_sha } : {}),
    stages: foldEventLines(events),
  };
}

/** The stage table of the run so far, from its events.jsonl. Pure. */
export function foldEventLines(text: string): StageLog {
  let log = emptyStageLog();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      log = foldStageEvent(log, JSON.parse(line) as PipelineEvent);
    } catch {
      // A line cut by a killed runner: the rest of the log still counts.
    }
  }
  return log;
}

/** Answers the first question with `answer` (the gate the run was parked at); later ones park again. */
export function answeringInterviewer(answer: string | undefined): Interviewer {
  let pending = answer;
  return {
    async ask(question) {
      if (pending === undefined) return { value: AnswerValue.PENDING };
      const given = answerFromChoice(question, pending);
      pending = undefined;
      return given;
    },
  };
}
