// What kind of pull request this is, and what the App owes it.
import type { FactoryConfig } from '../../core/domain/config.ts';
import { CONFIG_PATH } from '../../core/domain/config.ts';
import { touchesAny } from './push.ts';

export interface PullFacts {
  headRef: string;
  headRepo: string | null;
  baseRepo: string;
}

export type PullKind = 'fork' | 'factory' | 'other';

export function isFork(pull: PullFacts): boolean {
  return pull.headRepo !== pull.baseRepo;
}

export function classifyPull(pull: PullFacts, branchPrefix: string): PullKind {
  if (isFork(pull)) return 'fork';
  return pull.headRef.startsWith(branchPrefix) ? 'factory' : 'other';
}

/** Paths whose change makes a PR a spec PR: the spec, the graph, the config. */
export function specPullPatterns(config: FactoryConfig): string[] {
  return [...config.spec.paths, CONFIG_PATH, ...(config.factory.graph ? [config.factory.graph] : [])];
}

export function isSpecPull(files: readonly string[], config: FactoryConfig): boolean {
  return touchesAny(files, specPullPatterns(config));
}
