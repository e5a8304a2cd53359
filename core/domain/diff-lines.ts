// Which lines of a unified diff a pull request review may comment on: GitHub resolves a review
// comment's `line` (side RIGHT) only inside the diff's hunks — added and context lines of the new file.

/** New-file line numbers inside the hunks, per path. */
export function commentableLines(diff: string): Map<string, Set<number>> {
  const lines = new Map<string, Set<number>>();
  let current: Set<number> | null = null;
  let next = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = line.slice(4).trim();
      current = path === '/dev/null' ? null : new Set<number>();
      if (current) lines.set(path.replace(/^b\//, ''), current);
      continue;
    }
    if (line.startsWith('--- ') || line.startsWith('diff ') || line.startsWith('index ')) continue;
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      next = Number(hunk[1]);
      continue;
    }
    if (!current || next === 0) continue;
    if (line.startsWith('+') || line.startsWith(' ')) {
      current.add(next);
      next += 1;
    }
  }
  return lines;
}

/** New-file line numbers the diff adds, per path. */
export function addedLines(diff: string): Map<string, Set<number>> {
  const lines = new Map<string, Set<number>>();
  let current: Set<number> | null = null;
  let next = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = line.slice(4).trim();
      current = path === '/dev/null' ? null : new Set<number>();
      if (current) lines.set(path.replace(/^b\//, ''), current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      next = Number(hunk[1]);
      continue;
    }
    if (!current || next === 0 || line.startsWith('--- ')) continue;
    if (line.startsWith('+')) {
      current.add(next);
      next += 1;
    } else if (line.startsWith(' ')) {
      next += 1;
    }
  }
  return lines;
}
