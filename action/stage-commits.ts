// After each stage that changed files: refuse changes under protected_paths, otherwise commit with
// the provenance trailers and push, so a crash loses at most one stage.
import { matchesAnyPath } from '../core/domain/paths.ts';
import { ActionError } from './errors.ts';
import { changedPaths, type Git } from './git.ts';
import { stageCommitMessage, type StageProvenance } from './trailers.ts';

/** Paths of a change that the factory may not touch. Pure. */
export function protectedViolations(paths: readonly string[], patterns: readonly string[]): string[] {
  return paths.filter((path) => matchesAnyPath(path, patterns));
}

export interface StageCommit {
  nodeId: string;
  sha: string;
  paths: string[];
}

export interface StageCommitterOptions {
  git: Git;
  branch: string;
  protectedPaths: readonly string[];
  push: boolean;
}

export class StageCommitter {
  readonly #options: StageCommitterOptions;
  readonly commits: StageCommit[] = [];

  constructor(options: StageCommitterOptions) {
    this.#options = options;
  }

  /** Commits and pushes the stage's changes; null when it changed nothing. Throws ActionError('protected_paths'). */
  commitStage(label: string, provenance: StageProvenance): StageCommit | null {
    const { git, protectedPaths } = this.#options;
    const paths = changedPaths(git);
    if (paths.length === 0) return null;
    const violations = protectedViolations(paths, protectedPaths);
    if (violations.length > 0) {
      throw new ActionError('protected_paths', `stage ${provenance.nodeId} changed protected paths (factory.protected_paths); nothing of it is committed or pushed:\n${violations.map((path) => `- ${path}`).join('\n')}`);
    }
    git.run(['add', '--all', '--', ...paths]);
    git.run(['commit', '--quiet', '--no-verify', '--file', '-'], stageCommitMessage(label, provenance));
    const sha = git.run(['rev-parse', 'HEAD']).trim();
    if (this.#options.push) this.pushBranch();
    const commit = { nodeId: provenance.nodeId, sha, paths };
    this.commits.push(commit);
    return commit;
  }

  /** A fresh run replaces what an earlier run of the same spec commit left on the branch. */
  pushBranch(): void {
    const { git, branch } = this.#options;
    git.run(['push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`]);
  }
}
