// A long scripted coding session for the windowed twin: the model reads one ~1,500-token file per
// turn for N turns, then reports success; asked to compact, it answers with a numbered summary.
// Also: the workspace it reads, a one-stage graph, and the CLI run asynchronously (the twin answers
// from this process, so the CLI must not block it).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPACTION_SYSTEM_PROMPT } from '../../core/agent/loop/compaction.ts';
import type { TwinRequest } from './windowed-twin.ts';
import type { WireTurn } from './wire-server.ts';

const BIN = fileURLToPath(new URL('../../bin/factory.js', import.meta.url));

/** Characters per note file: about 1,500 tokens once read back with line numbers. */
export const NOTE_CHARS = 5600;

export function noteName(turn: number): string {
  return `notes/part-${String(turn).padStart(3, '0')}.txt`;
}

/** `turns` distinct files (distinct calls, so loop detection stays quiet). */
export function writeNotes(dir: string, turns: number): void {
  mkdirSync(join(dir, 'notes'), { recursive: true });
  for (let turn = 1; turn <= turns; turn++) {
    const line = `note ${turn}: the quick brown fox jumps over the lazy dog, again and again.\n`;
    writeFileSync(join(dir, noteName(turn)), line.repeat(Math.ceil(NOTE_CHARS / line.length)).slice(0, NOTE_CHARS));
  }
}

export const LONG_GRAPH = `digraph long {
  graph [goal="Read every note"]
  start [shape=Mdiamond]
  work [prompt="Read the notes one by one, then report success."]
  done [shape=Msquare]
  start -> work -> done
}
`;

export interface LongSession {
  respond(request: TwinRequest): WireTurn;
  /** Summaries handed out so far (their texts are `SUMMARY-<n> …`). */
  summaries(): string[];
  /** Working turns answered so far (compaction requests excluded). */
  workTurns(): number;
}

export function isCompactionRequest(request: TwinRequest): boolean {
  return request.system === COMPACTION_SYSTEM_PROMPT;
}

/** The model: `turns` reading turns, then report_outcome; `onTurn` sees each working turn first. */
export function longSession(turns: number, onTurn?: (turn: number, request: TwinRequest) => void): LongSession {
  const summaries: string[] = [];
  let work = 0;
  return {
    respond(request) {
      if (isCompactionRequest(request)) {
        const summary = `SUMMARY-${summaries.length + 1}: the task is to read the notes; ${work} notes read so far, nothing changed, no open problems.`;
        summaries.push(summary);
        return { text: summary };
      }
      work++;
      onTurn?.(work, request);
      if (work > turns) return { tool_calls: [{ id: `call_${work}`, name: 'report_outcome', arguments: { status: 'success', notes: `read ${turns} notes` } }] };
      const path = noteName(work);
      const call = request.api === 'anthropic' ? { name: 'Read', arguments: { file_path: path } } : { name: 'read_file', arguments: { path } };
      return { text: `Reading ${path}.`, tool_calls: [{ id: `call_${work}`, ...call }] };
    },
    summaries: () => [...summaries],
    workTurns: () => work,
  };
}

export interface AsyncCliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The real `factory` command as a child process, without blocking this process's servers. */
export function runCliAsync(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<AsyncCliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
