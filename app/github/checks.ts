// Check runs: create, update, list by name on a commit.
import { ANNOTATIONS_PER_REQUEST, decodeExternalId, encodeExternalId, type CheckName, type ExternalId } from '../../core/domain/checks.ts';
import type { Octokit, RepoRef } from './types.ts';

export interface CheckRunInfo {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  htmlUrl: string | null;
  detailsUrl: string | null;
  externalId: ExternalId | null;
  outputText: string | null;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

/**
 * Put into the summary of every check the App itself concludes, so that the `check_run.completed`
 * event this causes is recognised as the App's own (and never read as a validation verdict).
 */
export const APP_CONCLUSION_MARK = '<!-- concluded-by: factory-app -->';

function marked(output: CheckOutput | undefined, conclusion: Conclusion | undefined): CheckOutput | undefined {
  if (!output || !conclusion) return output;
  return { ...output, summary: `${output.summary}\n\n${APP_CONCLUSION_MARK}` };
}

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'action_required' | 'neutral';

export interface CreateCheck {
  name: CheckName;
  headSha: string;
  externalId?: ExternalId;
  status?: 'queued' | 'in_progress';
  conclusion?: Conclusion;
  output?: CheckOutput;
  detailsUrl?: string;
  actions?: ReadonlyArray<{ label: string; description: string; identifier: string }>;
}

export async function createCheck(octokit: Octokit, repo: RepoRef, check: CreateCheck): Promise<CheckRunInfo> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: check.name,
    head_sha: check.headSha,
    ...(check.externalId ? { external_id: encodeExternalId(check.externalId) } : {}),
    ...(check.conclusion ? { status: 'completed' as const, conclusion: check.conclusion } : { status: check.status ?? 'queued' }),
    ...(check.output ? { output: marked(check.output, check.conclusion) } : {}),
    ...(check.detailsUrl ? { details_url: check.detailsUrl } : {}),
    ...(check.actions ? { actions: [...check.actions] } : {}),
  });
  return toInfo(data);
}

export interface UpdateCheck {
  externalId?: ExternalId;
  conclusion?: Conclusion;
  output?: CheckOutput & { annotations?: Annotation[] };
  detailsUrl?: string;
}

export async function updateCheck(octokit: Octokit, repo: RepoRef, checkRunId: number, update: UpdateCheck): Promise<void> {
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    ...(update.externalId ? { external_id: encodeExternalId(update.externalId) } : {}),
    ...(update.conclusion ? { status: 'completed' as const, conclusion: update.conclusion } : {}),
    ...(update.output ? { output: { ...update.output, ...marked(update.output, update.conclusion) } } : {}),
    ...(update.detailsUrl ? { details_url: update.detailsUrl } : {}),
  });
}

/** Creates a completed check whose annotations go out 50 per request (GitHub's limit). */
/** Without a conclusion the check is created in progress (the review job concludes it). */
export async function createCheckWithAnnotations(octokit: Octokit, repo: RepoRef, check: CreateCheck & { output: CheckOutput; conclusion?: Conclusion },
  annotations: readonly Annotation[]): Promise<CheckRunInfo> {
  const batches: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const [first = [], ...rest] = batches;
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: check.name,
    head_sha: check.headSha,
    ...(check.conclusion ? { status: 'completed' as const, conclusion: check.conclusion } : { status: 'in_progress' as const }),
    ...(check.externalId ? { external_id: encodeExternalId(check.externalId) } : {}),
    output: { ...check.output, ...(first.length > 0 ? { annotations: first } : {}) },
  });
  for (const batch of rest) {
    await octokit.rest.checks.update({ ...repo, check_run_id: data.id, output: { ...check.output, annotations: batch } });
  }
  return toInfo(data);
}

export async function getCheck(octokit: Octokit, repo: RepoRef, checkRunId: number): Promise<CheckRunInfo> {
  const { data } = await octokit.rest.checks.get({ ...repo, check_run_id: checkRunId });
  return toInfo(data);
}

export async function listChecks(octokit: Octokit, repo: RepoRef, ref: string, name: CheckName): Promise<CheckRunInfo[]> {
  const { data } = await octokit.rest.checks.listForRef({ ...repo, ref, check_name: name, filter: 'all', per_page: 100 });
  return data.check_runs.map(toInfo);
}

/** Every check run on a commit (all apps), for status replies. */
export async function listAllChecks(octokit: Octokit, repo: RepoRef, ref: string): Promise<CheckRunInfo[]> {
  const { data } = await octokit.rest.checks.listForRef({ ...repo, ref, filter: 'latest', per_page: 100 });
  return data.check_runs.map(toInfo);
}

interface CheckRunData {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  details_url?: string | null;
  external_id: string | null;
  output?: { text?: string | null } | null;
}

function toInfo(data: CheckRunData): CheckRunInfo {
  return {
    id: data.id,
    name: data.name,
    headSha: data.head_sha,
    status: data.status,
    conclusion: data.conclusion,
    htmlUrl: data.html_url,
    detailsUrl: data.details_url ?? null,
    externalId: decodeExternalId(data.external_id),
    outputText: data.output?.text ?? null,
  };
}
