// Tool output truncation (coding-agent-loop-spec §5): characters first, then lines, so a single
// enormous line cannot slip through a line-count check.

export type TruncationMode = 'head_tail' | 'tail';

export interface OutputLimit {
  chars: number;
  mode: TruncationMode;
  lines?: number;
}

/** Keyed by the portable tool kind; provider tool names map onto these through `ToolSpec.kind`. */
export const DEFAULT_OUTPUT_LIMITS: Readonly<Record<string, OutputLimit>> = {
  read_file: { chars: 50_000, mode: 'head_tail' },
  shell: { chars: 30_000, mode: 'head_tail', lines: 256 },
  grep: { chars: 20_000, mode: 'tail', lines: 200 },
  glob: { chars: 20_000, mode: 'tail', lines: 500 },
  edit_file: { chars: 10_000, mode: 'tail' },
  apply_patch: { chars: 10_000, mode: 'tail' },
  write_file: { chars: 1_000, mode: 'tail' },
};

const FALLBACK_LIMIT: OutputLimit = { chars: 20_000, mode: 'head_tail' };

export function truncateChars(output: string, maxChars: number, mode: TruncationMode): string {
  if (output.length <= maxChars) return output;
  const removed = output.length - maxChars;
  if (mode === 'tail') {
    return `[WARNING: Tool output was truncated. First ${removed} characters were removed. The full output is available in the event stream.]\n\n${output.slice(-maxChars)}`;
  }
  const half = Math.floor(maxChars / 2);
  return (
    output.slice(0, half) +
    `\n\n[WARNING: Tool output was truncated. ${removed} characters were removed from the middle. ` +
    'The full output is available in the event stream. If you need to see specific parts, re-run the tool with more targeted parameters.]\n\n' +
    output.slice(output.length - (maxChars - half))
  );
}

export function truncateLines(output: string, maxLines: number): string {
  const lines = output.split('\n');
  if (lines.length <= maxLines) return output;
  const head = Math.floor(maxLines / 2);
  const tail = maxLines - head;
  const omitted = lines.length - head - tail;
  return `${lines.slice(0, head).join('\n')}\n[... ${omitted} lines omitted ...]\n${lines.slice(-tail).join('\n')}`;
}

export function truncateToolOutput(output: string, kind: string, limits: Readonly<Record<string, OutputLimit>> = DEFAULT_OUTPUT_LIMITS): string {
  const limit = limits[kind] ?? FALLBACK_LIMIT;
  const byChars = truncateChars(output, limit.chars, limit.mode);
  return limit.lines === undefined ? byChars : truncateLines(byChars, limit.lines);
}
