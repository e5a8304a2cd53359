// `factory lint <graph.dot> [--json]` (contracts.md §1).
import type { Diagnostic } from '../core/engine/diagnostics.ts';
import { hasErrors } from '../core/engine/diagnostics.ts';
import { DotSyntaxError } from '../core/engine/errors.ts';
import { graphToJson } from '../core/engine/graph-json.ts';
import { PipelineEngine } from '../core/engine/pipeline.ts';
import { HELP_OPTION, parseCommandArgs, singlePositional } from './args.ts';
import { formatDiagnostic, formatSummary } from './diagnostics-format.ts';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from './errors.ts';
import { readGraphSource } from './load-graph.ts';
import { writeLine, type CliIO } from './output.ts';

export const LINT_USAGE = `Usage: factory lint <graph.dot> [--json]

Parses, transforms and validates a pipeline graph and prints its diagnostics.

Options:
  --json      print {"ok", "diagnostics", "graph"} as one JSON object
  -h, --help  show this help

Exit status: 0 no errors, 1 error diagnostics, 2 unreadable file or not the DOT subset.`;

const OPTIONS = { ...HELP_OPTION, json: { type: 'boolean' } } as const;

/** Located lines first, in source order; the rest keep the engine's order. */
export function sortForReading(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
}

function syntaxDiagnostic(error: DotSyntaxError): Diagnostic {
  return { rule: 'dot_syntax', severity: 'error', message: error.message, line: error.line, column: error.column };
}

export async function lintCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('lint', argv, OPTIONS);
  if (values.help) {
    writeLine(io.stdout, LINT_USAGE);
    return EXIT_SUCCESS;
  }
  const path = singlePositional('lint', positionals, '<graph.dot>');
  const source = readGraphSource(path);
  const engine = new PipelineEngine();
  let prepared;
  try {
    prepared = engine.prepare(source, path);
  } catch (error) {
    if (!(error instanceof DotSyntaxError)) throw error;
    // Machine readers get the syntax error in the same shape as any other diagnostic.
    if (values.json) writeLine(io.stdout, JSON.stringify({ ok: false, diagnostics: [syntaxDiagnostic(error)] }));
    writeLine(io.stderr, error.describe());
    return EXIT_USAGE;
  }
  const { graph, diagnostics } = prepared;
  const ok = !hasErrors(diagnostics);
  if (values.json) {
    writeLine(io.stdout, JSON.stringify({ ok, diagnostics, graph: graphToJson(graph) }));
  } else {
    for (const diagnostic of sortForReading(diagnostics)) writeLine(io.stdout, formatDiagnostic(path, diagnostic));
    writeLine(io.stdout, formatSummary(path, diagnostics));
  }
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
