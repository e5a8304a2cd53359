// The context carried into a stage (Attractor §5.4), built from the run history per fidelity mode.
// `full` carries no preamble: the thread's session already holds the conversation.
import type { FidelityMode, RunHistory } from '../../engine/backend.ts';
import type { Outcome } from '../../engine/outcome.ts';

export interface PreambleInput {
  mode: FidelityMode;
  goal: string;
  runId: string;
  history: RunHistory;
  context: Record<string, unknown>;
}

const NOTE_CHARS: Record<'compact' | 'summary:low' | 'summary:medium' | 'summary:high', number> = {
  compact: 200,
  'summary:low': 0,
  'summary:medium': 500,
  'summary:high': 2_000,
};
const CONTEXT_VALUE_CHARS = 300;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

function stageLine(id: string, outcome: Outcome | undefined, noteChars: number): string {
  if (!outcome) return `- ${id}`;
  let line = `- ${id}: ${outcome.status}`;
  if (outcome.preferred_label) line += ` (label: ${outcome.preferred_label})`;
  if (outcome.failure_reason) line += ` — failure: ${clip(outcome.failure_reason, Math.max(noteChars, 120))}`;
  if (noteChars > 0 && outcome.notes) line += ` — ${clip(outcome.notes.replace(/\s+/g, ' '), noteChars)}`;
  return line;
}

function contextLines(context: Record<string, unknown>): string[] {
  return Object.entries(context)
    .filter(([key]) => !key.startsWith('internal.') && !key.startsWith('graph.') && key !== 'run.id')
    .map(([key, value]) => `- ${key} = ${clip(typeof value === 'string' ? value : JSON.stringify(value), CONTEXT_VALUE_CHARS)}`);
}

export function fidelityPreamble(input: PreambleInput): string {
  const header = `Goal: ${input.goal || '(none given)'}\nRun id: ${input.runId}`;
  if (input.mode === 'full' || input.mode === 'truncate') return header;
  const stages = input.history.completed_nodes;
  const noteChars = NOTE_CHARS[input.mode];
  const lines = [header, '', stages.length ? `Completed stages (${stages.length}):` : 'No stages have completed yet.'];
  const shown = input.mode === 'summary:low' ? stages.slice(-5) : stages;
  if (shown.length < stages.length) lines.push(`- … ${stages.length - shown.length} earlier stages`);
  for (const id of shown) lines.push(stageLine(id, input.history.node_outcomes[id], noteChars));
  if (input.mode === 'summary:medium' || input.mode === 'summary:high') {
    const values = contextLines(input.context);
    if (values.length) lines.push('', 'Run context:', ...(input.mode === 'summary:medium' ? values.slice(0, 20) : values));
  }
  return lines.join('\n');
}
