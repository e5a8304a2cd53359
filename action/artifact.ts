// The run directory as a workflow artifact: its name (the post step uploads it as
// `factory-run-<run id>-<attempt>`), and a previous workflow run's copy restored for a resume.
// The download and unpacking are @actions/artifact's (loaded only when a resume needs it, so the
// main step starts fast): for another workflow run it asks the REST API for the artifact
// (`GET /repos/{owner}/{repo}/actions/artifacts/{id}/zip`, with the job's token), follows the
// redirect to the signed blob URL, and unpacks the zip as it streams, checking the sha256 digest
// GitHub lists. Size caps keep a huge or bomb-like artifact from filling the runner's disk.
import { mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ActionError } from './errors.ts';
import type { Octokit } from './github-client.ts';
import type { RepoRef } from './github.ts';

export const RUN_ARTIFACT_PREFIX = 'factory-run-';

/** A run directory's zip (checkpoints, events, prompts, responses) is megabytes; this is generous. */
export const MAX_RUN_ARTIFACT_BYTES = 256 * 1024 * 1024;
/** What the unpacked run directory may hold (zip bombs are refused once unpacked past this). */
export const MAX_RUN_DIRECTORY_BYTES = 1024 * 1024 * 1024;

/** One name per job attempt: artifacts of a workflow run must have distinct names. */
export function runArtifactName(runId: string, attempt: string | undefined): string {
  return `${RUN_ARTIFACT_PREFIX}${runId}-${attempt || '1'}`;
}

export interface ArtifactInfo {
  id: number;
  name: string;
  expired: boolean;
  created_at?: string | null;
  size_in_bytes?: number;
  /** `sha256:<hex>` of the zip, when GitHub lists one. */
  digest?: string | null;
}

/** The newest unexpired run-directory artifact. Pure. */
export function pickRunArtifact(artifacts: readonly ArtifactInfo[]): ArtifactInfo | undefined {
  return artifacts
    .filter((artifact) => artifact.name.startsWith(RUN_ARTIFACT_PREFIX) && !artifact.expired)
    .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))[0];
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Bytes of the files under `dir`, stopping once past `limit`. */
function sizeUnder(dir: string, limit: number): number {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0 && total <= limit) {
    const current = pending.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) total += statSync(path).size;
    }
  }
  return total;
}

export interface RestoreOptions {
  octokit: Octokit;
  repo: RepoRef;
  /** The workflow run whose artifact is restored (`resume-run-id`). */
  runId: number;
  /** A token that can read that run's artifacts (actions: read): the job's `github-token`. */
  token: string;
  /** Created with the artifact's files; must not exist yet. */
  into: string;
  maxArtifactBytes?: number;
  maxDirectoryBytes?: number;
}

/** Downloads and unpacks workflow run `runId`'s run-directory artifact into `into`; returns the artifact's name. */
export async function restoreRunArtifact(options: RestoreOptions): Promise<string> {
  const { octokit, repo, runId } = options;
  const where = `input \`resume-run-id\`: workflow run ${runId}`;
  const maxArtifact = options.maxArtifactBytes ?? MAX_RUN_ARTIFACT_BYTES;
  const maxDirectory = options.maxDirectoryBytes ?? MAX_RUN_DIRECTORY_BYTES;
  const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: runId, per_page: 100 });
  const artifact = pickRunArtifact(data.artifacts);
  if (!artifact) throw new ActionError('input', `${where} has no unexpired ${RUN_ARTIFACT_PREFIX}* artifact to resume from`);
  const named = `${where}: artifact ${artifact.name} (id ${artifact.id})`;
  if ((artifact.size_in_bytes ?? 0) > maxArtifact) {
    throw new ActionError('artifact_too_large', `${named} is ${megabytes(artifact.size_in_bytes!)}, over the ${megabytes(maxArtifact)} a run directory may be; not downloading it`);
  }

  const staging = mkdtempSync(join(dirname(options.into), '.factory-restore-'));
  try {
    const { DefaultArtifactClient } = await import('@actions/artifact');
    let digestMismatch: boolean | undefined;
    try {
      ({ digestMismatch } = await new DefaultArtifactClient().downloadArtifact(artifact.id, {
        path: staging,
        findBy: { token: options.token, workflowRunId: runId, repositoryOwner: repo.owner, repositoryName: repo.repo },
        ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
      }));
    } catch (error) {
      if ((error as Error).name === 'GHESNotSupportedError') throw new ActionError('input', `${where}: restoring a run artifact needs github.com or GHE.com; @actions/artifact does not support GitHub Enterprise Server`);
      throw new ActionError('artifact_corrupt', `${named}: could not be downloaded and unpacked: ${(error as Error).message}`);
    }
    if (digestMismatch) throw new ActionError('artifact_corrupt', `${named}: the downloaded zip does not match the digest GitHub lists (${artifact.digest}); not resuming from it`);
    const unpacked = sizeUnder(staging, maxDirectory);
    if (unpacked > maxDirectory) throw new ActionError('artifact_too_large', `${named} unpacks to more than ${megabytes(maxDirectory)}, over what a run directory may hold; not resuming from it`);
    rmSync(options.into, { recursive: true, force: true });
    renameSync(staging, options.into);
    return artifact.name;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
