// Per-stage figures of a run (duration, attempts, tokens, cost), folded from its events. Pure.
import type { PipelineEvent } from '../core/engine/index.ts';

export interface StageRow {
  nodeId: string;
  status: string;
  attempts: number;
  durationMs: number;
  tokensIn: number;
  tokensOut: number;
  /** null when a model's price is unknown. */
  costUsd: number | null;
}

export interface StageLog {
  rows: StageRow[];
  /** The stage running now, if any. */
  current?: string;
  /** Context in use by the latest model turn, compactions and steering messages so far. */
  context?: ContextFigures;
}

export interface ContextFigures {
  percent?: number;
  compactions: number;
  steering: number;
}

function contextOf(log: StageLog): ContextFigures {
  return log.context ?? { compactions: 0, steering: 0 };
}

export function emptyStageLog(): StageLog {
  return { rows: [] };
}

function addCost(a: number | null, b: number | null | undefined): number | null {
  if (a === null || b === null) return null;
  return a + (b ?? 0);
}

function newRow(nodeId: string): StageRow {
  return { nodeId, status: 'running', attempts: 0, durationMs: 0, tokensIn: 0, tokensOut: 0, costUsd: 0 };
}

/** Replaces the last row (a new array; rows are never mutated). */
function withLast(rows: readonly StageRow[], row: StageRow): StageRow[] {
  return [...rows.slice(0, -1), row];
}

/**
 * Returns the log with the event folded in (a new object; the old one is untouched). Tokens and cost
 * come from the agent's turns, so a stage stopped mid-way (budget, cancel) still counts what it spent.
 * Retries of one visit share a row; a later visit of the same node gets its own.
 */
export function foldStageEvent(log: StageLog, event: PipelineEvent): StageLog {
  const last = log.rows.at(-1);
  switch (event.type) {
    case 'stage_started': {
      const continues = last !== undefined && last.nodeId === event.name && (last.status === 'running' || last.status === 'retrying');
      const rows = continues ? withLast(log.rows, { ...last, status: 'running' }) : [...log.rows, newRow(event.name)];
      return { rows, current: event.name };
    }
    case 'agent_turn': {
      if (last === undefined || last.nodeId !== event.node_id) return log;
      const context = event.context_percent !== undefined ? { ...contextOf(log), percent: event.context_percent } : log.context;
      return {
        ...log,
        ...(context ? { context } : {}),
        rows: withLast(log.rows, {
          ...last,
          tokensIn: last.tokensIn + event.usage.input_tokens,
          tokensOut: last.tokensOut + event.usage.output_tokens,
          costUsd: addCost(last.costUsd, event.cost_usd),
        }),
      };
    }
    case 'context_compacted': {
      // The summarising request is spent by the stage too.
      const { percent: _dropped, ...rest } = contextOf(log);
      const context = { ...rest, compactions: rest.compactions + 1 };
      if (last === undefined || last.nodeId !== event.node_id) return { ...log, context };
      return {
        ...log,
        context,
        rows: withLast(log.rows, { ...last, tokensIn: last.tokensIn + event.usage.input_tokens, tokensOut: last.tokensOut + event.usage.output_tokens, costUsd: addCost(last.costUsd, event.cost_usd) }),
      };
    }
    case 'steering_injected': {
      const context = contextOf(log);
      return { ...log, context: { ...context, steering: context.steering + 1 } };
    }
    case 'stage_completed':
    case 'stage_failed': {
      if (last === undefined || last.nodeId !== event.name) return log;
      const status = event.type === 'stage_completed' ? event.status : event.will_retry ? 'retrying' : 'fail';
      const durationMs = last.durationMs + (event.type === 'stage_completed' ? event.duration_ms : 0);
      return { rows: withLast(log.rows, { ...last, status, durationMs, attempts: last.attempts + 1 }), ...(log.context ? { context: log.context } : {}) };
    }
    default:
      return log;
  }
}

export interface Totals {
  tokensIn: number;
  tokensOut: number;
  costUsd: number | null;
  durationMs: number;
}

export function totalsOf(log: StageLog): Totals {
  return log.rows.reduce<Totals>((sum, row) => ({
    tokensIn: sum.tokensIn + row.tokensIn,
    tokensOut: sum.tokensOut + row.tokensOut,
    costUsd: addCost(sum.costUsd, row.costUsd),
    durationMs: sum.durationMs + row.durationMs,
  }), { tokensIn: 0, tokensOut: 0, costUsd: 0, durationMs: 0 });
}
