// The `drift` command (interactive shift): replays the holdouts' `production_safe` scenarios against
// the deployment (`drift.target_url`, or the `target-url` input) — nothing is built or started — and
// keeps exactly one open `factory/drift` issue on the product repository while the replay fails:
// opened on the first failure, updated on the next, closed by a pass. The issue, the step log and
// the job summary carry the leak-safe summary only (categories, feedback tags), never scenario text.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveProvider, type ResolvedProvider } from '../core/agent/llm/resolve.ts';
import { decideDriftIssue, DRIFT_ISSUE_TITLE, DRIFT_LABEL, driftFailure } from '../core/domain/drift.ts';
import { evaluate, formatSummary, type Evaluation } from '../core/validation/report.ts';
import { runValidation } from '../core/validation/run.ts';
import { loadScenarioDirectory } from '../core/validation/scenarios.ts';
import { createTargetHarness, productionSafeOnly } from '../core/validation/target.ts';
import { defaultBranchRef, loadConfig } from './config-source.ts';
import { ActionError } from './errors.ts';
import { createGit } from './git.ts';
import { defaultBranchOf, type RepoRef } from './github.ts';
import { fetchScenarios, parseRepo, scenariosTokenCanWrite } from './scenarios-fetch.ts';
import type { ShiftDependencies, ShiftOutputs } from './shift-types.ts';

/** The issue body: built from the leak-safe summary only. */
export function driftIssueBody(evaluation: Evaluation, target: string, reason: string, runUrl: string | undefined): string {
  const safe = evaluation.leakSafe;
  const tags = Object.entries(safe.feedback?.tags ?? {}).map(([tag, count]) => `\`${tag}\` ×${count}`);
  return [
    `The latest drift replay of the \`production_safe\` holdout scenarios against ${target} failed: ${reason}.`,
    '', '```', ...formatSummary(safe), '```',
    ...(tags.length ? ['', `Failing feedback tags: ${tags.join(', ')}`] : []),
    '', `${runUrl ? `[Replay run](${runUrl}). ` : ''}The details stay on the holdouts side. \`/factory run\` on this issue starts the factory on the current spec; a passing replay closes this issue.`,
  ].join('\n');
}

async function openDriftIssues(deps: ShiftDependencies): Promise<Array<{ number: number }>> {
  const { data } = await deps.octokit.rest.issues.listForRepo({ ...deps.repo, state: 'open', labels: DRIFT_LABEL, per_page: 100 });
  return data.filter((issue) => !issue.pull_request).map((issue) => ({ number: issue.number }));
}

export async function driftCommand(deps: ShiftDependencies): Promise<ShiftOutputs> {
  const { inputs } = deps;
  if (!inputs.scenariosToken) throw new ActionError('input', 'input `scenarios-token`: required for `drift` (a token that reads the holdouts repository and cannot write to this one)');
  const git = createGit(deps.workspace);
  const config = loadConfig(git, defaultBranchRef(git, await defaultBranchOf(deps.octokit, deps.repo)), inputs.configPath);
  const target = inputs.targetUrl ?? config.drift.target_url;
  if (!target) throw new ActionError('config', `${inputs.configPath}: \`drift.target_url\` names no deployment (or pass the \`target-url\` input)`);
  const repoName = inputs.scenariosRepo ?? config.validation.scenarios_repo;
  if (!repoName) throw new ActionError('input', `input \`scenarios-repo\`: required when ${inputs.configPath} sets no \`validation.scenarios_repo\``);
  const holdouts: RepoRef = parseRepo(repoName);
  if (await scenariosTokenCanWrite(deps.scenariosOctokit, deps.repo)) {
    throw new ActionError('input', `refusing the drift replay: the scenarios token can write to ${deps.repo.owner}/${deps.repo.repo}; scope it to the holdouts repository only`);
  }
  const model = inputs.models ?? config.validation.model;
  if (!model) throw new ActionError('model', `no validation model: pass the \`models\` input or set \`validation.model\` in ${inputs.configPath}`);
  let resolved: ResolvedProvider;
  try {
    resolved = resolveProvider(model, deps.env);
  } catch (error) {
    throw new ActionError('model', `validation model: ${(error as Error).message}`);
  }
  const providerFor = model.startsWith('scripted:') ? () => resolveProvider(model, deps.env) : () => resolved;

  const dir = mkdtempSync(join(deps.tempRoot, 'factory-drift-'));
  let evaluation: Evaluation;
  try {
    await fetchScenarios(deps.scenariosOctokit, { ...holdouts, path: config.validation.scenarios_path, ...(inputs.scenariosRef ? { ref: inputs.scenariosRef } : {}) }, dir);
    const set = productionSafeOnly(loadScenarioDirectory(dir));
    deps.log(`replaying ${set.scenarios.length} production-safe scenario(s) against the deployment`);
    const harness = createTargetHarness(target);
    const result = await runValidation({ set, harness, providerFor, trials: inputs.trials ?? config.validation.trials, concurrency: config.validation.concurrency });
    evaluation = evaluate(result, {
      thresholds: config.validation.thresholds, confidence: config.validation.confidence,
      feedback: { level: config.feedback.level === 'none' ? 'none' : 'tags', tags: config.feedback.tags, round: 1, specPointers: [] },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const safe = evaluation.leakSafe;
  const reason = driftFailure({ decision: safe.decision, lower: safe.overall.lower, trials: safe.overall.trials, threshold: config.drift.threshold });
  const runUrl = deps.env.GITHUB_RUN_ID ? `${deps.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${deps.repo.owner}/${deps.repo.repo}/actions/runs/${deps.env.GITHUB_RUN_ID}` : undefined;
  const action = decideDriftIssue(await openDriftIssues(deps), reason !== null);
  let issueLine = '';
  switch (action.kind) {
    case 'open': {
      const { data } = await deps.octokit.rest.issues.create({ ...deps.repo, title: DRIFT_ISSUE_TITLE, labels: [DRIFT_LABEL], body: driftIssueBody(evaluation, target, reason!, runUrl) });
      issueLine = `opened drift issue #${data.number}`;
      break;
    }
    case 'update':
      await deps.octokit.rest.issues.update({ ...deps.repo, issue_number: action.number, body: driftIssueBody(evaluation, target, reason!, runUrl) });
      for (const duplicate of action.close) await deps.octokit.rest.issues.update({ ...deps.repo, issue_number: duplicate, state: 'closed', state_reason: 'not_planned' });
      issueLine = `updated drift issue #${action.number}`;
      break;
    case 'close':
      for (const number of action.numbers) {
        await deps.octokit.rest.issues.createComment({ ...deps.repo, issue_number: number, body: `A drift replay against ${target} passed${runUrl ? ` ([run](${runUrl}))` : ''}: closing.` });
        await deps.octokit.rest.issues.update({ ...deps.repo, issue_number: number, state: 'closed', state_reason: 'completed' });
      }
      issueLine = `closed drift issue(s) ${action.numbers.map((number) => `#${number}`).join(', ')}`;
      break;
    case 'none':
      break;
  }
  if (issueLine) deps.log(issueLine);
  const summary = [`## ${DRIFT_LABEL}: ${reason === null ? 'no drift' : `drift: ${reason}`}`, '', '```', ...formatSummary(safe), '```', ...(issueLine ? ['', issueLine] : [])].join('\n');
  return reason === null ? { status: 'success', summary } : { status: 'fail', reason: `drift: ${reason}`, summary };
}
