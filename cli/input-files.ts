// Reading the files a user names on the command line: every failure becomes one line naming the file.
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './errors.ts';

const BINARY_SNIFF_BYTES = 8000;

function describeFsError(path: string, error: unknown, noun = 'file'): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such ${noun}`;
  if (code === 'EACCES' || code === 'EPERM') return `${path}: permission denied`;
  if (code === 'EISDIR') return `${path}: is a directory, not a file`;
  return `${path}: cannot read (${(error as Error).message})`;
}

/** UTF-8 text of a regular file; `what` names the expected content in the error ("a DOT graph"). */
export function readTextFile(path: string, what: string): string {
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${path}: is a directory, not ${what}`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(describeFsError(path, error));
  }
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) throw new UsageError(`${path}: is a binary file, not ${what}`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${path}: is not UTF-8 text, not ${what}`);
  }
}

/** An existing directory (for --workdir). */
export function requireDirectory(path: string, flag: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new UsageError(`${flag} ${describeFsError(path, error, 'directory')}`);
  }
  if (!isDirectory) throw new UsageError(`${flag} ${path}: is not a directory`);
}
