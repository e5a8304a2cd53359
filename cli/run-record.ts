// Reads what a finished or interrupted run left in its logs directory, for drawing it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CheckpointError } from '../core/engine/errors.ts';
import type { Graph } from '../core/engine/graph.ts';
import type { RunRecord } from '../core/engine/render/index.ts';
import { loadCheckpoint } from '../core/engine/run/checkpoint.ts';
import { UsageError } from './errors.ts';
import { readJsonFile } from './json-file.ts';

const resultStatusSchema = z.looseObject({ status: z.enum(['success', 'fail', 'waiting', 'cancelled']) });

export interface LoadedRunRecord {
  record: RunRecord;
  /** Set when the checkpoint was written for a different version of the graph file. */
  warning?: string;
}

export function loadRunRecord(logsDir: string, graph: Graph, graphSource: string): LoadedRunRecord {
  if (!existsSync(join(logsDir, 'checkpoint.json'))) throw new UsageError(`--run ${logsDir}: no checkpoint.json there; expected a run's logs directory`);
  let checkpoint;
  try {
    checkpoint = loadCheckpoint(logsDir);
  } catch (error) {
    if (error instanceof CheckpointError) throw new UsageError(`--run ${logsDir}: ${error.message}`);
    throw error;
  }
  const resultPath = join(logsDir, 'result.json');
  const result = existsSync(resultPath) ? readJsonFile(resultPath, resultStatusSchema, 'a run result') : undefined;
  const unknown = [...checkpoint.completed_nodes, ...(checkpoint.next_node ? [checkpoint.next_node] : [])].find((id) => !graph.nodes.has(id));
  if (unknown) {
    throw new UsageError(`--run ${logsDir}: the run visited node "${unknown}", which this graph does not have (checkpoint of graph "${checkpoint.graph.name}")`);
  }
  const record: RunRecord = {
    completed_nodes: checkpoint.completed_nodes,
    node_outcomes: checkpoint.node_outcomes,
    current_node: checkpoint.current_node,
    next_node: checkpoint.next_node,
    next_edge_index: checkpoint.next_edge_index,
    status: result?.status ?? checkpoint.status,
  };
  const sha = createHash('sha256').update(graphSource).digest('hex');
  if (checkpoint.graph.sha256 === sha) return { record };
  return { record, warning: `factory render: warning: ${logsDir} was recorded for another version of the graph (sha256 ${checkpoint.graph.sha256.slice(0, 12)}); the drawing may not match` };
}
