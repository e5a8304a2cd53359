// The run directory (Attractor §5.6, contracts.md §2): manifest, per-stage status, events, result.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineEvent } from '../events.ts';
import type { Outcome, Usage } from '../outcome.ts';
import { writeJsonAtomic } from './files.ts';

export interface Manifest {
  run_id: string;
  graph: { path?: string; sha256: string; name: string; goal: string };
  started_at: string;
  spec_sha?: string;
  models: Record<string, string>;
  tool_version?: string;
  [key: string]: unknown;
}

export type RunStatus = 'success' | 'fail' | 'waiting' | 'cancelled';

/** The final result: `result.json` and `factory run --json` (contracts.md §1–§2). */
export interface RunResult {
  status: RunStatus;
  completed_nodes: string[];
  node_outcomes: Record<string, Outcome>;
  failure_reason?: string;
  usage?: Usage;
  cost_usd?: number | null;
  /** The gate a parked run waits on (status `waiting`). */
  waiting_for?: { node_id: string; question: unknown };
  run_id: string;
  logs_root: string;
  /** A resume found the run already finished successfully and ran nothing. */
  already_complete?: true;
}

/** Node ids name stage directories; lint's `name_length` rule holds them to this (file systems allow 255 bytes per name). */
export const MAX_NODE_ID_LENGTH = 128;

const PLAIN_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `<logs>/<node id>`. An id that is not a plain identifier within the limit (lint refuses those, but
 * a host may skip lint) gets a name that is always one safe path segment: a prefix of its plain
 * characters and a digest of the whole id.
 */
export function stageDir(logsRoot: string, nodeId: string): string {
  if (nodeId.length <= MAX_NODE_ID_LENGTH && PLAIN_SEGMENT.test(nodeId)) return join(logsRoot, nodeId);
  const plain = nodeId.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
  const digest = createHash('sha256').update(nodeId).digest('hex').slice(0, 16);
  return join(logsRoot, `${plain}-${digest}`);
}

export function writeManifest(logsRoot: string, manifest: Manifest): void {
  writeJsonAtomic(join(logsRoot, 'manifest.json'), manifest);
}

/** Appendix C status file: `outcome` holds the status. */
export function writeStageStatus(logsRoot: string, nodeId: string, outcome: Outcome, extra: Record<string, unknown> = {}): void {
  const { status, ...rest } = outcome;
  writeJsonAtomic(join(stageDir(logsRoot, nodeId), 'status.json'), { outcome: status, ...rest, ...extra });
}

export function writeResult(logsRoot: string, result: RunResult): void {
  writeJsonAtomic(join(logsRoot, 'result.json'), result);
}

/** Appends one JSON line per event to each file; the descriptors stay open for the run's life. */
export class EventLog {
  #fds: number[];

  constructor(paths: string[]) {
    this.#fds = paths.map((path) => {
      mkdirSync(join(path, '..'), { recursive: true });
      return openSync(path, 'a');
    });
  }

  write(event: PipelineEvent): void {
    const line = `${JSON.stringify(event)}\n`;
    for (const fd of this.#fds) writeSync(fd, line);
  }

  close(): void {
    for (const fd of this.#fds) closeSync(fd);
    this.#fds = [];
  }
}
