// Path confinement for every file tool (security.md): a path is accepted only if it resolves inside
// the workspace root, following symlinks through the nearest existing ancestor.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export class WorkspaceEscapeError extends Error {
  constructor(path: string) {
    super(`path "${path}" is outside the workspace`);
    this.name = 'WorkspaceEscapeError';
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The real path of `path`, or of its nearest existing ancestor with the missing tail appended. */
function realpathThroughAncestors(path: string): string {
  const missing: string[] = [];
  let current = path;
  while (true) {
    try {
      return join(realpathSync(current), ...missing);
    } catch (error) {
      if (!isMissing(error)) throw error;
      // A dangling symlink exists but cannot be resolved; its target is unknown, so refuse it.
      let dangling: boolean;
      try {
        dangling = lstatSync(current).isSymbolicLink();
      } catch {
        dangling = false;
      }
      if (dangling) throw new WorkspaceEscapeError(path);
      const parent = dirname(current);
      if (parent === current) return join(current, ...missing);
      missing.unshift(current.slice(parent.length).replace(/^[\\/]+/, ''));
      current = parent;
    }
  }
}

export class Workspace {
  /** The real path of the workspace root. */
  readonly root: string;

  constructor(root: string) {
    this.root = realpathSync(root);
  }

  /** Absolute real path of `path` (relative to the root), or a WorkspaceEscapeError. */
  resolve(path: string): string {
    const lexical = isAbsolute(path) ? resolve(path) : resolve(this.root, path);
    const real = realpathThroughAncestors(lexical);
    if (!this.contains(real)) throw new WorkspaceEscapeError(path);
    return real;
  }

  contains(realPath: string): boolean {
    return realPath === this.root || realPath.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep);
  }

  /** Path relative to the root, for messages to the model. */
  display(realPath: string): string {
    return relative(this.root, realPath) || '.';
  }
}
