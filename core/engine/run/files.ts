// Crash-safe file writes for the run directory: write a temporary file, then rename over the target.
import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Keeps the current version of `path` as `previous` before it is replaced (a hard link: no copy of
 * the data, and the rename that replaces `path` leaves the link on the old contents).
 */
export function keepPreviousVersion(path: string, previous: string): void {
  if (!existsSync(path)) return;
  rmSync(previous, { force: true });
  try {
    linkSync(path, previous);
  } catch {
    copyFileSync(path, previous);
  }
}
