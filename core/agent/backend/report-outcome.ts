// The structured end of every stage: a report_outcome tool whose arguments become the engine
// Outcome. The label must be one of the stage's outgoing edge labels, so the model cannot route
// somewhere the graph does not go; a bad call is returned to the model to correct.
import { z } from 'zod';
import type { StageStatus } from '../../engine/outcome.ts';
import { defineTool, type Tool } from '../tools/tool.ts';

export const REPORT_OUTCOME = 'report_outcome';

export interface OutcomeReport {
  status: Exclude<StageStatus, 'skipped'>;
  preferred_label?: string;
  suggested_next_ids?: string[];
  notes?: string;
  context_updates?: Record<string, unknown>;
}

export function reportOutcomeSchema(labels: readonly string[], nodeIds: readonly string[]) {
  const label = labels.length > 0
    ? z.enum(labels as [string, ...string[]]).describe('Which outgoing edge to follow').optional()
    : z.never().describe('This stage has no labelled outgoing edges; omit').optional();
  const nextId = nodeIds.length > 0 ? z.enum(nodeIds as [string, ...string[]]) : z.never();
  return z.object({
    status: z.enum(['success', 'partial_success', 'retry', 'fail']).describe('success: done; partial_success: done with gaps; retry: try this stage again; fail: cannot be done'),
    preferred_label: label,
    suggested_next_ids: z.array(nextId).optional().describe('Node ids to prefer next, if no label applies'),
    notes: z.string().optional().describe('What was done, or why it failed'),
    context_updates: z.record(z.string(), z.unknown()).optional().describe('Key/value facts for later stages'),
  });
}

/** The tool, reporting each accepted call through `onReport`; the latest call wins. */
export function reportOutcomeTool(labels: readonly string[], nodeIds: readonly string[], onReport: (report: OutcomeReport) => void): Tool {
  const allowed = labels.length ? ` Allowed preferred_label values: ${labels.map((l) => JSON.stringify(l)).join(', ')}.` : '';
  return defineTool({
    name: REPORT_OUTCOME,
    kind: 'report_outcome',
    description: `Report the outcome of this stage and end it. Call once, after the work and its checks.${allowed}`,
    schema: reportOutcomeSchema(labels, nodeIds),
    run: async (report) => {
      onReport(report as OutcomeReport);
      return { output: `outcome recorded: ${report.status}`, stop: true };
    },
  });
}
