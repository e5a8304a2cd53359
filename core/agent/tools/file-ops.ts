// File operations shared by every tool set; each set only adapts names and parameter shapes.
import type { ExecutionEnvironment } from '../env/environment.ts';
import type { ToolOutput } from './tool.ts';

const DEFAULT_READ_LIMIT = 2_000;

export async function readNumbered(env: ExecutionEnvironment, path: string, offset?: number, limit?: number): Promise<ToolOutput> {
  const text = await env.readText(path);
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const start = Math.max(1, offset ?? 1);
  const slice = lines.slice(start - 1, start - 1 + (limit ?? DEFAULT_READ_LIMIT));
  if (slice.length === 0) return { output: `(no lines at offset ${start}; the file has ${lines.length} lines)` };
  const width = String(start + slice.length - 1).length;
  return { output: slice.map((line, i) => `${String(start + i).padStart(width, ' ')}\t${line}`).join('\n') };
}

export async function writeWhole(env: ExecutionEnvironment, path: string, content: string): Promise<ToolOutput> {
  const target = await env.writeText(path, content);
  return { output: `wrote ${content.length} characters to ${env.workspace.display(target)}` };
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

export async function replaceString(env: ExecutionEnvironment, path: string, oldString: string, newString: string, replaceAll: boolean): Promise<ToolOutput> {
  if (oldString === '') return { output: 'old_string must not be empty', isError: true };
  if (oldString === newString) return { output: 'old_string and new_string are identical; nothing to change', isError: true };
  const text = await env.readText(path);
  const count = countOccurrences(text, oldString);
  if (count === 0) return { output: `old_string not found in ${path}`, isError: true };
  if (count > 1 && !replaceAll) return { output: `old_string occurs ${count} times in ${path}; give more context or set replace_all`, isError: true };
  const updated = replaceAll ? text.split(oldString).join(newString) : text.replace(oldString, () => newString);
  await env.writeText(path, updated);
  return { output: `replaced ${replaceAll ? count : 1} occurrence(s) in ${path}` };
}

export async function runShell(env: ExecutionEnvironment, command: string, signal: AbortSignal, timeoutMs?: number): Promise<ToolOutput> {
  const result = await env.exec(command, { timeoutMs, signal });
  const status = result.timedOut
    ? `[command timed out after ${timeoutMs ?? 'the default'} ms and was killed]`
    : result.aborted
      ? '[command aborted]'
      : `[exit code ${result.exitCode ?? `signal ${result.signal}`}]`;
  const ok = !result.timedOut && !result.aborted && result.exitCode === 0;
  return { output: `${result.output}${result.output.endsWith('\n') || result.output === '' ? '' : '\n'}${status}`, isError: !ok };
}

export async function grepFiles(env: ExecutionEnvironment, pattern: string, path?: string, glob?: string, caseInsensitive?: boolean): Promise<ToolOutput> {
  let matches: string[];
  try {
    matches = await env.grep(pattern, { path, glob, caseInsensitive });
  } catch (error) {
    if (error instanceof SyntaxError) return { output: `invalid regular expression: ${error.message}`, isError: true };
    throw error;
  }
  return { output: matches.length ? matches.join('\n') : 'no matches' };
}

export async function globFiles(env: ExecutionEnvironment, pattern: string, path?: string): Promise<ToolOutput> {
  const files = await env.glob(pattern, path);
  return { output: files.length ? files.join('\n') : 'no files matched' };
}

const MAX_MANY_FILES = 50;

/** Several files (paths or glob patterns) in one output, each under a `--- path ---` header. */
export async function readMany(env: ExecutionEnvironment, patterns: string[]): Promise<ToolOutput> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (/[*?[{]/.test(pattern)) files.push(...(await env.glob(pattern)).sort());
    else files.push(pattern);
  }
  const unique = [...new Set(files)];
  const shown = unique.slice(0, MAX_MANY_FILES);
  const parts: string[] = [];
  let failed = 0;
  for (const file of shown) {
    try {
      parts.push(`--- ${file} ---\n${await env.readText(file)}`);
    } catch (error) {
      failed++;
      parts.push(`--- ${file} ---\n[cannot read: ${error instanceof Error ? error.message : String(error)}]`);
    }
  }
  if (unique.length > shown.length) parts.push(`[${unique.length - shown.length} more files not read; narrow the patterns]`);
  if (parts.length === 0) return { output: 'no files matched', isError: true };
  return { output: parts.join('\n'), isError: failed === shown.length };
}

/** A directory listing, directories marked with `/`, down to `depth` levels (1 = the directory itself). */
export async function listDirectory(env: ExecutionEnvironment, path: string, depth: number): Promise<ToolOutput> {
  const lines = await env.list(path, depth);
  return { output: lines.length ? lines.join('\n') : '(empty directory)' };
}
