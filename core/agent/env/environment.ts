// The execution environment every tool goes through (coding-agent-loop-spec §4): files confined to
// the workspace, commands in a scrubbed environment with a timeout.
import { glob, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, matchesGlob, relative } from 'node:path';
import { DEFAULT_COMMAND_TIMEOUT_MS, MAX_COMMAND_TIMEOUT_MS, runCommand, type CommandResult } from './run-command.ts';
import { scrubEnvironment } from './scrub-env.ts';
import { Workspace } from './workspace.ts';

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);
const MAX_SEARCH_RESULTS = 2_000;

export interface EnvironmentOptions {
  root: string;
  /** The parent environment before scrubbing; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  defaultTimeoutMs?: number;
  now?: () => number;
}

export interface GrepOptions {
  path?: string;
  glob?: string;
  caseInsensitive?: boolean;
}

export class ExecutionEnvironment {
  readonly workspace: Workspace;
  readonly #env: Record<string, string>;
  readonly #defaultTimeoutMs: number;
  readonly #now: () => number;

  constructor(options: EnvironmentOptions) {
    this.workspace = new Workspace(options.root);
    this.#env = scrubEnvironment(options.env ?? process.env);
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;
  }

  get root(): string {
    return this.workspace.root;
  }

  async readText(path: string): Promise<string> {
    return readFile(this.workspace.resolve(path), 'utf8');
  }

  async writeText(path: string, content: string): Promise<string> {
    const target = this.workspace.resolve(path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    return target;
  }

  async remove(path: string): Promise<void> {
    const target = this.workspace.resolve(path);
    if (!(await stat(target)).isFile()) throw new Error(`${path} is not a file`);
    await rm(target);
  }

  async exists(path: string): Promise<boolean> {
    try {
      await stat(this.workspace.resolve(path));
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return false;
      throw error;
    }
  }

  async exec(command: string, options: { timeoutMs?: number; signal?: AbortSignal; stdin?: string; extraEnv?: Record<string, string> } = {}): Promise<CommandResult> {
    const timeoutMs = Math.min(options.timeoutMs ?? this.#defaultTimeoutMs, MAX_COMMAND_TIMEOUT_MS);
    const env = { ...this.#env, ...options.extraEnv };
    return runCommand({ command, cwd: this.root, env, timeoutMs, stdin: options.stdin, signal: options.signal }, this.#now);
  }

  /** Files matching `pattern` under `path`, relative to the root, newest first. */
  async glob(pattern: string, path = '.'): Promise<string[]> {
    const base = this.workspace.resolve(path);
    const found: Array<{ file: string; mtime: number }> = [];
    for await (const entry of glob(pattern, { cwd: base, exclude: (name: string) => SKIPPED_DIRECTORIES.has(basename(name)) })) {
      let real: string;
      try {
        real = this.workspace.resolve(join(base, entry));
      } catch {
        continue; // a match reached through a symlink that points out of the workspace
      }
      const info = await stat(real).catch(() => undefined);
      if (!info?.isFile()) continue;
      found.push({ file: this.workspace.display(real), mtime: info.mtimeMs });
      if (found.length >= MAX_SEARCH_RESULTS) break;
    }
    return found.sort((a, b) => b.mtime - a.mtime || a.file.localeCompare(b.file)).map((f) => f.file);
  }

  /** `file:line:text` for every line matching the regular expression. */
  async grep(pattern: string, options: GrepOptions = {}): Promise<string[]> {
    const regex = new RegExp(pattern, options.caseInsensitive ? 'i' : '');
    const base = this.workspace.resolve(options.path ?? '.');
    const matches: string[] = [];
    for (const file of await this.#files(base)) {
      const rel = this.workspace.display(file);
      if (options.glob && !matchesGlob(relative(base, file), options.glob) && !matchesGlob(rel, options.glob)) continue;
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        continue;
      }
      if (text.includes('\u0000')) continue; // binary
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (regex.test(lines[i] ?? '')) matches.push(`${rel}:${i + 1}:${lines[i]}`);
        if (matches.length >= MAX_SEARCH_RESULTS) return matches;
      }
    }
    return matches;
  }

  /** Entries under `path` to `depth` levels, relative to `path`, directories with a trailing `/`. */
  async list(path = '.', depth = 1): Promise<string[]> {
    const base = this.workspace.resolve(path);
    const out: string[] = [];
    const walk = async (dir: string, level: number) => {
      const entries = await readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (out.length >= MAX_SEARCH_RESULTS) return;
        const full = join(dir, entry.name);
        const shown = relative(base, full);
        if (entry.isDirectory()) {
          out.push(`${shown}/`);
          if (level < depth && !SKIPPED_DIRECTORIES.has(entry.name)) await walk(full, level + 1);
        } else out.push(shown);
      }
    };
    await walk(base, 1);
    return out;
  }

  async #files(base: string): Promise<string[]> {
    const info = await stat(base);
    if (info.isFile()) return [base];
    const files: string[] = [];
    const walk = async (dir: string) => {
      const entries = await readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) files.push(full);
      }
    };
    await walk(base);
    return files;
  }
}
