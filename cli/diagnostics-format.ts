// Diagnostics as compiler-style lines: `file:line:col: severity [rule] message (node X) — fix: …`.
import type { Diagnostic, Severity } from '../core/engine/diagnostics.ts';
import { plural } from './output.ts';

function subject(diagnostic: Diagnostic): string {
  if (diagnostic.edge) return ` (edge ${diagnostic.edge.from} -> ${diagnostic.edge.to})`;
  if (diagnostic.node_id) return ` (node ${diagnostic.node_id})`;
  return '';
}

export function formatDiagnostic(file: string, diagnostic: Diagnostic): string {
  const where = diagnostic.line !== undefined ? `${file}:${diagnostic.line}:${diagnostic.column ?? 1}` : file;
  const fix = diagnostic.fix ? ` — fix: ${diagnostic.fix}` : '';
  return `${where}: ${diagnostic.severity} [${diagnostic.rule}] ${diagnostic.message}${subject(diagnostic)}${fix}`;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const diagnostic of diagnostics) counts[diagnostic.severity]++;
  return counts;
}

export function formatSummary(file: string, diagnostics: readonly Diagnostic[]): string {
  const counts = countBySeverity(diagnostics);
  if (diagnostics.length === 0) return `${file}: no problems`;
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  if (counts.info > 0) parts.push(`${counts.info} info`);
  return `${file}: ${parts.join(', ')}`;
}
