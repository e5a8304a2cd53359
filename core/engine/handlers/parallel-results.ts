// The small per-branch record a parallel node leaves in the context for its fan-in (engine.md decision 10).
import type { BranchResult, BranchWorkspace } from '../handler.ts';
import type { StageStatus } from '../outcome.ts';

export interface ParallelBranchRecord {
  /** The branch's first node. */
  id: string;
  status: StageStatus;
  notes?: string;
  failure_reason?: string;
  score?: number;
  completed_nodes: string[];
  last_response?: string;
  /** Where the branch worked, when branches are isolated: its directory, git branch and commit. */
  workspace?: BranchWorkspace;
}

export function branchRecord(result: BranchResult, parentLastResponse: unknown): ParallelBranchRecord {
  const { outcome } = result;
  const record: ParallelBranchRecord = { id: result.branch, status: outcome.status, completed_nodes: [...result.completed_nodes] };
  if (outcome.notes) record.notes = outcome.notes;
  if (outcome.failure_reason) record.failure_reason = outcome.failure_reason;
  const score = numericScore(outcome.context_updates?.score);
  if (score !== undefined) record.score = score;
  const fromOutcome = outcome.context_updates?.last_response;
  const fromContext = result.context.get('last_response');
  if (typeof fromOutcome === 'string') record.last_response = fromOutcome;
  // A value the branch inherited from the parent says nothing about the branch.
  else if (typeof fromContext === 'string' && fromContext !== parentLastResponse) record.last_response = fromContext;
  return record;
}

export function numericScore(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Reads `parallel.results` back, keeping only entries that look like branch records. */
export function readBranchRecords(value: unknown): ParallelBranchRecord[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is ParallelBranchRecord =>
      typeof entry === 'object' && entry !== null && typeof entry.id === 'string' && typeof entry.status === 'string',
  );
}
