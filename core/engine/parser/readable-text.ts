// Refuses input that is not a DOT text file at all, before the DOT parser sees it.
import type { ParseContext } from './parse-context.ts';

/**
 * ts-graphviz parses about 2–4 MB per second; a real graph is well under 1 MB (10,000 nodes is
 * about 1 MB), so the cap keeps a wrong file from stalling a run.
 */
export const MAX_SOURCE_LENGTH = 4 * 1024 * 1024;


export function assertReadableText(ctx: ParseContext): void {
  const { source } = ctx;
  const offset = firstBinaryCharacter(source);
  if (offset !== -1) {
    const code = source.charCodeAt(offset);
    const what = code === 0 ? 'a NUL byte' : `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    ctx.fail(`not a text file: it contains ${what}`, offset);
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    ctx.fail(`the file is larger than ${MAX_SOURCE_LENGTH / (1024 * 1024)} MiB, too large for a graph`, MAX_SOURCE_LENGTH);
  }
}

/** C0 control characters other than tab, line feed, vertical tab, form feed and carriage return. */
function firstBinaryCharacter(source: string): number {
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code < 0x20 && (code < 0x09 || code > 0x0d)) return i;
  }
  return -1;
}
