// The `review` command (interactive shift): the spec-readiness review of a spec PR. It reads, from
// the checkout's git objects, only the spec tree (`spec.paths` of the default branch's config), the
// config and the graph at the PR head, and the PR's diff of those files — the workflow checks out
// `spec/` and `.github/` only. The findings go out as one PR review (line comments where GitHub can
// place them, `suggestion` blocks for rewordings) and conclude the `factory/spec` check the App
// created, with the readiness summary and the report the App reads at merge time.
import type { Octokit } from './github-client.ts';
import { resolveProvider } from '../core/agent/llm/resolve.ts';
import type { SpecFile } from '../core/agent/review/prompt.ts';
import { reviewFailed, runSpecReview, type Critic, type ReviewResult } from '../core/agent/review/review.ts';
import { CHECK_NAMES } from '../core/domain/checks.ts';
import type { FactoryConfig } from '../core/domain/config.ts';
import { commentableLines } from '../core/domain/diff-lines.ts';
import { matchesAnyPath } from '../core/domain/paths.ts';
import { embedReviewReport, formatFinding, lintFailedIn, readinessSummary, reviewReport, type Finding } from '../core/domain/review.ts';
import { defaultBranchRef, loadConfig } from './config-source.ts';
import { ActionError } from './errors.ts';
import { createGit, type Git } from './git.ts';
import { defaultBranchOf, type RepoRef } from './github.ts';
import type { ActionInputs } from './inputs.ts';

export const MAX_SPEC_FILE_BYTES = 256 * 1024;
const ANNOTATIONS_PER_REQUEST = 50;
const RUNNING_LINE = /\n*\*\*Readiness review\*\*: running[^\n]*/;

export interface ReviewDependencies {
  inputs: ActionInputs;
  env: Readonly<Record<string, string | undefined>>;
  octokit: Octokit;
  repo: RepoRef;
  workspace: string;
  log: (line: string) => void;
}

export interface ReviewOutputs {
  status: 'success' | 'fail';
  reason?: string;
  summary: string;
  findings: Finding[];
}

/** The files the critics may read, at `head`: the spec tree, the config, the graph. */
export function reviewFiles(git: Git, head: string, config: FactoryConfig, configPath: string): SpecFile[] {
  const tracked = git.run(['ls-tree', '-r', '-z', '--name-only', head]).split('\0').filter((path) => path !== '');
  const wanted = tracked.filter((path) => matchesAnyPath(path, config.spec.paths) || path === configPath || path === config.factory.graph);
  const files: SpecFile[] = [];
  for (const path of wanted) {
    const size = Number(git.tryRun(['cat-file', '-s', `${head}:${path}`])?.trim() ?? 'NaN');
    if (!(size <= MAX_SPEC_FILE_BYTES)) continue;
    const text = git.tryRun(['show', `${head}:${path}`]);
    if (text !== null && !text.includes('\0')) files.push({ path, text });
  }
  return files;
}

function ensureCommit(git: Git, sha: string): boolean {
  if (git.tryRun(['cat-file', '-e', `${sha}^{commit}`]) !== null) return true;
  git.tryRun(['fetch', '--no-tags', '--quiet', 'origin', sha]);
  return git.tryRun(['cat-file', '-e', `${sha}^{commit}`]) !== null;
}

function critics(models: readonly string[], env: ReviewDependencies['env']): Critic[] {
  return models.map((name) => {
    try {
      const resolved = resolveProvider(name, env);
      return { name, provider: resolved.provider, model: resolved.model };
    } catch (error) {
      throw new ActionError('model', `review model ${name}: ${(error as Error).message}`);
    }
  });
}

function commentBody(finding: Finding): string {
  const head = `**${finding.kind}**${finding.blocking ? ' (blocking)' : ''}: ${finding.message}`;
  return finding.suggestion === undefined ? head : `${head}\n\n\`\`\`suggestion\n${finding.suggestion.replace(/\n+$/, '')}\n\`\`\``;
}

/** One review: line comments where the diff lets GitHub place them, every other finding in its body. */
export function pullReview(findings: readonly Finding[], diff: string, head: string): { commit_id: string; event: 'COMMENT'; body: string; comments: Array<{ path: string; line: number; side: 'RIGHT'; body: string }> } {
  const placeable = commentableLines(diff);
  const comments = [];
  const elsewhere: Finding[] = [];
  for (const finding of findings) {
    if (placeable.get(finding.file)?.has(finding.line)) comments.push({ path: finding.file, line: finding.line, side: 'RIGHT' as const, body: commentBody(finding) });
    else elsewhere.push(finding);
  }
  const body = [`### Spec-readiness review`, '', readinessSummary(findings, 0),
    ...(elsewhere.length ? ['', 'Outside the lines this PR changes:', ...elsewhere.map((finding) => `- \`${formatFinding(finding)}\``)] : [])].join('\n');
  return { commit_id: head, event: 'COMMENT', body, comments };
}

async function concludeSpecCheck(deps: ReviewDependencies, checkRunId: number, result: ReviewResult, head: string): Promise<void> {
  const { octokit, repo } = deps;
  const { data } = await octokit.rest.checks.get({ ...repo, check_run_id: checkRunId });
  if (data.name !== CHECK_NAMES.spec) throw new ActionError('input', `input \`check-run-id\`: check run ${checkRunId} is ${data.name}, not ${CHECK_NAMES.spec}`);
  const lintFailed = lintFailedIn(data.output.text);
  const blocking = result.findings.filter((finding) => finding.blocking).length;
  const before = (data.output.summary ?? '').replace(RUNNING_LINE, '').trim();
  const summary = [before, `**Readiness review** (${result.critics.length} critic(s)):`, readinessSummary(result.findings)].filter((part) => part !== '').join('\n\n').slice(0, 60_000);
  const title = blocking > 0 ? `Spec not ready: ${blocking} blocking finding(s)` : lintFailed ? 'Spec, graph or config needs fixing' : `Spec ready: ${result.findings.length} finding(s), none blocking`;
  const annotations = result.findings.map((finding) => ({
    path: finding.file, start_line: finding.line, end_line: finding.line,
    annotation_level: finding.blocking ? 'failure' as const : 'warning' as const,
    title: `${finding.kind}${finding.blocking ? ' (blocking)' : ''}`, message: finding.message,
  }));
  const output = { title, summary, text: `${data.output.text ?? ''}\n${embedReviewReport(reviewReport(head, result.findings))}`.trim() };
  for (let i = ANNOTATIONS_PER_REQUEST; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, output: { ...output, annotations: annotations.slice(i, i + ANNOTATIONS_PER_REQUEST) } });
  }
  await octokit.rest.checks.update({
    ...repo, check_run_id: checkRunId, status: 'completed', conclusion: blocking > 0 || lintFailed ? 'failure' : 'success',
    output: { ...output, ...(annotations.length ? { annotations: annotations.slice(0, ANNOTATIONS_PER_REQUEST) } : {}) },
  });
}

export async function reviewCommand(deps: ReviewDependencies): Promise<ReviewOutputs> {
  const { inputs } = deps;
  if (inputs.prNumber === undefined) throw new ActionError('input', 'input `pr-number`: required for `review` (the spec pull request)');
  if (!inputs.baseSha) throw new ActionError('input', 'input `base-sha`: required for `review` (the spec pull request\'s base commit)');
  const git = createGit(deps.workspace);
  const defaultBranch = await defaultBranchOf(deps.octokit, deps.repo);
  const config = loadConfig(git, defaultBranchRef(git, defaultBranch), inputs.configPath);
  const head = inputs.specSha ?? git.run(['rev-parse', 'HEAD']).trim();
  if (!ensureCommit(git, head)) throw new ActionError('git', `the spec PR head ${head} is not in the checkout`);
  const models = inputs.models ? inputs.models.split(',').map((model) => model.trim()).filter((model) => model !== '') : config.review.models;
  if (models.length === 0) throw new ActionError('config', `${inputs.configPath}: \`review.models\` names no critic (or pass the \`models\` input)`);
  const files = reviewFiles(git, head, config, inputs.configPath);
  let diff = '';
  if (ensureCommit(git, inputs.baseSha)) {
    diff = git.tryRun(['diff', '--no-color', `${inputs.baseSha}...${head}`, '--', ...files.map((file) => file.path)]) ?? '';
  } else {
    deps.log(`::warning::the PR base ${inputs.baseSha.slice(0, 7)} is not in the checkout (fetch-depth: 0?); reviewing without a diff, so no line comments`);
  }
  deps.log(`reviewing ${files.length} spec file(s) with ${models.length} critic(s)`);
  const maxUsd = Math.min(config.review.max_usd, inputs.maxUsd ?? Infinity);
  const result = await runSpecReview({ input: { files, diff }, critics: critics(models, deps.env), maxUsd });
  const failed = reviewFailed(result);
  if (failed) throw new ActionError('model', `no critic answered usably: ${failed}`);
  for (const critic of result.critics) if (critic.error) deps.log(`::warning::critic ${critic.critic} failed: ${critic.error}`);
  await deps.octokit.rest.pulls.createReview({ ...deps.repo, pull_number: inputs.prNumber, ...pullReview(result.findings, diff, head) });
  if (inputs.checkRunId !== undefined) await concludeSpecCheck(deps, inputs.checkRunId, result, head);
  const blocking = result.findings.filter((finding) => finding.blocking).length;
  const summary = `## ${CHECK_NAMES.spec}: readiness review\n\n${readinessSummary(result.findings)}\n`;
  return { status: blocking > 0 ? 'fail' : 'success', ...(blocking > 0 ? { reason: `${blocking} blocking finding(s)` } : {}), summary, findings: result.findings };
}
