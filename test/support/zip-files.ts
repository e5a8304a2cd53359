// Zip archives in tests, through the system's Info-ZIP tools (the code under test never unzips by
// hand: @actions/artifact does).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The archive's files by path, as text. */
export function zipEntries(zip: Buffer): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'factory-zip-'));
  try {
    writeFileSync(join(dir, 'archive.zip'), zip);
    execFileSync('unzip', ['-q', 'archive.zip', '-d', 'out'], { cwd: dir });
    const out = join(dir, 'out');
    return new Map(filesUnder(out).map((path) => [relative(out, path), readFileSync(path, 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
