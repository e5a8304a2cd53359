// The one line a finished `factory run` ends with: status, stages, duration, spend, where the logs are.
import type { RunResult } from '../core/engine/run/run-dir.ts';
import { formatDuration, plural } from './output.ts';
import { addSpend, formatSpend } from './progress.ts';

export function formatRunSummary(result: RunResult, durationMs: number, logsDir: string): string {
  if (result.already_complete) {
    return `factory run: already complete — the run in ${logsDir} finished successfully (${plural(result.completed_nodes.length, 'stage')}); nothing to run`;
  }
  const spend = formatSpend(addSpend({ tokens: 0, cost: undefined }, result.usage, result.cost_usd));
  let line = `factory run: ${result.status} — ${plural(result.completed_nodes.length, 'stage')} in ${formatDuration(durationMs)}`;
  if (spend) line += `, ${spend}`;
  if (result.status === 'waiting' && result.waiting_for) line += `; waiting for an answer at "${result.waiting_for.node_id}" (continue with --resume)`;
  else if (result.failure_reason) line += `; ${result.failure_reason.split('\n', 1)[0]}`;
  return `${line}; logs in ${logsDir}`;
}
