// The two things the App starts: a factory run and a validation round. Each is a check created
// first (so something visible exists at once), a dispatch, and the check linked to the run. A
// caller's own follow-up work can ride alongside, so its round trips overlap these.
import { CHECK_ACTIONS, CHECK_NAMES, type ExternalId } from '../../core/domain/checks.ts';
import { FACTORY_WORKFLOW, VALIDATE_WORKFLOW, factoryInputs, validateInputs, type DispatchReason } from '../../core/domain/dispatch.ts';
import { createCheck, updateCheck, type CheckRunInfo } from '../github/checks.ts';
import { dispatchWorkflow, type DispatchedRun } from '../github/dispatch.ts';
import { errorMessage, type Octokit, type RepoRef } from '../github/types.ts';
import { settleAll } from './settle-all.ts';

export interface Started {
  check: CheckRunInfo;
  run: DispatchedRun | null;
  error?: string;
}

/** Work that needs what a start produced, done alongside the start's own next step. */
export interface Alongside {
  /** Needs the new check but not the run: done while the workflow is dispatched. */
  withCheck?: (check: CheckRunInfo) => Promise<void>;
  /** Needs the dispatched run (never called when the dispatch failed): done while the check is linked to it. */
  withRun?: (run: DispatchedRun) => Promise<void>;
}

export interface FactoryRunRequest {
  /** The commit that carries the `factory` check (the spec commit or the factory PR head). */
  checkSha: string;
  specSha: string;
  /** The branch the workflow is dispatched on: always the default branch. */
  ref: string;
  reason: DispatchReason;
  request: string;
  round: number;
  pr?: number;
  /** The issue a `/factory run` came from: the run asks a parked gate's question there when it has no PR. */
  issue?: number;
  resumeRunId?: number;
  feedback?: string;
  model?: string;
  answer?: string;
  /** A writer's budget for this run (`/factory rerun --max-usd N`). */
  maxUsd?: string;
}

async function linkOrFail(octokit: Octokit, repo: RepoRef, check: CheckRunInfo, externalId: ExternalId, title: string,
  dispatch: () => Promise<DispatchedRun>, withRun?: Alongside['withRun']): Promise<Started> {
  let run: DispatchedRun;
  try {
    run = await dispatch();
  } catch (error) {
    const message = errorMessage(error);
    await updateCheck(octokit, repo, check.id, {
      conclusion: 'failure',
      output: { title: 'Could not start the workflow', summary: `GitHub refused the dispatch: ${message}` },
    });
    return { check, run: null, error: message };
  }
  const link = run.htmlUrl ? `[workflow run](${run.htmlUrl})` : 'a workflow run (GitHub did not return its link)';
  await settleAll([
    updateCheck(octokit, repo, check.id, {
      externalId: run.runId ? { ...externalId, run: run.runId } : externalId,
      ...(run.htmlUrl ? { detailsUrl: run.htmlUrl } : {}),
      output: { title, summary: `Started ${link}.` },
    }),
    withRun?.(run),
  ]);
  return { check, run };
}

export async function startFactoryRun(octokit: Octokit, repo: RepoRef, request: FactoryRunRequest, alongside: Alongside = {}): Promise<Started> {
  const externalId: ExternalId = {
    round: request.round, request: request.request, ...(request.pr ? { pr: request.pr } : {}), ...(request.issue ? { issue: request.issue } : {}),
  };
  const check = await createCheck(octokit, repo, {
    name: CHECK_NAMES.factory,
    headSha: request.checkSha,
    externalId,
    output: { title: 'Factory run queued', summary: `Dispatching \`${FACTORY_WORKFLOW}\` (${request.reason}) for spec commit ${request.specSha}.` },
    actions: [CHECK_ACTIONS.rerun, CHECK_ACTIONS.resume],
  });
  const inputs = factoryInputs({
    spec_sha: request.specSha,
    reason: request.reason,
    request_id: request.request,
    check_run_id: String(check.id),
    round: String(request.round),
    pr_number: request.pr ? String(request.pr) : undefined,
    issue_number: request.issue ? String(request.issue) : undefined,
    resume_run_id: request.resumeRunId ? String(request.resumeRunId) : undefined,
    feedback: request.feedback,
    model: request.model,
    answer: request.answer,
    max_usd: request.maxUsd,
  });
  const started = linkOrFail(octokit, repo, check, externalId, 'Factory run started',
    () => dispatchWorkflow(octokit, repo, FACTORY_WORKFLOW, request.ref, inputs), alongside.withRun);
  await settleAll([started, alongside.withCheck?.(check)]);
  return started;
}

export interface ValidationRequest {
  pr: number;
  headSha: string;
  ref: string;
  request: string;
  round: number;
  trials?: string;
  model?: string;
}

export async function startValidation(octokit: Octokit, repo: RepoRef, request: ValidationRequest): Promise<Started> {
  const externalId: ExternalId = { pr: request.pr, round: request.round, request: request.request };
  const check = await createCheck(octokit, repo, {
    name: CHECK_NAMES.satisfaction,
    headSha: request.headSha,
    externalId,
    output: { title: 'Validation queued', summary: `Holdout validation round ${request.round} is queued for this commit.` },
    actions: [CHECK_ACTIONS.revalidate, CHECK_ACTIONS.rerun],
  });
  const inputs = validateInputs({
    pr_number: String(request.pr),
    head_sha: request.headSha,
    check_run_id: String(check.id),
    request_id: request.request,
    round: String(request.round),
    trials: request.trials,
    model: request.model,
  });
  return linkOrFail(octokit, repo, check, externalId, 'Validation started',
    () => dispatchWorkflow(octokit, repo, VALIDATE_WORKFLOW, request.ref, inputs));
}
