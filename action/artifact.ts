// The run directory as a workflow artifact: its name (the post step uploads it as
// `factory-run-<run id>-<attempt>`), and a previous workflow run's copy fetched for a resume.
import { ActionError } from './errors.ts';
import type { Octokit } from './github-client.ts';
import type { RepoRef } from './github.ts';

export const RUN_ARTIFACT_PREFIX = 'factory-run-';

/** One name per job attempt: artifacts of a workflow run must have distinct names. */
export function runArtifactName(runId: string, attempt: string | undefined): string {
  return `${RUN_ARTIFACT_PREFIX}${runId}-${attempt || '1'}`;
}

interface ArtifactInfo {
  id: number;
  name: string;
  expired: boolean;
  created_at?: string | null;
}

/** The newest unexpired run-directory artifact. Pure. */
export function pickRunArtifact(artifacts: readonly ArtifactInfo[]): ArtifactInfo | undefined {
  return artifacts
    .filter((artifact) => artifact.name.startsWith(RUN_ARTIFACT_PREFIX) && !artifact.expired)
    .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))[0];
}

export async function downloadRunArtifact(octokit: Octokit, repo: RepoRef, runId: number): Promise<Buffer> {
  const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: runId, per_page: 100 });
  const artifact = pickRunArtifact(data.artifacts);
  if (!artifact) throw new ActionError('input', `input \`resume-run-id\`: workflow run ${runId} has no unexpired ${RUN_ARTIFACT_PREFIX}* artifact to resume from`);
  const response = await octokit.rest.actions.downloadArtifact({ ...repo, artifact_id: artifact.id, archive_format: 'zip' });
  return Buffer.from(response.data as ArrayBuffer);
}
