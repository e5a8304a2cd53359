// Project instructions found in the checkout (coding-agent-loop-spec §6.5): from the git root (or
// the working directory outside a repository) down to the working directory, AGENTS.md always and
// the file of the active family, shallower directories first so deeper files take precedence;
// bounded so a huge file cannot crowd out the task.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ToolFamily } from '../tools/tool-set.ts';

export const PROJECT_DOCS_BUDGET = 32 * 1024;

const FILES_BY_FAMILY: Record<ToolFamily, string[]> = {
  anthropic: ['AGENTS.md', 'CLAUDE.md'],
  openai: ['AGENTS.md', '.codex/instructions.md'],
  gemini: ['AGENTS.md', 'GEMINI.md'],
  portable: ['AGENTS.md'],
};

/** The repository's top level when `dir` is inside one that contains it, else `dir` itself. */
function gitRoot(dir: string): string {
  try {
    const top = realpathSync(execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim());
    const rel = relative(top, dir);
    return rel.startsWith('..') ? dir : top;
  } catch {
    return dir;
  }
}

/** Every directory from the git root down to `dir`, the root first. */
export function directoriesFromRoot(dir: string): string[] {
  const root = gitRoot(dir);
  const rel = relative(root, dir);
  const dirs = [root];
  if (rel === '') return dirs;
  let current = root;
  for (const segment of rel.split(sep)) {
    current = join(current, segment);
    dirs.push(current);
  }
  return dirs;
}

export function projectInstructions(workdir: string, family: ToolFamily, budget = PROJECT_DOCS_BUDGET): string {
  const dirs = directoriesFromRoot(workdir);
  const root = dirs[0]!;
  const parts: string[] = [];
  for (const dir of dirs) {
    for (const name of FILES_BY_FAMILY[family]) {
      let text: string;
      try {
        text = readFileSync(join(dir, name), 'utf8');
      } catch {
        continue;
      }
      const shown = relative(root, join(dir, name)).split(sep).join('/');
      parts.push(`<project_instructions file="${shown}">\n${text.trim()}\n</project_instructions>`);
    }
  }
  const joined = parts.join('\n\n');
  if (Buffer.byteLength(joined) <= budget) return joined;
  return `${Buffer.from(joined).subarray(0, budget).toString('utf8')}\n[Project instructions truncated at ${Math.round(budget / 1024)}KB]`;
}
