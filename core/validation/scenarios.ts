// Loads a scenario directory: every `*.md` file below it (README.md excepted), parsed and validated.
// A malformed file stays in the set as a located harness error (never a pass), and counts in the
// commitment hash, so auditors can confirm exactly which files judged a build.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { formatScenarioIssue, parseScenario, type Scenario, type ScenarioIssue } from '../domain/scenario.ts';

export interface LoadedScenario {
  /** Path relative to the scenario directory, with `/` separators. */
  file: string;
  sha256: string;
  scenario: Scenario;
}

export interface MalformedScenario {
  file: string;
  sha256: string;
  issues: ScenarioIssue[];
}

export interface ScenarioSet {
  /** Sorted by scenario id. */
  scenarios: LoadedScenario[];
  /** Sorted by file. */
  malformed: MalformedScenario[];
  /** sha256 over the sorted per-file sha256 hex digests, one per line. */
  hash: string;
}

export interface ScenarioFile {
  file: string;
  text: string;
  /** Set instead of a parse when the file could not be taken in (too large). */
  unreadable?: string;
}

/** A scenario file larger than this is not read: it is that file's harness error. */
export const SCENARIO_MAX_BYTES = 1024 * 1024;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The commitment hash of a set of file digests: order-independent. */
export function commitmentHash(fileHashes: readonly string[]): string {
  return sha256Hex([...fileHashes].sort().join('\n'));
}

/** Pure: the set from file texts. Duplicate ids make the later file (by path) malformed. */
export function buildScenarioSet(files: readonly ScenarioFile[]): ScenarioSet {
  const ordered = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const scenarios: LoadedScenario[] = [];
  const malformed: MalformedScenario[] = [];
  const seen = new Map<string, string>();
  for (const { file, text, unreadable } of ordered) {
    const sha256 = sha256Hex(text);
    if (unreadable !== undefined) {
      malformed.push({ file, sha256, issues: [{ field: '', expected: unreadable }] });
      continue;
    }
    const result = parseScenario(text);
    if (!result.ok) {
      malformed.push({ file, sha256, issues: result.issues });
      continue;
    }
    const first = seen.get(result.scenario.id);
    if (first !== undefined) {
      malformed.push({ file, sha256, issues: [{ field: 'id', expected: `a unique scenario id (also used by ${first})` }] });
      continue;
    }
    seen.set(result.scenario.id, file);
    scenarios.push({ file, sha256, scenario: result.scenario });
  }
  scenarios.sort((a, b) => (a.scenario.id < b.scenario.id ? -1 : a.scenario.id > b.scenario.id ? 1 : 0));
  return { scenarios, malformed, hash: commitmentHash(ordered.map(({ text }) => sha256Hex(text))) };
}

function listMarkdown(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listMarkdown(root, full, out);
    else if (entry.isFile() && entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md') out.push(full);
  }
}

/** Reads the directory (the only side effect here) and builds the set. */
export function loadScenarioDirectory(dir: string): ScenarioSet {
  const paths: string[] = [];
  listMarkdown(dir, dir, paths);
  return buildScenarioSet(paths.map((path): ScenarioFile => {
    const file = relative(dir, path).split(sep).join('/');
    const size = statSync(path).size;
    if (size > SCENARIO_MAX_BYTES) return { file, text: `oversized:${size}`, unreadable: `a scenario file of at most ${SCENARIO_MAX_BYTES} bytes (it has ${size})` };
    return { file, text: readFileSync(path, 'utf8') };
  }));
}

export function describeMalformed(entry: MalformedScenario): string[] {
  return entry.issues.map((issue) => formatScenarioIssue(entry.file, issue));
}
