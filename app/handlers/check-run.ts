// Check buttons and re-runs (`rerequested`, `requested_action`), and the feedback loop when the
// validate Action concludes `factory/satisfaction` as failure.
import type { Context } from 'probot';
import { CHECK_NAMES, isCheckActionId, type CheckActionId, type ExternalId } from '../../domain/checks.ts';
import { extractFeedback } from '../../domain/feedback.ts';
import { startFactoryRun, startValidation } from '../act/start.ts';
import { decideFeedback } from '../decide/rounds.ts';
import { APP_CONCLUSION_MARK, listChecks } from '../github/checks.ts';
import { comment } from '../github/comments.ts';
import { loadConfig } from '../github/config.ts';
import { decodeExternalId } from '../../domain/checks.ts';
import type { Octokit, RepoRef } from '../github/types.ts';
import { specShaOf } from './commands/context-lookups.ts';

type CheckContext = Context<'check_run.rerequested' | 'check_run.requested_action'>;

/** Which button a re-request means: re-running a check repeats what created it. */
export function actionFor(name: string, identifier: string | undefined): CheckActionId | null {
  if (identifier !== undefined) return isCheckActionId(identifier) ? identifier : null;
  if (name === CHECK_NAMES.factory) return 'rerun';
  if (name === CHECK_NAMES.satisfaction) return 'revalidate';
  return null;
}

export async function onCheckRequest(context: CheckContext): Promise<void> {
  const { payload, octokit } = context;
  const check = payload.check_run;
  const identifier = payload.action === 'requested_action' ? payload.requested_action?.identifier : undefined;
  const action = actionFor(check.name, identifier);
  const externalId = decodeExternalId(check.external_id);
  if (action === null || externalId === null) return;
  const repo = context.repo();
  const ref = payload.repository.default_branch;
  const request = `check:${check.id}:${action}:${context.id}`;
  if (action === 'revalidate') {
    if (externalId.pr === undefined) return;
    await startValidation(octokit, repo, { pr: externalId.pr, headSha: check.head_sha, ref, request, round: externalId.round });
    return;
  }
  // A factory check on a spec commit carries no PR: that commit is the spec commit.
  const specSha = externalId.pr === undefined ? check.head_sha : await specShaOf(octokit, repo, check.head_sha);
  if (specSha === null) return;
  if (action === 'resume' && externalId.run === undefined) return;
  await startFactoryRun(octokit, repo, {
    checkSha: check.head_sha, specSha, ref, request, round: externalId.round,
    reason: action === 'resume' ? 'resume' : 'rerun',
    ...(externalId.pr ? { pr: externalId.pr } : {}),
    ...(action === 'resume' && externalId.run ? { resumeRunId: externalId.run } : {}),
  });
}

export async function onCheckCompleted(context: Context<'check_run.completed'>): Promise<void> {
  const { payload, octokit } = context;
  const check = payload.check_run;
  if (check.name !== CHECK_NAMES.satisfaction || check.conclusion !== 'failure') return;
  // The App's own conclusions (dispatch refused, run died, cancelled) are not validation verdicts.
  if (check.output.summary?.includes(APP_CONCLUSION_MARK)) return;
  const externalId = decodeExternalId(check.external_id);
  if (externalId?.pr === undefined) return;
  await feedbackRound(octokit, context.repo(), payload.repository.default_branch, check.head_sha, check.output.text ?? null,
    externalId as ExternalId & { pr: number });
}

async function feedbackRound(octokit: Octokit, repo: RepoRef, ref: string, headSha: string, outputText: string | null,
  externalId: ExternalId & { pr: number }): Promise<void> {
  const loaded = await loadConfig(octokit, repo, ref);
  if (!loaded.ok) return;
  const decision = decideFeedback(externalId.round, loaded.config.factory.budget.max_rounds);
  const request = `feedback:${externalId.pr}:${externalId.round}`;
  const existing = await listChecks(octokit, repo, headSha, CHECK_NAMES.factory);
  if (existing.some((check) => check.externalId?.request === request)) return;
  if (decision.kind === 'exhausted') {
    await comment(octokit, repo, externalId.pr,
      `Validation failed in round ${externalId.round} of ${decision.rounds}: the rounds allowed by \`factory.budget.max_rounds\` are used up, so the factory stops here. \`/factory rerun\` starts afresh.`);
    return;
  }
  const specSha = await specShaOf(octokit, repo, headSha);
  if (specSha === null) return;
  // Only a block that passes the leak-safe schema is forwarded; anything else gives no feedback.
  const feedback = loaded.config.feedback.level === 'none' ? null : extractFeedback(outputText);
  await startFactoryRun(octokit, repo, {
    checkSha: headSha, specSha, ref, reason: 'feedback', request, round: decision.round, pr: externalId.pr,
    ...(feedback ? { feedback: JSON.stringify(feedback) } : {}),
  });
}
