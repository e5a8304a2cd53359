// workflow_dispatch with `return_run_details`, so the run can be linked from its check at once.
import type { Octokit, RepoRef } from './types.ts';

export interface DispatchedRun {
  /** Absent when GitHub answered 204 (a server without `return_run_details`). */
  runId?: number;
  htmlUrl?: string;
}

export async function dispatchWorkflow(octokit: Octokit, repo: RepoRef, workflow: string, ref: string,
  inputs: Record<string, string>): Promise<DispatchedRun> {
  const response = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    ...repo,
    workflow_id: workflow,
    ref,
    inputs,
    return_run_details: true,
  });
  const data: unknown = response.data;
  if (typeof data === 'object' && data !== null && 'workflow_run_id' in data && typeof data.workflow_run_id === 'number') {
    const htmlUrl = 'html_url' in data && typeof data.html_url === 'string' ? data.html_url : undefined;
    return { runId: data.workflow_run_id, ...(htmlUrl ? { htmlUrl } : {}) };
  }
  return {};
}

export async function cancelWorkflowRun(octokit: Octokit, repo: RepoRef, runId: number): Promise<void> {
  await octokit.rest.actions.cancelWorkflowRun({ ...repo, run_id: runId });
}

export interface WorkflowRunState {
  status: string | null;
  conclusion: string | null;
  htmlUrl: string;
}

export async function workflowRunState(octokit: Octokit, repo: RepoRef, runId: number): Promise<WorkflowRunState> {
  const { data } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
  return { status: data.status, conclusion: data.conclusion, htmlUrl: data.html_url };
}
