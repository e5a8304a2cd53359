// The runner's git, run synchronously in one working tree (stage commits happen between stages, so
// a synchronous call keeps the next stage from starting before the last one is pushed).
import { execFileSync } from 'node:child_process';
import { ActionError } from './errors.ts';

export interface Git {
  readonly cwd: string;
  /** Runs `git <args>` and returns stdout (trailing newline kept); throws ActionError('git'). */
  run(args: readonly string[], input?: string): string;
  /** Like run, but null instead of throwing. */
  tryRun(args: readonly string[]): string | null;
}

export function createGit(cwd: string, env: NodeJS.ProcessEnv = process.env): Git {
  const run = (args: readonly string[], input?: string): string => {
    try {
      return execFileSync('git', args, { cwd, env, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
      throw new ActionError('git', `git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
    }
  };
  return {
    cwd,
    run,
    tryRun(args) {
      try {
        return run(args);
      } catch {
        return null;
      }
    },
  };
}

/** Paths changed in the working tree against HEAD, untracked files included (NUL-separated porcelain). */
export function changedPaths(git: Git): string[] {
  const out = git.run(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const entries = out.split('\0').filter((entry) => entry !== '');
  const paths: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const status = entry.slice(0, 2);
    paths.push(entry.slice(3));
    // A rename or copy is followed by its source path.
    if (status.includes('R') || status.includes('C')) {
      const source = entries[++i];
      if (source !== undefined) paths.push(source);
    }
  }
  return [...new Set(paths)].sort();
}
