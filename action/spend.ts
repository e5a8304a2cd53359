// A run's spend, written into the `factory` check's external_id when the Action concludes it, so
// the App can hold the feedback loop to factory.budget's max_usd and max_minutes across rounds.
// The external_id is read again just before the conclusion (externalIdAtConclusion): the App links
// the workflow run (`run`) to the check after dispatching, possibly after the job started.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Octokit } from './github-client.ts';
import { decodeExternalId, encodeExternalId } from '../core/domain/checks.ts';
import { checkExternalId, type RepoRef } from './github.ts';
import { foldEventLines } from './resume.ts';
import { totalsOf } from './stage-log.ts';

export interface Spend {
  usd: number;
  minutes: number;
}

/**
 * The external_id to conclude the check with: its current one, `spent` set when known (replaced,
 * not added to: one check is one job), and `run` set to this workflow run (GITHUB_RUN_ID) when the
 * App has not linked one yet. Null when the check carries no external_id of ours. Pure.
 */
export function concludedExternalId(externalId: string | null | undefined, spend: Spend | undefined, runId: string | undefined): string | null {
  const decoded = decodeExternalId(externalId);
  if (decoded === null) return null;
  const run = decoded.run === undefined && runId !== undefined && /^[1-9][0-9]*$/.test(runId) ? { run: Number(runId) } : {};
  if (spend === undefined) return encodeExternalId({ ...decoded, ...run });
  const usd = Math.max(0, Math.round(spend.usd * 1e6) / 1e6);
  const minutes = Math.max(0, Math.round(spend.minutes * 100) / 100);
  return encodeExternalId({ ...decoded, ...run, spent: { usd, minutes } });
}

/**
 * Reads the check's external_id now and returns the one to conclude it with (concludedExternalId),
 * or undefined — after a warning — when it cannot be read or is not ours (the check then keeps its own).
 */
export async function externalIdAtConclusion(octokit: Octokit, repo: RepoRef, checkRunId: number, spend: Spend | undefined, runId: string | undefined, warn: (message: string) => void): Promise<string | undefined> {
  let current: string | null;
  try {
    current = await checkExternalId(octokit, repo, checkRunId);
  } catch (error) {
    warn(`could not read check run ${checkRunId}, so its spend is not recorded: ${(error as Error).message}`);
    return undefined;
  }
  const next = concludedExternalId(current, spend, runId);
  if (next === null) warn(`check run ${checkRunId} has no external_id of the App's; its spend is not recorded`);
  return next ?? undefined;
}

/**
 * What a job that did not reach its normal end spent, as far as is known: minutes since the main
 * step started, USD from the run directory's events (agent turns, so a stage cut off mid-way still
 * counts) less a resume's restored cost. Undefined when the start is unknown (`spent` needs both).
 * USD counts as 0 when there are no events yet or a model's price is unknown.
 */
export function spendSoFar(facts: { runDir?: string; startedAt?: number; restoredUsd?: number; now: number }): Spend | undefined {
  if (facts.startedAt === undefined || !Number.isFinite(facts.startedAt)) return undefined;
  const events = facts.runDir ? join(facts.runDir, 'events.jsonl') : undefined;
  const cost = events && existsSync(events) ? totalsOf(foldEventLines(readFileSync(events, 'utf8'))).costUsd : 0;
  const usd = cost === null ? 0 : cost - (facts.restoredUsd ?? 0);
  return { usd, minutes: (facts.now - facts.startedAt) / 60_000 };
}
