// The v4a patch format of OpenAI's apply_patch (coding-agent-loop-spec Appendix A): parsed whole,
// every file change computed first, and only then written, so a bad hunk changes nothing.
import type { ExecutionEnvironment } from '../env/environment.ts';

export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchError';
  }
}

interface Hunk {
  hint: string;
  /** Each line with its prefix: ' ' context, '-' removed, '+' added. */
  lines: Array<{ op: ' ' | '-' | '+'; text: string }>;
  oldLines: string[];
  newLines: string[];
  endOfFile: boolean;
}

export type PatchOperation =
  | { kind: 'add'; path: string; content: string }
  | { kind: 'delete'; path: string }
  | { kind: 'update'; path: string; moveTo?: string; hunks: Hunk[] };

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';
const EOF_MARKER = '*** End of File';

export function parsePatch(text: string): PatchOperation[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  while (lines.length && lines[lines.length - 1]?.trim() === '') lines.pop();
  while (lines.length && lines[0]?.trim() === '') lines.shift();
  if (lines[0]?.trim() !== BEGIN) throw new PatchError(`the patch must start with "${BEGIN}"`);
  if (lines[lines.length - 1]?.trim() !== END) throw new PatchError(`the patch must end with "${END}"`);
  const body = lines.slice(1, -1);
  const operations: PatchOperation[] = [];
  let i = 0;
  const isHeader = (line: string) => line.startsWith('*** ') && line !== EOF_MARKER;
  while (i < body.length) {
    const line = body[i] ?? '';
    if (line.startsWith(ADD)) {
      const path = line.slice(ADD.length).trim();
      const content: string[] = [];
      i++;
      while (i < body.length && !isHeader(body[i] ?? '')) {
        const added = body[i] ?? '';
        if (!added.startsWith('+')) throw new PatchError(`line ${i + 2}: every line of an added file starts with "+"`);
        content.push(added.slice(1));
        i++;
      }
      operations.push({ kind: 'add', path, content: content.length ? `${content.join('\n')}\n` : '' });
    } else if (line.startsWith(DELETE)) {
      operations.push({ kind: 'delete', path: line.slice(DELETE.length).trim() });
      i++;
    } else if (line.startsWith(UPDATE)) {
      const path = line.slice(UPDATE.length).trim();
      i++;
      let moveTo: string | undefined;
      if ((body[i] ?? '').startsWith(MOVE)) {
        moveTo = (body[i] ?? '').slice(MOVE.length).trim();
        i++;
      }
      const hunks: Hunk[] = [];
      while (i < body.length && !isHeader(body[i] ?? '')) {
        const start = body[i] ?? '';
        let hint = '';
        if (start.startsWith('@@')) {
          hint = start.slice(2).trim();
          i++;
        } else if (hunks.length > 0) {
          throw new PatchError(`line ${i + 2}: expected "@@" to start a hunk, found "${start}"`);
        }
        const hunk: Hunk = { hint, lines: [], oldLines: [], newLines: [], endOfFile: false };
        while (i < body.length && !isHeader(body[i] ?? '') && !(body[i] ?? '').startsWith('@@')) {
          const hunkLine = body[i] ?? '';
          if (hunkLine === EOF_MARKER) hunk.endOfFile = true;
          else if (hunkLine.startsWith('+')) {
            hunk.lines.push({ op: '+', text: hunkLine.slice(1) });
            hunk.newLines.push(hunkLine.slice(1));
          } else if (hunkLine.startsWith('-')) {
            hunk.lines.push({ op: '-', text: hunkLine.slice(1) });
            hunk.oldLines.push(hunkLine.slice(1));
          } else if (hunkLine.startsWith(' ') || hunkLine === '') {
            hunk.lines.push({ op: ' ', text: hunkLine.slice(1) });
            hunk.oldLines.push(hunkLine.slice(1));
            hunk.newLines.push(hunkLine.slice(1));
          } else throw new PatchError(`line ${i + 2}: a hunk line starts with " ", "-" or "+", found "${hunkLine}"`);
          i++;
        }
        if (hunk.oldLines.length === 0 && hunk.newLines.length === 0) throw new PatchError(`empty hunk in ${path}`);
        hunks.push(hunk);
      }
      if (hunks.length === 0 && moveTo === undefined) throw new PatchError(`no hunks for ${path}`);
      operations.push({ kind: 'update', path, moveTo, hunks });
    } else {
      throw new PatchError(`line ${i + 2}: expected a file operation, found "${line}"`);
    }
  }
  if (operations.length === 0) throw new PatchError('the patch has no operations');
  return operations;
}

const normalisers: Array<(line: string) => string> = [
  (line) => line,
  (line) => line.trimEnd(),
  (line) => line.trim(),
  (line) => line.trim().replace(/[\u2018\u2019]/g, "'").replace(/[\u201C\u201D]/g, '"').replace(/[\u2010-\u2015]/g, '-').replace(/\s+/g, ' '),
];

function findSequence(haystack: string[], needle: string[], from: number, atEnd: boolean): number {
  for (const normalise of normalisers) {
    const target = needle.map(normalise);
    const last = haystack.length - target.length;
    const starts = atEnd ? [last] : Array.from({ length: Math.max(0, last - from + 1) }, (_, k) => from + k);
    for (const start of starts) {
      if (start < from) continue;
      if (target.every((line, k) => normalise(haystack[start + k] ?? '') === line)) return start;
    }
  }
  return -1;
}

function applyHunks(path: string, original: string, hunks: Hunk[]): string {
  const endsWithNewline = original.endsWith('\n');
  const lines = original.split('\n');
  if (endsWithNewline) lines.pop();
  let cursor = 0;
  for (const hunk of hunks) {
    if (hunk.hint) {
      const hinted = findSequence(lines, [hunk.hint], cursor, false);
      // The hint may itself be the first context line, so the hunk is searched from the hint on.
      if (hinted !== -1) cursor = hinted;
    }
    let at: number;
    if (hunk.oldLines.length === 0) at = hunk.endOfFile || !hunk.hint ? lines.length : cursor + 1;
    else at = findSequence(lines, hunk.oldLines, cursor, hunk.endOfFile);
    if (at === -1) throw new PatchError(`could not find the lines to change in ${path}:\n${hunk.oldLines.join('\n')}`);
    // Context lines keep the file's own text, so fuzzy matching never rewrites them.
    const replacement: string[] = [];
    let oldIndex = 0;
    for (const line of hunk.lines) {
      if (line.op === '+') replacement.push(line.text);
      else {
        if (line.op === ' ') replacement.push(lines[at + oldIndex] ?? line.text);
        oldIndex++;
      }
    }
    lines.splice(at, hunk.oldLines.length, ...replacement);
    cursor = at + replacement.length;
  }
  if (lines.length === 0) return '';
  return lines.join('\n') + (endsWithNewline || original === '' ? '\n' : '');
}

/** Applies a v4a patch; returns one line per changed file. Nothing is written if any part fails. */
export async function applyPatch(env: ExecutionEnvironment, text: string): Promise<string[]> {
  const operations = parsePatch(text);
  const writes: Array<{ path: string; content: string | null }> = [];
  const summary: string[] = [];
  for (const op of operations) {
    if (op.kind === 'add') {
      if (await env.exists(op.path)) throw new PatchError(`cannot add ${op.path}: it already exists`);
      writes.push({ path: op.path, content: op.content });
      summary.push(`A ${op.path}`);
    } else if (op.kind === 'delete') {
      if (!(await env.exists(op.path))) throw new PatchError(`cannot delete ${op.path}: it does not exist`);
      env.workspace.resolve(op.path);
      writes.push({ path: op.path, content: null });
      summary.push(`D ${op.path}`);
    } else {
      if (!(await env.exists(op.path))) throw new PatchError(`cannot update ${op.path}: it does not exist`);
      const updated = applyHunks(op.path, await env.readText(op.path), op.hunks);
      if (op.moveTo !== undefined && op.moveTo !== op.path) {
        env.workspace.resolve(op.moveTo);
        writes.push({ path: op.moveTo, content: updated }, { path: op.path, content: null });
        summary.push(`R ${op.path} -> ${op.moveTo}`);
      } else {
        writes.push({ path: op.path, content: updated });
        summary.push(`M ${op.path}`);
      }
    }
  }
  for (const write of writes) {
    if (write.content === null) await env.remove(write.path);
    else await env.writeText(write.path, write.content);
  }
  return summary;
}
