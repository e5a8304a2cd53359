// What every parser stage needs: the original text, where it came from, and a way to stop with a
// located DotSyntaxError.
import { DotSyntaxError } from '../errors.ts';
import type { SourceLocation } from '../graph.ts';
import { createLocator } from './source-locator.ts';

export interface ParseContext {
  readonly source: string;
  readonly file: string | undefined;
  locate(offset: number): SourceLocation;
  fail(message: string, offset: number): never;
}

export function createParseContext(source: string, file: string | undefined): ParseContext {
  const locate = createLocator(source);
  return {
    source,
    file,
    locate,
    fail(message, offset) {
      const { line, column } = locate(offset);
      throw new DotSyntaxError(message, line, column, file);
    },
  };
}

/** Start offset of an AST node; the DOT parser always sets locations, the types just do not promise it. */
export function startOffset(node: { location?: { start: { offset: number } } }): number {
  return node.location?.start.offset ?? 0;
}

export function endOffset(node: { location?: { end: { offset: number } } }): number {
  return node.location?.end.offset ?? 0;
}
