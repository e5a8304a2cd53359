// Uploads the run directory (checkpoint, events, prompts, responses) as the job's run artifact,
// through the Actions results service the runner's own upload-artifact uses. Only the post step
// imports this, so @actions/artifact stays out of the main step's bundle.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';

/** Long enough to answer a parked gate or resume after a holiday; the repository's limit caps it. */
export const RUN_ARTIFACT_RETENTION_DAYS = 30;

/** Every file under `dir`, as absolute paths (the upload keeps their layout relative to `dir`). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/** What the runner must provide for an upload; null when it does, else why not. */
export function uploadUnavailable(env: NodeJS.ProcessEnv): string | null {
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((name) => !env[name]);
  return missing.length === 0 ? null : `${missing.join(' and ')} not set (the runner sets them for a JavaScript action step)`;
}

export async function uploadRunDirectory(name: string, runDir: string): Promise<{ id: number; size: number }> {
  const client = new DefaultArtifactClient();
  const { id, size } = await client.uploadArtifact(name, filesUnder(runDir), runDir, { retentionDays: RUN_ARTIFACT_RETENTION_DAYS });
  return { id: id ?? 0, size: size ?? 0 };
}
