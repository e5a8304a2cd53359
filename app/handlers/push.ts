// Spec merged: a push to the default branch that changes `spec.paths` starts a factory run.
import type { Context } from 'probot';
import { CHECK_NAMES } from '../../core/domain/checks.ts';
import { CONFIG_PATH, formatConfigIssues } from '../../core/domain/config.ts';
import { startFactoryRun } from '../act/start.ts';
import { decideReviewGate, reviewGateApplies } from '../decide/review-gate.ts';
import { canCompare, filesFromPayload, isDefaultBranchUpdate, touchesAny, type PushFacts } from '../decide/push.ts';
import { createCheck, listChecks, updateCheck, type CheckRunInfo } from '../github/checks.ts';
import { changedFilesBetween, mergedPullRequestFor } from '../github/commits.ts';
import { comment } from '../github/comments.ts';
import { loadConfig } from '../github/config.ts';
import { missingFiles } from '../github/content.ts';
import { lastReviewOfPull } from '../github/review-state.ts';
import type { Octokit, RepoRef } from '../github/types.ts';

/** Spec paths used to decide whether a broken or missing config is worth a failing check. */
const DEFAULT_SPEC_PATHS = ['spec/**'];

function pushFacts(context: Context<'push'>): PushFacts {
  const { payload } = context;
  return {
    ref: payload.ref,
    before: payload.before,
    after: payload.after,
    forced: payload.forced,
    deleted: payload.deleted,
    defaultBranch: payload.repository.default_branch ?? 'main',
    commits: payload.commits,
  };
}

async function changedFiles(octokit: Octokit, repo: RepoRef, push: PushFacts, patterns: readonly string[]): Promise<string[]> {
  const fromPayload = filesFromPayload(push);
  if (fromPayload !== null) return fromPayload;
  if (!canCompare(push)) return [];
  return changedFilesBetween(octokit, repo, push.before, push.after, (files) => touchesAny(files, patterns));
}

export async function onPush(context: Context<'push'>): Promise<void> {
  const push = pushFacts(context);
  if (!isDefaultBranchUpdate(push)) return;
  const repo = context.repo();
  const { octokit } = context;
  const loaded = await loadConfig(octokit, repo, push.after);
  const patterns = loaded.ok ? loaded.config.spec.paths : [...DEFAULT_SPEC_PATHS, CONFIG_PATH];
  const files = await changedFiles(octokit, repo, push, patterns);
  if (!touchesAny(files, patterns)) return;

  const request = `push:${push.after}`;
  const handledBefore = (checks: readonly CheckRunInfo[]): boolean => {
    const handled = checks.some((check) => check.externalId?.request === request);
    if (handled) context.log.info({ request }, 'spec push already handled');
    return handled;
  };
  if (!loaded.ok) {
    if (handledBefore(await listChecks(octokit, repo, push.after, CHECK_NAMES.factory))) return;
    await refuse(octokit, repo, push.after, request, loaded.missing ? 'No factory config' : 'Invalid factory config',
      `No run was started.\n\n${formatConfigIssues(loaded.issues)}`);
    return;
  }
  // Every read the rest needs, at once: whether another delivery already acted (the check it
  // created), the spec.ready files, the previous head's open run to supersede, the merged PR to tell.
  const [existing, missing, older, pr] = await Promise.all([
    listChecks(octokit, repo, push.after, CHECK_NAMES.factory),
    missingFiles(octokit, repo, loaded.config.spec.ready, push.after),
    openFactoryChecks(octokit, repo, push.before),
    // Only for the courtesy comment: a failed lookup must not stop the run.
    mergedPullRequestFor(octokit, repo, push.after).catch((error: unknown) => {
      context.log.warn({ err: error }, 'could not find the merged PR of the spec push');
      return null;
    }),
  ]);
  if (handledBefore(existing)) return;
  if (missing.length > 0) {
    await refuse(octokit, repo, push.after, request, 'Spec not ready',
      `No run was started: \`spec.ready\` lists files that do not exist:\n${missing.map((path) => `- \`${path}\``).join('\n')}`);
    return;
  }

  // review.required: the merged PR's last readiness review must have no blocking finding.
  if (pr !== null && reviewGateApplies(loaded.config, false)) {
    const gate = decideReviewGate(loaded.config, await lastReviewOfPull(octokit, repo, pr), false);
    if (gate.kind === 'refuse') {
      await refuse(octokit, repo, push.after, request, gate.title, gate.summary);
      return;
    }
  }

  await startFactoryRun(octokit, repo, {
    checkSha: push.after, specSha: push.after, ref: push.defaultBranch, reason: 'spec-merge', request, round: 1,
  }, {
    withCheck: (check) => supersede(octokit, repo, older, check.htmlUrl ?? push.after),
    withRun: async (run) => {
      if (pr === null) return;
      const link = run.htmlUrl ? `[the run](${run.htmlUrl})` : 'the run';
      await comment(octokit, repo, pr, `The factory started ${link} for ${push.after.slice(0, 7)}; the \`factory\` check on that commit follows it.`);
    },
  });
}

/** A failing `factory` check that says why no run was started. */
async function refuse(octokit: Octokit, repo: RepoRef, sha: string, request: string, title: string, summary: string): Promise<void> {
  await createCheck(octokit, repo, {
    name: CHECK_NAMES.factory, headSha: sha, externalId: { round: 1, request }, conclusion: 'failure', output: { title, summary },
  });
}

/** The open `factory` checks the App made on the previous head (none for a new branch). */
async function openFactoryChecks(octokit: Octokit, repo: RepoRef, before: string): Promise<CheckRunInfo[]> {
  if (/^0+$/.test(before)) return [];
  const checks = await listChecks(octokit, repo, before, CHECK_NAMES.factory);
  return checks.filter((check) => check.status !== 'completed' && check.externalId !== null);
}

/** A newer spec push supersedes the run of the previous head: its open checks are closed as cancelled. */
async function supersede(octokit: Octokit, repo: RepoRef, older: readonly CheckRunInfo[], newer: string): Promise<void> {
  await Promise.all(older.map((check) => updateCheck(octokit, repo, check.id, {
    conclusion: 'cancelled',
    output: { title: 'Superseded', summary: `A newer spec push superseded this run: ${newer}` },
  })));
}
