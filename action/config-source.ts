// Config and graph as they are on the default branch (never the factory branch), validated with the
// shared schemas; a bad file fails the step with its path, key path or line/column and what was expected.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCatalog, parseCatalogText, type CatalogFile } from '../core/agent/llm/catalog.ts';
import { LlmError } from '../core/agent/llm/types.ts';
import { formatConfigIssues, parseFactoryConfig, type FactoryConfig } from '../core/domain/config.ts';
import { ActionError } from './errors.ts';
import type { Git } from './git.ts';

/** The graph shipped with the Action, used when the config names none. */
export const BUILTIN_GRAPH_URL = new URL('../graphs/factory.dot', import.meta.url);
export const BUILTIN_GRAPH_LABEL = 'builtin:graphs/factory.dot';

export interface GraphSource {
  /** Repository path on the default branch, or BUILTIN_GRAPH_LABEL. */
  path: string;
  source: string;
  sha256: string;
}

/** Fetches the default branch and returns the ref its files are read from. */
export function defaultBranchRef(git: Git, defaultBranch: string): string {
  git.tryRun(['fetch', '--no-tags', '--quiet', 'origin', `+refs/heads/${defaultBranch}:refs/remotes/origin/${defaultBranch}`]);
  const ref = `refs/remotes/origin/${defaultBranch}`;
  if (git.tryRun(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) === null) {
    throw new ActionError('git', `cannot read the default branch: origin/${defaultBranch} does not exist (is the repository checked out with history?)`);
  }
  return ref;
}

function showFile(git: Git, ref: string, path: string): string | null {
  return git.tryRun(['show', `${ref}:${path.replace(/^\.\//, '')}`]);
}

export function loadConfig(git: Git, ref: string, path: string): FactoryConfig {
  const text = showFile(git, ref, path);
  if (text === null) {
    throw new ActionError('config', `${path}: not found on the default branch; expected a factory config with \`version: 1\``);
  }
  const result = parseFactoryConfig(text);
  if (!result.ok) {
    throw new ActionError('config', `${path} is not a valid factory config (read from the default branch):\n${formatConfigIssues(result.issues, path)}`);
  }
  return result.config;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function loadGraphSource(git: Git, ref: string, config: FactoryConfig, override: string | undefined, configPath: string): GraphSource {
  const path = override ?? config.factory.graph;
  if (path === undefined) {
    const source = readFileSync(BUILTIN_GRAPH_URL, 'utf8');
    return { path: BUILTIN_GRAPH_LABEL, source, sha256: sha256(source) };
  }
  const source = showFile(git, ref, path);
  if (source === null) {
    const origin = override !== undefined ? 'input `graph`' : `${configPath}: \`factory.graph\``;
    throw new ActionError('graph', `${origin}: ${path} not found on the default branch; expected a DOT graph file`);
  }
  return { path, source, sha256: sha256(source) };
}

/** `factory.catalog`: the user's model catalog, inline or a JSON file on the default branch. */
export function loadCatalog(git: Git, ref: string, config: FactoryConfig, configPath: string): CatalogFile | undefined {
  const setting = config.factory.catalog;
  if (setting === undefined) return undefined;
  try {
    if (typeof setting !== 'string') return parseCatalog(setting, `${configPath}: factory.catalog`);
    const text = showFile(git, ref, setting);
    if (text === null) throw new ActionError('config', `${configPath}: \`factory.catalog\`: ${setting} not found on the default branch; expected a model catalog JSON file`);
    return parseCatalogText(text, `${setting} (factory.catalog)`);
  } catch (error) {
    if (error instanceof LlmError) throw new ActionError('config', error.message);
    throw error;
  }
}
