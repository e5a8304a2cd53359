// Fan-in (Attractor §4.9): pick the best of the parallel branches, by a heuristic or, when the node
// has a prompt and a backend is configured, by asking the model.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attrString } from '../graph.ts';
import type { Handler, StageInput } from '../handler.ts';
import { isSuccessful, type Outcome } from '../outcome.ts';
import { readBranchRecords, type ParallelBranchRecord } from './parallel-results.ts';
import { expandGoal } from './prompt.ts';

const STATUS_RANK: Readonly<Record<string, number>> = { success: 0, partial_success: 1, retry: 2, fail: 3 };
const UNRANKED = 4;

export const MERGE_POLICIES = ['best', 'all'] as const;

export class FanInHandler implements Handler {
  async execute(input: StageInput): Promise<Outcome> {
    const outcome = await this.#select(input);
    return applyToWorkdir(input, outcome);
  }

  async #select(input: StageInput): Promise<Outcome> {
    const candidates = readBranchRecords(input.context.get('parallel.results'));
    if (candidates.length === 0) return { status: 'fail', failure_reason: 'No parallel results to evaluate' };
    const eligible = candidates.filter((c) => isSuccessful(c.status));
    if (eligible.length === 0) {
      return { status: 'fail', failure_reason: `All ${candidates.length} parallel candidates failed` };
    }

    const prompt = attrString(input.node.attrs, 'prompt');
    const backend = input.services.backend;
    if (!prompt) return chosen(heuristicSelect(eligible), 'heuristic');
    if (!backend) return chosen(heuristicSelect(eligible), 'heuristic; no backend to rank with');

    const request = rankingPrompt(expandGoal(prompt, input.graph), candidates);
    writeFileSync(join(input.stageDir, 'prompt.md'), request);
    const answer = await backend.run({
      node: input.node,
      prompt: request,
      context: input.context,
      graph: input.graph,
      logsRoot: input.logsRoot,
      stageDir: input.stageDir,
      fidelity: input.fidelity,
      threadKey: input.threadKey,
      history: input.history,
      signal: input.signal,
      emit: input.emit,
    });
    const text = typeof answer === 'string' ? answer : (answer.notes ?? '');
    writeFileSync(join(input.stageDir, 'response.md'), text);

    const pickedId = typeof answer === 'string' ? idFromText(answer, eligible) : idFromOutcome(answer, eligible);
    const picked = eligible.find((c) => c.id === pickedId);
    const result = picked
      ? chosen(picked, 'ranked by the backend')
      : chosen(heuristicSelect(eligible), 'heuristic; the backend named no successful candidate');
    if (typeof answer !== 'string') {
      if (answer.usage) result.usage = answer.usage;
      if (answer.cost_usd !== undefined) result.cost_usd = answer.cost_usd;
    }
    return result;
  }
}

/** Best status first, then the higher score (absent counts as 0), then the id, for a stable choice. */
export function heuristicSelect(candidates: readonly ParallelBranchRecord[]): ParallelBranchRecord {
  const rank = (c: ParallelBranchRecord): number => STATUS_RANK[c.status] ?? UNRANKED;
  const sorted = [...candidates].sort(
    (a, b) => rank(a) - rank(b) || (b.score ?? 0) - (a.score ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return sorted[0]!;
}

function rankingPrompt(prompt: string, candidates: readonly ParallelBranchRecord[]): string {
  const lines = candidates.map((c) => {
    const parts = [`status: ${c.status}`];
    if (c.score !== undefined) parts.push(`score: ${c.score}`);
    if (c.notes) parts.push(`notes: ${c.notes}`);
    if (c.failure_reason) parts.push(`failure: ${c.failure_reason}`);
    if (c.last_response) parts.push(`last response: ${c.last_response}`);
    return `- ${c.id} (${parts.join('; ')})`;
  });
  return `${prompt}\n\nCandidates:\n${lines.join('\n')}\n\nAnswer with a line "best: <candidate id>".\n`;
}

function idFromOutcome(outcome: Outcome, candidates: readonly ParallelBranchRecord[]): string | undefined {
  const named = [outcome.preferred_label, ...(outcome.suggested_next_ids ?? [])];
  return named.find((id) => id !== undefined && candidates.some((c) => c.id === id));
}

/** A `best: <id>` line wins; otherwise the candidate mentioned first. */
function idFromText(text: string, candidates: readonly ParallelBranchRecord[]): string | undefined {
  const declared = /^\s*best\s*:\s*[`"'*]*([^\s`"'*]+)/im.exec(text)?.[1]?.replace(/[.,;:!]+$/, '');
  if (declared && candidates.some((c) => c.id === declared)) return declared;
  let first: { id: string; at: number } | undefined;
  for (const { id } of candidates) {
    const at = text.search(new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(id)}(?![A-Za-z0-9_])`));
    if (at >= 0 && (first === undefined || at < first.at)) first = { id, at };
  }
  return first?.id;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Isolated branches: the selected branch's changes go to the main working directory (`merge_policy=all`:
 * every successful branch's, merged; a conflict fails the stage listing the files and changes nothing).
 * The other branches stay where they are, for inspection.
 */
async function applyToWorkdir(input: StageInput, outcome: Outcome): Promise<Outcome> {
  const workspaces = input.services.workspaces;
  const bestId = outcome.context_updates?.['parallel.fan_in.best_id'];
  if (!workspaces || outcome.status !== 'success' || typeof bestId !== 'string') return outcome;
  const records = readBranchRecords(input.context.get('parallel.results'));
  const policy = attrString(input.node.attrs, 'merge_policy') || 'best';
  if (!(MERGE_POLICIES as readonly string[]).includes(policy)) {
    return { status: 'fail', failure_reason: `Unknown merge_policy "${policy}" (expected ${MERGE_POLICIES.join(' or ')})` };
  }
  const chosenRecords = policy === 'all' ? records.filter((r) => isSuccessful(r.status)) : records.filter((r) => r.id === bestId);
  const branches = chosenRecords.flatMap((r) => (r.workspace ? [r.workspace] : []));
  if (branches.length === 0) return outcome;
  const applied = await workspaces.fanIn({ baseDir: input.services.workdir, branches });
  const ids = branches.map((b) => b.branch);
  if (!applied.applied) {
    return {
      status: 'fail',
      failure_reason: `Merging branches ${ids.join(', ')} conflicts in ${applied.conflicts.length} file(s): ${applied.conflicts.join(', ')}`,
      context_updates: { ...outcome.context_updates, 'parallel.fan_in.conflicts': applied.conflicts },
    };
  }
  return {
    ...outcome,
    notes: `${outcome.notes ?? ''}; applied ${ids.join(', ')} to the working directory (${applied.files.length} file(s))`,
    context_updates: { ...outcome.context_updates, 'parallel.fan_in.applied': ids },
  };
}

function chosen(best: ParallelBranchRecord, how: string): Outcome {
  return {
    status: 'success',
    notes: `Selected best candidate: ${best.id} (${how})`,
    context_updates: { 'parallel.fan_in.best_id': best.id, 'parallel.fan_in.best_outcome': best.status },
  };
}
