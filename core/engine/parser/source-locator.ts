// Offsets to 1-based line and column, counted the way the DOT parser counts them (a line ends at
// "\n"; columns are UTF-16 code units), but always on the original source text.
import type { SourceLocation } from '../graph.ts';

export type Locate = (offset: number) => SourceLocation;

export function createLocator(source: string): Locate {
  let lineStarts: number[] | undefined;
  return (offset) => {
    lineStarts ??= findLineStarts(source);
    const clamped = Math.max(0, Math.min(offset, source.length));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - lineStarts[low]! + 1 };
  };
}

function findLineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
