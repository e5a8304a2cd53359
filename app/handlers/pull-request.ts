// Factory PRs get `factory/satisfaction` queued at once plus a validation dispatch; spec PRs get a
// `factory/spec` check with the graph's lint diagnostics and the config's validation result. Every
// other same-repository PR gets `factory/satisfaction` as neutral: teams make it a required check,
// and a PR people wrote has no holdout gate to pass (contracts.md §5 forbids neutral only on factory PRs).
import type { Context } from 'probot';
import { CHECK_NAMES } from '../../core/domain/checks.ts';
import { CONFIG_PATH, formatConfigIssues, parseFactoryConfig, type FactoryConfig } from '../../core/domain/config.ts';
import { lintMark } from '../../core/domain/review.ts';
import { startValidation } from '../act/start.ts';
import { startReview } from '../act/start-review.ts';
import { classifyPull, isFork, isSpecPull } from '../decide/pull-request.ts';
import { nextRound, newest, specShaFromMessage } from '../decide/rounds.ts';
import { commitMessage } from '../github/commits.ts';
import { createCheck, createCheckWithAnnotations, listChecks, type Annotation } from '../github/checks.ts';
import { loadConfig } from '../github/config.ts';
import { readFile } from '../github/content.ts';
import { pullFiles } from '../github/pulls.ts';
import type { Octokit, RepoRef } from '../github/types.ts';
import { lintGraph, toAnnotations } from '../lint-graph.ts';

type PullContext = Context<'pull_request.opened' | 'pull_request.synchronize' | 'pull_request.reopened'>;

export async function onPullRequest(context: PullContext): Promise<void> {
  const { payload, octokit } = context;
  const pull = payload.pull_request;
  const facts = { headRef: pull.head.ref, headRepo: pull.head.repo?.full_name ?? null, baseRepo: pull.base.repo.full_name };
  // Fork PRs never get a run or a validation: decided before any API call.
  if (isFork(facts)) return;
  const repo = context.repo();
  const defaultBranch = payload.repository.default_branch;
  const loaded = await loadConfig(octokit, repo, defaultBranch);
  const config = loaded.ok ? loaded.config : null;
  const kind = classifyPull(facts, config?.factory.branch_prefix ?? 'factory/');
  if (kind === 'factory') {
    if (config === null) return;
    await onFactoryPull(context, repo, defaultBranch);
    return;
  }
  await Promise.all([
    markNoHoldoutGate(octokit, repo, pull.head.sha, config?.factory.branch_prefix ?? 'factory/'),
    onMaybeSpecPull(octokit, repo, { number: pull.number, headSha: pull.head.sha, baseSha: pull.base.sha, defaultBranch }, config),
  ]);
}

/**
 * Checks belong to commits, not PRs, so the commit decides, not the branch name: a commit the gate
 * already judges (a second PR from a factory head) or one the factory made (its `Factory-Spec:`
 * trailer; also a factory PR under a prefix an unreadable config hides) gets no neutral check.
 */
async function markNoHoldoutGate(octokit: Octokit, repo: RepoRef, headSha: string, branchPrefix: string): Promise<void> {
  const [gates, message] = await Promise.all([
    listChecks(octokit, repo, headSha, CHECK_NAMES.satisfaction),
    commitMessage(octokit, repo, headSha),
  ]);
  if (gates.some((check) => check.externalId !== null) || specShaFromMessage(message) !== null) return;
  await createCheck(octokit, repo, {
    name: CHECK_NAMES.satisfaction,
    headSha,
    conclusion: 'neutral',
    output: {
      title: 'Not a factory pull request: no holdout gate',
      summary: `The holdout gate judges factory pull requests (head branch under \`${branchPrefix}\`). This pull request was not opened by the factory, so there is nothing to validate; review it as usual.`,
    },
  });
}

async function onFactoryPull(context: PullContext, repo: RepoRef, defaultBranch: string): Promise<void> {
  const { payload, octokit } = context;
  const pull = payload.pull_request;
  const request = `pr:${pull.number}:${pull.head.sha}`;
  const existing = await listChecks(octokit, repo, pull.head.sha, CHECK_NAMES.satisfaction);
  if (existing.some((check) => check.externalId?.request === request)) return;
  const before = payload.action === 'synchronize' ? payload.before : undefined;
  const previous = before ? newest(await listChecks(octokit, repo, before, CHECK_NAMES.satisfaction)) : undefined;
  await startValidation(octokit, repo, { pr: pull.number, headSha: pull.head.sha, ref: defaultBranch, request, round: nextRound(previous) });
}

interface SpecPull {
  number: number;
  headSha: string;
  baseSha: string;
  defaultBranch: string;
}

async function onMaybeSpecPull(octokit: Octokit, repo: RepoRef, spec: SpecPull, config: FactoryConfig | null): Promise<void> {
  const { number, headSha } = spec;
  const effective = config ?? parseDefaults();
  const files = await pullFiles(octokit, repo, number);
  if (!isSpecPull(files, effective)) return;
  // The readiness review is switched on by the default branch's config only (never by the PR's own).
  const review = config?.review.enabled ? `review:${number}:${headSha}` : null;
  if (review !== null && (await listChecks(octokit, repo, headSha, CHECK_NAMES.spec)).some((check) => check.externalId?.request === review)) return;

  const sections: string[] = [];
  let failed = false;
  let annotations: Annotation[] = [];
  const configText = await readFile(octokit, repo, CONFIG_PATH, headSha);
  const headConfig = configText === null ? null : parseFactoryConfig(configText);
  if (headConfig === null) {
    sections.push(`**Config**: no \`${CONFIG_PATH}\` in this PR's head; the factory needs one to run.`);
    failed = true;
  } else if (!headConfig.ok) {
    sections.push(`**Config**: invalid.\n\n${formatConfigIssues(headConfig.issues)}`);
    failed = true;
  } else {
    sections.push(`**Config**: \`${CONFIG_PATH}\` is valid.`);
  }
  const graphPath = headConfig?.ok ? headConfig.config.factory.graph : effective.factory.graph;
  if (graphPath) {
    const source = await readFile(octokit, repo, graphPath, headSha);
    if (source === null) {
      sections.push(`**Graph**: \`${graphPath}\` does not exist in this PR's head.`);
      failed = true;
    } else {
      const diagnostics = lintGraph(source, graphPath);
      const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
      failed ||= errors > 0;
      annotations = toAnnotations(diagnostics, graphPath);
      sections.push(`**Graph**: \`${graphPath}\`: ${errors} error(s), ${diagnostics.length - errors} other finding(s).`);
    }
  } else {
    sections.push('**Graph**: none configured; the shipped default graph is used.');
  }
  if (review !== null) {
    const summary = [...sections, '**Readiness review**: running; its findings follow as a pull request review and here.'].join('\n\n');
    const check = await createCheckWithAnnotations(octokit, repo, {
      name: CHECK_NAMES.spec,
      headSha,
      externalId: { pr: number, round: 1, request: review },
      output: { title: 'Spec review running', summary, text: lintMark(failed) },
    }, annotations);
    await startReview(octokit, repo, check, { ref: spec.defaultBranch, pr: number, headSha, baseSha: spec.baseSha, request: review }, summary);
    return;
  }
  await createCheckWithAnnotations(octokit, repo, {
    name: CHECK_NAMES.spec,
    headSha,
    conclusion: failed ? 'failure' : 'success',
    output: { title: failed ? 'Spec, graph or config needs fixing' : 'Spec, graph and config are valid', summary: sections.join('\n\n') },
  }, annotations);
}

function parseDefaults(): FactoryConfig {
  const result = parseFactoryConfig('version: 1\n');
  if (!result.ok) throw new Error('the default config does not parse');
  return result.config;
}
