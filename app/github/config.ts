// Loads `.github/factory.yml` from a ref (the default branch, except when a spec PR is linted).
import { CONFIG_PATH, MISSING_CONFIG_ISSUE, parseFactoryConfig, type ConfigResult } from '../../core/domain/config.ts';
import { readFile } from './content.ts';
import type { Octokit, RepoRef } from './types.ts';

export type LoadedConfig = ConfigResult & { missing: boolean };

export async function loadConfig(octokit: Octokit, repo: RepoRef, ref: string): Promise<LoadedConfig> {
  const text = await readFile(octokit, repo, CONFIG_PATH, ref);
  if (text === null) return { ok: false, issues: [MISSING_CONFIG_ISSUE], missing: true };
  return { ...parseFactoryConfig(text), missing: false };
}
