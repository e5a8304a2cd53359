// `/factory rerun` (contracts.md §6, resume issue): a run that failed, was cancelled or stopped at its
// budget is resumed from its artifact (its checkpoint re-enters at the stage that did not complete);
// `--fresh`, or a last run that succeeded, is still running or is unknown, starts over. Pure.

/** What the newest `factory` check says about the last run. */
export interface LastRun {
  status: string;
  conclusion: string | null;
  /** The workflow run whose artifact holds the run directory. */
  runId?: number | undefined;
}

export type RerunDecision =
  | { kind: 'resume'; runId: number }
  | { kind: 'fresh'; why: string };

/** Conclusions of a run that ended before its end: a budget stop and a crash conclude `failure`. */
const RESUMABLE = new Set(['failure', 'cancelled', 'timed_out']);

export function decideRerun(last: LastRun | undefined, fresh: boolean): RerunDecision {
  if (fresh) return { kind: 'fresh', why: '`--fresh` was given' };
  if (!last || last.runId === undefined) return { kind: 'fresh', why: 'no earlier run is recorded on this PR' };
  if (last.status !== 'completed') return { kind: 'fresh', why: `the last run (${last.runId}) has not finished` };
  if (last.conclusion === null || !RESUMABLE.has(last.conclusion)) return { kind: 'fresh', why: `the last run (${last.runId}) ended ${last.conclusion ?? 'without a conclusion'}` };
  return { kind: 'resume', runId: last.runId };
}
