// What a spec-refinement agent may read, gathered from a local checkout: the files of the spec
// directory, the factory config and the graph it names — nothing else of the repository — and,
// with `--base`, git's diff of exactly those files. The root is the git work tree holding the spec
// directory (or, outside git, the spec directory's parent).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { SpecFile } from '../core/agent/review/prompt.ts';
import { CONFIG_PATH, formatConfigIssues, parseFactoryConfig, type FactoryConfig } from '../core/domain/config.ts';
import { UsageError } from './errors.ts';

/** Larger files are not specs; they are left out (and named on stderr by the caller). */
export const MAX_SPEC_FILE_BYTES = 256 * 1024;

export interface SpecTree {
  root: string;
  /** The spec directory relative to the root (`spec`). */
  specDir: string;
  files: SpecFile[];
  /** Config and graph, when present (also in `files`). */
  config: FactoryConfig | null;
  skipped: string[];
}

function gitRoot(dir: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function isText(buffer: Buffer): boolean {
  return !buffer.subarray(0, 8000).includes(0);
}

function listFiles(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else if (entry.isFile()) out.push(full);
  }
}

export function readSpecTree(command: string, specArg: string): SpecTree {
  const specAbs = resolve(specArg);
  if (!existsSync(specAbs) || !statSync(specAbs).isDirectory()) throw new UsageError(`factory ${command}: ${specArg} is not a directory`);
  const root = gitRoot(specAbs) ?? dirname(specAbs);
  const specDir = toPosix(relative(root, specAbs)) || '.';
  const files: SpecFile[] = [];
  const skipped: string[] = [];
  const add = (abs: string): void => {
    const path = toPosix(relative(root, abs));
    const buffer = readFileSync(abs);
    if (buffer.length > MAX_SPEC_FILE_BYTES || !isText(buffer)) {
      skipped.push(path);
      return;
    }
    files.push({ path, text: buffer.toString('utf8') });
  };
  const specPaths: string[] = [];
  listFiles(specAbs, specPaths);
  for (const path of specPaths) add(path);
  if (files.length === 0) throw new UsageError(`factory ${command}: ${specArg} holds no text files to review`);
  let config: FactoryConfig | null = null;
  const configAbs = join(root, CONFIG_PATH);
  if (existsSync(configAbs)) {
    const text = readFileSync(configAbs, 'utf8');
    const parsed = parseFactoryConfig(text);
    if (!parsed.ok) throw new UsageError(`factory ${command}: ${CONFIG_PATH} is not a valid config:\n${formatConfigIssues(parsed.issues, configAbs)}`);
    config = parsed.config;
    files.push({ path: CONFIG_PATH, text });
    const graph = config.factory.graph;
    if (graph && existsSync(join(root, graph))) add(join(root, graph));
  }
  return { root, specDir, files, config, skipped };
}

/** `git diff <base> -- <the tree's files>`: the change under review; a bad ref is a usage error. */
export function specDiff(command: string, tree: SpecTree, base: string): string {
  if (gitRoot(tree.root) === null) throw new UsageError(`factory ${command}: --base needs ${tree.specDir} inside a git repository`);
  if (base.startsWith('-')) throw new UsageError(`factory ${command}: --base must be a git ref, got "${base}"`);
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: tree.root, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    throw new UsageError(`factory ${command}: --base ${base} is not a commit in ${tree.root}`);
  }
  return execFileSync('git', ['diff', '--no-color', base, '--', ...tree.files.map((file) => file.path)], { cwd: tree.root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
