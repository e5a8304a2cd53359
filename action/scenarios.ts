// The `scenarios` command (interactive shift, holdouts side): a spec-refinement agent drafts holdout
// scenarios for a spec PR's changes and they go to the holdouts repository as a pull request with a
// coverage table. The product repository gets one comment (the count and a link for the holdouts
// repository's readers); its step log and job summary say no more than that.
import { resolveProvider } from '../core/agent/llm/resolve.ts';
import { matchesAnyPath } from '../core/domain/paths.ts';
import { coverageTable, draftScenarios } from '../core/validation/draft.ts';
import { defaultBranchRef, loadConfig } from './config-source.ts';
import { ActionError } from './errors.ts';
import { createGit } from './git.ts';
import { commentOnIssue, defaultBranchOf, upsertPullRequest } from './github.ts';
import { reviewFiles } from './review.ts';
import { commitResults, parseRepo, scenariosTokenCanWrite } from './scenarios-fetch.ts';
import type { ShiftDependencies, ShiftOutputs } from './shift-types.ts';

export function draftsBranch(pr: number): string {
  return `factory-drafts-pr-${pr}`;
}

export async function scenariosCommand(deps: ShiftDependencies): Promise<ShiftOutputs> {
  const { inputs } = deps;
  if (inputs.prNumber === undefined) throw new ActionError('input', 'input `pr-number`: required for `scenarios` (the spec pull request)');
  if (!inputs.scenariosToken) throw new ActionError('input', 'input `scenarios-token`: required for `scenarios` (a token that writes the holdouts repository and cannot write to this one)');
  const git = createGit(deps.workspace);
  const config = loadConfig(git, defaultBranchRef(git, await defaultBranchOf(deps.octokit, deps.repo)), inputs.configPath);
  const repoName = inputs.scenariosRepo ?? config.validation.scenarios_repo;
  if (!repoName) throw new ActionError('input', `input \`scenarios-repo\`: required when ${inputs.configPath} sets no \`validation.scenarios_repo\``);
  const holdouts = parseRepo(repoName);
  if (await scenariosTokenCanWrite(deps.scenariosOctokit, deps.repo)) {
    throw new ActionError('input', `refusing to draft: the scenarios token can write to ${deps.repo.owner}/${deps.repo.repo}; scope it to the holdouts repository only`);
  }
  const model = inputs.models ?? config.validation.model;
  if (!model) throw new ActionError('model', `no drafting model: pass the \`models\` input or set \`validation.model\` in ${inputs.configPath}`);
  let resolved;
  try {
    resolved = resolveProvider(model, deps.env);
  } catch (error) {
    throw new ActionError('model', `drafting model: ${(error as Error).message}`);
  }
  const head = inputs.specSha ?? git.run(['rev-parse', 'HEAD']).trim();
  const files = reviewFiles(git, head, config, inputs.configPath).filter((file) => matchesAnyPath(file.path, config.spec.paths));
  const diff = inputs.baseSha ? git.tryRun(['diff', '--no-color', `${inputs.baseSha}...${head}`, '--', ...files.map((file) => file.path)]) ?? '' : '';
  let result;
  try {
    result = await draftScenarios({ files, diff, provider: resolved.provider, model: resolved.model });
  } catch (error) {
    throw new ActionError('model', `the drafting agent: ${(error as Error).message}`);
  }
  if (result.drafts.length === 0) throw new ActionError('model', `the drafting agent produced no draft that parses with the scenario schema (${result.rejected.length} rejected)`);

  const branch = draftsBranch(inputs.prNumber);
  const dir = `${config.validation.scenarios_path.replace(/\/+$/, '')}/drafts/pr-${inputs.prNumber}`;
  for (const draft of result.drafts) {
    await commitResults(deps.scenariosOctokit, holdouts, `${dir}/${draft.file}`, draft.text, `factory: draft scenario ${draft.file} for ${deps.repo.owner}/${deps.repo.repo}#${inputs.prNumber}`, branch);
  }
  const { data: info } = await deps.scenariosOctokit.rest.repos.get({ ...holdouts });
  const body = [
    `Drafted by spec-factory from the spec of ${deps.repo.owner}/${deps.repo.repo}#${inputs.prNumber} at ${head.slice(0, 7)}: ${result.drafts.length} scenario(s) under \`${dir}/\`.`,
    'Review, edit and move them next to the other scenarios before merging; drafts are holdouts like any other.',
    ...(result.rejected.length ? ['', `${result.rejected.length} further draft(s) failed the scenario schema and were left out.`] : []),
    '', '### Coverage', '', coverageTable(result),
  ].join('\n');
  const pull = await upsertPullRequest(deps.scenariosOctokit, holdouts, { branch, base: info.default_branch, title: `Drafted scenarios for ${deps.repo.owner}/${deps.repo.repo}#${inputs.prNumber}`, body });
  await commentOnIssue(deps.octokit, deps.repo, inputs.prNumber,
    `spec-factory drafted ${result.drafts.length} holdout scenario(s) for ${head.slice(0, 7)} on the holdouts repository: ${pull.url} (readable by that repository's readers only).`);
  const line = `drafted ${result.drafts.length} scenario(s): ${pull.url}`;
  deps.log(line);
  return { status: 'success', summary: `## factory scenarios\n\n${line}\n` };
}
