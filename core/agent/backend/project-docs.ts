// Project instructions found in the checkout (coding-agent-loop-spec §6.5): AGENTS.md always, and
// the file of the active family; bounded so a huge file cannot crowd out the task.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolFamily } from '../tools/tool-set.ts';

export const PROJECT_DOCS_BUDGET = 32 * 1024;

const FILES_BY_FAMILY: Record<ToolFamily, string[]> = {
  anthropic: ['AGENTS.md', 'CLAUDE.md'],
  openai: ['AGENTS.md', '.codex/instructions.md'],
  portable: ['AGENTS.md'],
};

export function projectInstructions(root: string, family: ToolFamily, budget = PROJECT_DOCS_BUDGET): string {
  const parts: string[] = [];
  for (const name of FILES_BY_FAMILY[family]) {
    let text: string;
    try {
      text = readFileSync(join(root, name), 'utf8');
    } catch {
      continue;
    }
    parts.push(`<project_instructions file="${name}">\n${text.trim()}\n</project_instructions>`);
  }
  const joined = parts.join('\n\n');
  if (Buffer.byteLength(joined) <= budget) return joined;
  return `${Buffer.from(joined).subarray(0, budget).toString('utf8')}\n[Project instructions truncated at ${Math.round(budget / 1024)}KB]`;
}
