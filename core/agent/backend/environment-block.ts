// The environment layer of the system prompt (coding-agent-loop-spec §6.3–§6.4): where the agent
// is, when, and the state of git if the workspace is a repository.
import { execFileSync } from 'node:child_process';

const GIT_STATUS_LINES = 20;
const RECENT_COMMITS = 8;

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim();
  } catch {
    return undefined;
  }
}

export function environmentBlock(root: string, now: Date, platform: string = process.platform, model?: string): string {
  const lines = [`Working directory: ${root}`, `Platform: ${platform}`, `Date: ${now.toISOString().slice(0, 10)}`, ...(model ? [`Model: ${model}`] : [])];
  if (git(root, ['rev-parse', '--is-inside-work-tree']) === 'true') {
    lines.push('Is git repository: true', `Git branch: ${git(root, ['rev-parse', '--abbrev-ref', 'HEAD']) ?? 'unknown'}`);
    const status = (git(root, ['status', '--short']) ?? '').split('\n').filter(Boolean);
    if (status.length === 0) lines.push('Git status: clean');
    else {
      lines.push(`Git status (${status.length} changed):`, ...status.slice(0, GIT_STATUS_LINES).map((line) => `  ${line}`));
      if (status.length > GIT_STATUS_LINES) lines.push(`  … ${status.length - GIT_STATUS_LINES} more`);
    }
    const commits = (git(root, ['log', `-${RECENT_COMMITS}`, '--format=%h %s']) ?? '').split('\n').filter(Boolean);
    if (commits.length > 0) lines.push('Recent commits:', ...commits.map((line) => `  ${line}`));
  } else {
    lines.push('Is git repository: false');
  }
  return `<environment>\n${lines.join('\n')}\n</environment>`;
}
