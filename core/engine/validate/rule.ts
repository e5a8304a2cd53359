// The lint rule interface (Attractor §7.4) and helpers that give every diagnostic its location.
import type { Diagnostic, Severity } from '../diagnostics.ts';
import type { Graph, GraphEdge, GraphNode } from '../graph.ts';

/** What the host knows that the graph does not: registered handler types, attributes it reads. */
export interface LintEnv {
  knownTypes: ReadonlySet<string>;
  extraAttributes: ReadonlySet<string>;
}

export interface LintRule {
  name: string;
  apply(graph: Graph, env: LintEnv): Diagnostic[];
}

export interface Finding {
  severity: Severity;
  message: string;
  fix?: string | undefined;
}

export function graphDiagnostic(rule: string, finding: Finding): Diagnostic {
  return withFix({ rule, severity: finding.severity, message: finding.message }, finding.fix);
}

export function nodeDiagnostic(rule: string, node: GraphNode, finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = { rule, severity: finding.severity, message: finding.message, node_id: node.id };
  if (node.loc) Object.assign(diagnostic, { line: node.loc.line, column: node.loc.column });
  return withFix(diagnostic, finding.fix);
}

export function edgeDiagnostic(rule: string, edge: GraphEdge, finding: Finding, nodeId?: string): Diagnostic {
  const diagnostic: Diagnostic = { rule, severity: finding.severity, message: finding.message };
  if (nodeId !== undefined) diagnostic.node_id = nodeId;
  diagnostic.edge = { from: edge.from, to: edge.to };
  if (edge.loc) Object.assign(diagnostic, { line: edge.loc.line, column: edge.loc.column });
  return withFix(diagnostic, finding.fix);
}

function withFix(diagnostic: Diagnostic, fix: string | undefined): Diagnostic {
  if (fix !== undefined) diagnostic.fix = fix;
  return diagnostic;
}

export function describeEdge(edge: GraphEdge): string {
  return `edge ${edge.from} -> ${edge.to}`;
}
