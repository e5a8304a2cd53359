// DOT source → Graph (Attractor §2, engine.md decision 8). Strict about the subset: anything outside
// it is a located DotSyntaxError. Forgiving about attributes: aliases and values that cannot be
// typed become diagnostics instead.
import type { Diagnostic } from '../diagnostics.ts';
import { DotSyntaxError } from '../errors.ts';
import type { Graph } from '../graph.ts';
import { buildGraph } from './build-graph.ts';
import { parseDotAst } from './dot-ast.ts';
import { createParseContext } from './parse-context.ts';
import { prepareSource } from './prepare-source.ts';
import { assertReadableText } from './readable-text.ts';
import { checkDotSubset } from './subset.ts';

export interface ParseDotOptions {
  /** Named in error messages. */
  file?: string;
}

export interface ParseDotResult {
  graph: Graph;
  /** `attribute_alias` (info) and `attribute_type` (error) findings; validation adds the rest. */
  diagnostics: Diagnostic[];
}

/** @throws DotSyntaxError for any input outside the §2 subset, and for nothing else. */
export function parseDot(source: string, options: ParseDotOptions = {}): ParseDotResult {
  const ctx = createParseContext(source, options.file);
  try {
    assertReadableText(ctx);
    const dot = parseDotAst(prepareSource(ctx), ctx);
    const graphAst = checkDotSubset(dot, ctx);
    const diagnostics: Diagnostic[] = [];
    const graph = buildGraph(graphAst, ctx, diagnostics);
    return { graph, diagnostics };
  } catch (error) {
    if (error instanceof DotSyntaxError) throw error;
    // Bad input must never end in a stack trace (contracts.md §1); this names the failure instead.
    throw new DotSyntaxError(`internal parser error: ${error instanceof Error ? error.message : String(error)}`, 1, 1, options.file);
  }
}
