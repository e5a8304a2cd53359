// Lint results (Attractor §7.1); the JSON shape is the `factory lint --json` contract.

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  node_id?: string;
  edge?: { from: string; to: string };
  line?: number;
  column?: number;
  fix?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
