// Lints a graph for a spec PR check: parse + transforms + validation from the engine (never its
// executor), with results shaped as check annotations.
import type { Diagnostic } from '../core/engine/diagnostics.ts';
import { DotSyntaxError } from '../core/engine/errors.ts';
import { parseDot } from '../core/engine/parser/index.ts';
import { applyTransforms } from '../core/engine/transforms.ts';
import { validate } from '../core/engine/validate/index.ts';
import type { Annotation } from './github/checks.ts';

export function lintGraph(source: string, path: string): Diagnostic[] {
  try {
    const { graph, diagnostics } = parseDot(source, { file: path });
    return [...diagnostics, ...validate(applyTransforms(graph))];
  } catch (error) {
    if (error instanceof DotSyntaxError) {
      return [{ rule: 'dot_syntax', severity: 'error', message: error.message, line: error.line, column: error.column }];
    }
    throw error;
  }
}

const LEVELS = { error: 'failure', warning: 'warning', info: 'notice' } as const;

export function toAnnotations(diagnostics: readonly Diagnostic[], path: string): Annotation[] {
  return diagnostics.map((diagnostic) => {
    const where = diagnostic.node_id ? ` (node ${diagnostic.node_id})` : diagnostic.edge ? ` (edge ${diagnostic.edge.from} -> ${diagnostic.edge.to})` : '';
    return {
      path,
      start_line: diagnostic.line ?? 1,
      end_line: diagnostic.line ?? 1,
      annotation_level: LEVELS[diagnostic.severity],
      title: diagnostic.rule,
      message: `${diagnostic.message}${where}${diagnostic.fix ? `\nFix: ${diagnostic.fix}` : ''}`,
    };
  });
}
