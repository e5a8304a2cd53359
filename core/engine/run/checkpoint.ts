// Checkpoints (Attractor §5.3, contracts.md §2, engine.md decision 10): written atomically after
// every node; the size depends on the graph, not on how long the run has gone on (besides `logs`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CheckpointError } from '../errors.ts';
import { JsonTextError, parseJsonText } from '../json-text.ts';
import { STAGE_STATUSES, type Outcome, type Usage } from '../outcome.ts';
import { keepPreviousVersion, writeJsonAtomic } from './files.ts';

const usageSchema = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_tokens: z.number().optional(),
  cache_write_tokens: z.number().optional(),
  reasoning_tokens: z.number().optional(),
});

const outcomeSchema = z.looseObject({
  status: z.enum(STAGE_STATUSES),
  preferred_label: z.string().optional(),
  suggested_next_ids: z.array(z.string()).optional(),
  context_updates: z.record(z.string(), z.unknown()).optional(),
  notes: z.string().optional(),
  failure_reason: z.string().optional(),
  usage: usageSchema.optional(),
  cost_usd: z.number().nullable().optional(),
});

export const checkpointSchema = z.object({
  timestamp: z.string(),
  run_id: z.string(),
  graph: z.object({ name: z.string(), sha256: z.string() }),
  /** Last completed node (the exit node once the run reached it). */
  current_node: z.string(),
  /** Where a resumed run continues; absent once the run has finished. */
  next_node: z.string().optional(),
  /** The edge taken to `next_node`, for fidelity and thread resolution on resume. */
  next_edge_index: z.number().int().optional(),
  completed_nodes: z.array(z.string()),
  node_outcomes: z.record(z.string(), outcomeSchema),
  /** Retries per visit of each node, in visit order (a bare count, as §5.3 writes it, is one visit). */
  node_retries: z.record(z.string(), z.union([z.array(z.number().int()), z.number().int().transform((n) => [n])])),
  node_visits: z.record(z.string(), z.number().int()),
  steps: z.number().int(),
  restarts: z.number().int(),
  context: z.record(z.string(), z.unknown()),
  logs: z.array(z.string()),
  usage: usageSchema.optional(),
  cost_usd: z.number().nullable().optional(),
  status: z.enum(['running', 'success', 'fail', 'waiting', 'cancelled']),
  failure_reason: z.string().optional(),
});

export type Checkpoint = Omit<z.infer<typeof checkpointSchema>, 'node_outcomes' | 'usage'> & { node_outcomes: Record<string, Outcome>; usage?: Usage };

/**
 * The checkpoint as Attractor §5.3 writes it (other implementations' runs): no run id, no graph
 * identity, no resume point — the next node is the one after `current_node` in the traversal.
 */
export const specCheckpointSchema = z.looseObject({
  timestamp: z.string(),
  current_node: z.string(),
  completed_nodes: z.array(z.string()),
  node_retries: z.record(z.string(), z.number().int()).default({}),
  context_values: z.record(z.string(), z.unknown()).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  logs: z.array(z.string()).default([]),
});

export interface SpecCheckpoint {
  timestamp: string;
  current_node: string;
  completed_nodes: string[];
  node_retries: Record<string, number>;
  context: Record<string, unknown>;
  logs: string[];
}

export type LoadedCheckpoint = { shape: 'ours'; checkpoint: Checkpoint } | { shape: 'spec'; checkpoint: SpecCheckpoint };

export function checkpointPath(logsRoot: string): string {
  return join(logsRoot, 'checkpoint.json');
}

/** The checkpoint before the last one, kept so a checkpoint damaged after it was written (a cut copy, a full disk) is not the end of the run. */
export function previousCheckpointPath(logsRoot: string): string {
  return join(logsRoot, 'checkpoint.previous.json');
}

export function saveCheckpoint(logsRoot: string, checkpoint: Checkpoint): void {
  keepPreviousVersion(checkpointPath(logsRoot), previousCheckpointPath(logsRoot));
  writeJsonAtomic(checkpointPath(logsRoot), checkpoint);
}

/** What to do about a checkpoint that does not parse. */
function recovery(logsRoot: string): string {
  const previous = previousCheckpointPath(logsRoot);
  const restore = existsSync(previous)
    ? `restore the previous checkpoint (cp ${previous} ${checkpointPath(logsRoot)}) and run again with --resume (the stage after it runs again), or `
    : '';
  return `To recover, ${restore}start over: run without --resume into a fresh --logs directory.`;
}

function unreadableCheckpoint(logsRoot: string, error: JsonTextError): CheckpointError {
  const what = error.truncated
    ? `${error.file} is truncated: the JSON ends early (${error.line === undefined ? 'the file is empty' : `at line ${error.line}, column ${error.column}`}), so the run cannot resume from it.`
    : `${error.message}; the run cannot resume from it.`;
  return new CheckpointError(`${what} ${recovery(logsRoot)}`);
}

export function loadCheckpoint(logsRoot: string): Checkpoint {
  const loaded = loadAnyCheckpoint(logsRoot);
  if (loaded.shape === 'spec') throw new CheckpointError(`${checkpointPath(logsRoot)} is not a checkpoint: run_id: missing`);
  return loaded.checkpoint;
}

/** Our checkpoint, or one in the §5.3 shape (recognised by having no `run_id`). */
export function loadAnyCheckpoint(logsRoot: string): LoadedCheckpoint {
  const path = checkpointPath(logsRoot);
  if (!existsSync(path)) throw new CheckpointError(`no checkpoint to resume from: ${path} does not exist`);
  let data: unknown;
  try {
    data = parseJsonText(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if (error instanceof JsonTextError) throw unreadableCheckpoint(logsRoot, error);
    throw new CheckpointError(`${path} cannot be read: ${(error as Error).message}`);
  }
  const specShaped = typeof data === 'object' && data !== null && !Array.isArray(data) && !('run_id' in data);
  if (specShaped) {
    const spec = specCheckpointSchema.safeParse(data);
    if (!spec.success) throw notACheckpoint(path, spec.error.issues[0]!);
    const { timestamp, current_node, completed_nodes, node_retries, logs } = spec.data;
    const context = spec.data.context_values ?? spec.data.context ?? {};
    return { shape: 'spec', checkpoint: { timestamp, current_node, completed_nodes, node_retries, context, logs } };
  }
  const parsed = checkpointSchema.safeParse(data);
  if (!parsed.success) throw notACheckpoint(path, parsed.error.issues[0]!);
  return { shape: 'ours', checkpoint: parsed.data as Checkpoint };
}

function notACheckpoint(path: string, issue: z.core.$ZodIssue): CheckpointError {
  return new CheckpointError(`${path} is not a checkpoint: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
