// Check buttons and re-runs: `rerequested`, the `rerun`/`revalidate`/`resume` buttons, and the
// `answer:<key>` buttons the Action puts on a `factory` check whose run waits at a human gate.
// GitHub shows buttons only to users who may write to the repository, so no permission lookup.
import type { Context } from 'probot';
import { answerKeyOf, CHECK_NAMES, decodeExternalId, isCheckActionId, type CheckActionId, type CheckName } from '../../core/domain/checks.ts';
import { FactoryDispatchInputsSchema } from '../../core/domain/dispatch.ts';
import { startFactoryRun, startValidation } from '../act/start.ts';
import { listChecks } from '../github/checks.ts';
import type { Octokit, RepoRef } from '../github/types.ts';
import { specShaOfCheck } from './commands/context-lookups.ts';

type CheckContext = Context<'check_run.rerequested' | 'check_run.requested_action'>;

export type CheckRequest =
  | { kind: CheckActionId }
  | { kind: 'answer'; key: string };

/** What a re-request or button means: re-running a check repeats what created it. */
export function requestFor(name: string, identifier: string | undefined): CheckRequest | null {
  if (identifier === undefined) {
    if (name === CHECK_NAMES.factory) return { kind: 'rerun' };
    if (name === CHECK_NAMES.satisfaction) return { kind: 'revalidate' };
    return null;
  }
  if (isCheckActionId(identifier)) return { kind: identifier };
  const key = answerKeyOf(identifier);
  // A key the dispatch contract would reject is refused here, before any check is created.
  if (key === null || name !== CHECK_NAMES.factory || !FactoryDispatchInputsSchema.shape.answer.safeParse(key).success) return null;
  return { kind: 'answer', key };
}

/** Another replica (or this one, after a restart) may have acted on this delivery: its check says so. */
async function startedBefore(octokit: Octokit, repo: RepoRef, sha: string, name: CheckName, request: string): Promise<boolean> {
  return (await listChecks(octokit, repo, sha, name)).some((check) => check.externalId?.request === request);
}

export async function onCheckRequest(context: CheckContext): Promise<void> {
  const { payload, octokit } = context;
  const check = payload.check_run;
  const identifier = payload.action === 'requested_action' ? payload.requested_action?.identifier : undefined;
  const wanted = requestFor(check.name, identifier);
  const externalId = decodeExternalId(check.external_id);
  if (wanted === null || externalId === null) return;
  const repo = context.repo();
  const ref = payload.repository.default_branch;
  const request = `check:${check.id}:${identifier ?? wanted.kind}:${context.id}`;
  if (wanted.kind === 'revalidate') {
    if (externalId.pr === undefined) return;
    if (await startedBefore(octokit, repo, check.head_sha, CHECK_NAMES.satisfaction, request)) return;
    await startValidation(octokit, repo, { pr: externalId.pr, headSha: check.head_sha, ref, request, round: externalId.round });
    return;
  }
  const resumes = wanted.kind !== 'rerun';
  if (resumes && externalId.run === undefined) return;
  // An answer button only means something while its run waits at the gate.
  if (wanted.kind === 'answer' && check.conclusion !== 'action_required') return;
  const [specSha, before] = await Promise.all([
    specShaOfCheck(octokit, repo, { headSha: check.head_sha, ...(externalId.pr ? { pr: externalId.pr } : {}) }),
    startedBefore(octokit, repo, check.head_sha, CHECK_NAMES.factory, request),
  ]);
  if (before) return;
  await startFactoryRun(octokit, repo, {
    checkSha: check.head_sha, specSha, ref, request, round: externalId.round,
    reason: resumes ? 'resume' : 'rerun',
    ...(externalId.pr ? { pr: externalId.pr } : {}),
    ...(externalId.issue ? { issue: externalId.issue } : {}),
    ...(resumes && externalId.run ? { resumeRunId: externalId.run } : {}),
    ...(wanted.kind === 'answer' ? { answer: wanted.key } : {}),
  });
}
