// Nothing left hanging: when a factory or validate workflow run completes, any `factory` or
// `factory/satisfaction` check of that run still open is concluded with the reason and a link.
import type { Context } from 'probot';
import { CHECK_NAMES } from '../../core/domain/checks.ts';
import { FACTORY_WORKFLOW, VALIDATE_WORKFLOW } from '../../core/domain/dispatch.ts';
import { isFactoryWorkflow, openChecksOfRun, sweepConclusion } from '../decide/sweep.ts';
import { listChecks, updateCheck, type CheckRunInfo } from '../github/checks.ts';
import { loadConfig } from '../github/config.ts';
import { openPullHeads } from '../github/pulls.ts';

export async function onWorkflowRunCompleted(context: Context<'workflow_run.completed'>): Promise<void> {
  const { payload, octokit } = context;
  const run = payload.workflow_run;
  if (!isFactoryWorkflow(run.path, [FACTORY_WORKFLOW, VALIDATE_WORKFLOW])) return;
  const repo = context.repo();
  // The run's own commit, plus the heads of open factory PRs (validation checks live there while
  // the workflow itself runs on the default branch).
  const shas = new Set([run.head_sha]);
  const loaded = await loadConfig(octokit, repo, payload.repository.default_branch);
  const prefix = loaded.ok ? loaded.config.factory.branch_prefix : 'factory/';
  for (const pull of await openPullHeads(octokit, repo)) {
    if (pull.sameRepo && pull.headRef.startsWith(prefix)) shas.add(pull.headSha);
  }
  const candidates: CheckRunInfo[] = [];
  for (const sha of shas) {
    candidates.push(...await listChecks(octokit, repo, sha, CHECK_NAMES.factory), ...await listChecks(octokit, repo, sha, CHECK_NAMES.satisfaction));
  }
  const { conclusion, reason } = sweepConclusion(run.conclusion);
  for (const check of openChecksOfRun(candidates, run.id)) {
    await updateCheck(octokit, repo, check.id, {
      conclusion,
      detailsUrl: run.html_url,
      output: { title: conclusion === 'cancelled' ? 'Run cancelled' : 'Run ended without a result', summary: `Closed because ${reason}: [workflow run](${run.html_url}).` },
    });
  }
}
