// The interactive shift's two dispatches: the readiness review of a spec PR (its `factory/spec`
// check, created in progress by the caller, is concluded by the review job) and the scenario
// drafts (dispatched to the holdouts-side workflow; the product repository gets a link only).
import { REVIEW_WORKFLOW, SCENARIOS_WORKFLOW, reviewInputs, scenariosInputs } from '../../core/domain/dispatch.ts';
import { updateCheck, type CheckRunInfo } from '../github/checks.ts';
import { dispatchWorkflow, type DispatchedRun } from '../github/dispatch.ts';
import { errorMessage, type Octokit, type RepoRef } from '../github/types.ts';

export interface ReviewRequest {
  ref: string;
  pr: number;
  headSha: string;
  baseSha: string;
  request: string;
}

/** Dispatches `review.yml` for the check; a refused dispatch concludes the check as failed, saying why. */
export async function startReview(octokit: Octokit, repo: RepoRef, check: CheckRunInfo, request: ReviewRequest, summary: string): Promise<DispatchedRun | null> {
  let run: DispatchedRun;
  try {
    run = await dispatchWorkflow(octokit, repo, REVIEW_WORKFLOW, request.ref, reviewInputs({
      pr_number: String(request.pr), head_sha: request.headSha, base_sha: request.baseSha, check_run_id: String(check.id), request_id: request.request,
    }));
  } catch (error) {
    await updateCheck(octokit, repo, check.id, {
      conclusion: 'failure',
      output: { title: 'Could not start the spec review', summary: `${summary}\n\nGitHub refused the dispatch of \`${REVIEW_WORKFLOW}\`: ${errorMessage(error)}` },
    });
    return null;
  }
  if (run.htmlUrl) await updateCheck(octokit, repo, check.id, { detailsUrl: run.htmlUrl });
  return run;
}

export interface ScenariosRequest {
  ref: string;
  pr: number;
  headSha: string;
  baseSha: string;
  request: string;
}

export async function startScenarioDrafts(octokit: Octokit, repo: RepoRef, request: ScenariosRequest): Promise<DispatchedRun> {
  return dispatchWorkflow(octokit, repo, SCENARIOS_WORKFLOW, request.ref, scenariosInputs({
    pr_number: String(request.pr), head_sha: request.headSha, base_sha: request.baseSha, request_id: request.request,
  }));
}
