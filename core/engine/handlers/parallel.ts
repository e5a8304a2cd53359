// Parallel fan-out (Attractor §4.8, engine.md decision 4): each outgoing edge starts a branch with a
// cloned context, at most `max_parallel` at once; the branches meet again at a fan-in node, where
// the main loop continues.
import { attrNumber, attrString, outgoingEdges, type GraphEdge } from '../graph.ts';
import type { BranchResult, BranchWorkspace, Handler, StageInput } from '../handler.ts';
import { isSuccessful, type Outcome } from '../outcome.ts';
import { branchRecord, type ParallelBranchRecord } from './parallel-results.ts';

export const DEFAULT_MAX_PARALLEL = 4;
const JOIN_POLICIES = ['wait_all', 'first_success'] as const;
type JoinPolicy = (typeof JOIN_POLICIES)[number];

interface BranchSettlement {
  record: ParallelBranchRecord;
  joinedAt?: string;
  /** Stopped because another branch already satisfied first_success. */
  cancelled: boolean;
}

export class ParallelHandler implements Handler {
  async execute(input: StageInput): Promise<Outcome> {
    const { node } = input;
    const edges = outgoingEdges(input.graph, node.id);
    if (edges.length === 0) return { status: 'fail', failure_reason: `Parallel node ${node.id} has no outgoing edges` };
    const policy = attrString(node.attrs, 'join_policy') || 'wait_all';
    if (!isJoinPolicy(policy)) {
      return { status: 'fail', failure_reason: `Unknown join_policy "${policy}" (expected ${JOIN_POLICIES.join(' or ')})` };
    }
    const maxParallel = Math.max(1, Math.floor(attrNumber(node.attrs, 'max_parallel') ?? DEFAULT_MAX_PARALLEL));
    input.signal.throwIfAborted();

    const startedAt = input.services.clock.now();
    input.emit({ type: 'parallel_started', node_id: node.id, branch_count: edges.length });
    const settlements = await runBranches(input, edges, maxParallel, policy);
    input.signal.throwIfAborted();

    const records = settlements.filter((s): s is BranchSettlement => s !== undefined).map((s) => s.record);
    const successCount = records.filter((r) => isSuccessful(r.status)).length;
    const failureCount = records.filter((r) => r.status === 'fail' || r.status === 'retry').length;
    input.emit({
      type: 'parallel_completed',
      node_id: node.id,
      duration_ms: input.services.clock.now() - startedAt,
      success_count: successCount,
      failure_count: failureCount,
    });

    const context_updates = { 'parallel.results': records, 'parallel.success_count': successCount, 'parallel.failure_count': failureCount };
    const notes = `${edges.length} branches (${policy}): ${successCount} succeeded, ${failureCount} failed`;
    if (successCount === 0) {
      return { status: 'fail', failure_reason: `No parallel branch succeeded (${failureReasons(records)})`, notes, context_updates };
    }
    const joins = [...new Set(settlements.flatMap((s) => (s && !s.cancelled && s.joinedAt ? [s.joinedAt] : [])))];
    if (joins.length !== 1) {
      const reason = joins.length === 0
        ? 'No parallel branch reached a fan-in node'
        : `Parallel branches joined at different fan-in nodes: ${joins.join(', ')}`;
      return { status: 'fail', failure_reason: reason, notes, context_updates };
    }
    const status = policy === 'wait_all' && failureCount > 0 ? 'partial_success' : 'success';
    return { status, notes, context_updates, continue_at: joins[0]! };
  }
}

async function runBranches(
  input: StageInput,
  edges: GraphEdge[],
  maxParallel: number,
  policy: JoinPolicy,
): Promise<Array<BranchSettlement | undefined>> {
  const { node, services } = input;
  const branches = new AbortController();
  const abortBranches = (): void => branches.abort(input.signal.reason);
  input.signal.addEventListener('abort', abortBranches, { once: true });
  const parentLastResponse = input.context.get('last_response');
  const settlements: Array<BranchSettlement | undefined> = new Array(edges.length).fill(undefined);
  // Isolated branches: each in its own worktree (or copy) of the state at this fan-out.
  const spaces: BranchWorkspace[] | undefined = services.workspaces
    ? await services.workspaces.fanOut({ runId: input.context.getString('run.id') || 'run', nodeId: node.id, branches: edges.map((edge) => edge.to), baseDir: services.workdir })
    : undefined;
  let winner: string | undefined;
  let nextIndex = 0;

  const runOne = async (index: number): Promise<void> => {
    const target = edges[index]!.to;
    input.emit({ type: 'parallel_branch_started', node_id: node.id, branch: target, index });
    const began = services.clock.now();
    let result: BranchResult | undefined;
    let error: unknown;
    let space = spaces?.[index];
    try {
      result = await services.runBranch(target, input.context.clone(), branches.signal, space?.dir);
    } catch (caught) {
      error = caught;
    }
    if (space && services.workspaces) space = await services.workspaces.seal(space);
    const settlement = settle(target, result, error, winner, parentLastResponse);
    if (space) settlement.record.workspace = space;
    settlements[index] = settlement;
    const success = isSuccessful(settlement.record.status);
    input.emit({ type: 'parallel_branch_completed', node_id: node.id, branch: target, index, duration_ms: services.clock.now() - began, success });
    if (policy === 'first_success' && success && winner === undefined) {
      winner = target;
      branches.abort(new Error(`first_success satisfied by branch ${target}`));
    }
  };
  const worker = async (): Promise<void> => {
    while (nextIndex < edges.length && !branches.signal.aborted) await runOne(nextIndex++);
  };

  try {
    await Promise.all(Array.from({ length: Math.min(maxParallel, edges.length) }, worker));
  } finally {
    input.signal.removeEventListener('abort', abortBranches);
  }
  return settlements;
}

function settle(
  target: string,
  result: BranchResult | undefined,
  error: unknown,
  winner: string | undefined,
  parentLastResponse: unknown,
): BranchSettlement {
  const cancelled = winner !== undefined && (result === undefined || !isSuccessful(result.outcome.status));
  if (cancelled) {
    return { record: { id: target, status: 'skipped', notes: `cancelled: first_success satisfied by branch ${winner}`, completed_nodes: result?.completed_nodes ?? [] }, cancelled };
  }
  if (!result) {
    // A branch that throws fails alone; the others' work still counts.
    const message = error instanceof Error ? error.message : String(error);
    return { record: { id: target, status: 'fail', failure_reason: `branch error: ${message}`, completed_nodes: [] }, cancelled };
  }
  return { record: branchRecord(result, parentLastResponse), joinedAt: result.joined_at, cancelled };
}

function isJoinPolicy(value: string): value is JoinPolicy {
  return (JOIN_POLICIES as readonly string[]).includes(value);
}

function failureReasons(records: ParallelBranchRecord[]): string {
  return records.map((r) => `${r.id}: ${r.failure_reason ?? r.status}`).join('; ');
}
