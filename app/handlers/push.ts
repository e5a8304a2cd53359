// Spec merged: a push to the default branch that changes `spec.paths` starts a factory run.
import type { Context } from 'probot';
import { CHECK_NAMES } from '../../domain/checks.ts';
import { CONFIG_PATH, formatConfigIssues } from '../../domain/config.ts';
import { startFactoryRun } from '../act/start.ts';
import { canCompare, filesFromPayload, isDefaultBranchUpdate, touchesAny, type PushFacts } from '../decide/push.ts';
import { createCheck, listChecks, updateCheck } from '../github/checks.ts';
import { changedFilesBetween, mergedPullRequestFor } from '../github/commits.ts';
import { comment } from '../github/comments.ts';
import { loadConfig } from '../github/config.ts';
import { missingFiles } from '../github/content.ts';
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

  const existing = await listChecks(octokit, repo, push.after, CHECK_NAMES.factory);
  const request = `push:${push.after}`;
  if (existing.some((check) => check.externalId?.request === request)) {
    context.log.info({ request }, 'spec push already handled');
    return;
  }
  if (!loaded.ok) {
    await createCheck(octokit, repo, {
      name: CHECK_NAMES.factory,
      headSha: push.after,
      externalId: { round: 1, request },
      conclusion: 'failure',
      output: {
        title: loaded.missing ? 'No factory config' : 'Invalid factory config',
        summary: `No run was started.\n\n${formatConfigIssues(loaded.issues)}`,
      },
    });
    return;
  }
  const missing = await missingFiles(octokit, repo, loaded.config.spec.ready, push.after);
  if (missing.length > 0) {
    await createCheck(octokit, repo, {
      name: CHECK_NAMES.factory,
      headSha: push.after,
      externalId: { round: 1, request },
      conclusion: 'failure',
      output: { title: 'Spec not ready', summary: `No run was started: \`spec.ready\` lists files that do not exist:\n${missing.map((path) => `- \`${path}\``).join('\n')}` },
    });
    return;
  }

  const started = await startFactoryRun(octokit, repo, {
    checkSha: push.after, specSha: push.after, ref: push.defaultBranch, reason: 'spec-merge', request, round: 1,
  });
  await supersedeOlder(octokit, repo, push.before, started.check.htmlUrl ?? push.after);
  if (started.error) return;
  const pr = await mergedPullRequestFor(octokit, repo, push.after);
  if (pr !== null) {
    const link = started.run?.htmlUrl ? `[the run](${started.run.htmlUrl})` : 'the run';
    await comment(octokit, repo, pr, `The factory started ${link} for ${push.after.slice(0, 7)}; the \`factory\` check on that commit follows it.`);
  }
}

/** A newer spec push supersedes the run of the previous head: its open check is closed as cancelled. */
async function supersedeOlder(octokit: Octokit, repo: RepoRef, before: string, newer: string): Promise<void> {
  if (/^0+$/.test(before)) return;
  const older = await listChecks(octokit, repo, before, CHECK_NAMES.factory);
  for (const check of older.filter((candidate) => candidate.status !== 'completed' && candidate.externalId !== null)) {
    await updateCheck(octokit, repo, check.id, {
      conclusion: 'cancelled',
      output: { title: 'Superseded', summary: `A newer spec push superseded this run: ${newer}` },
    });
  }
}
