// Checkpoints (Attractor §5.3, contracts.md §2, engine.md decision 10): written atomically after
// every node; the size depends on the graph, not on how long the run has gone on (besides `logs`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CheckpointError } from '../errors.ts';
import { STAGE_STATUSES, type Outcome, type Usage } from '../outcome.ts';
import { writeJsonAtomic } from './files.ts';

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
  node_retries: z.record(z.string(), z.number().int()),
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

export function checkpointPath(logsRoot: string): string {
  return join(logsRoot, 'checkpoint.json');
}

export function saveCheckpoint(logsRoot: string, checkpoint: Checkpoint): void {
  writeJsonAtomic(checkpointPath(logsRoot), checkpoint);
}

export function loadCheckpoint(logsRoot: string): Checkpoint {
  const path = checkpointPath(logsRoot);
  if (!existsSync(path)) throw new CheckpointError(`no checkpoint to resume from: ${path} does not exist`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CheckpointError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = checkpointSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CheckpointError(`${path} is not a checkpoint: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data as Checkpoint;
}
