// Twins for `factory run` (issue 18 §3): the twins the product's config declares are started for
// the run — from the working directory, with a scrubbed environment, without recording — and their
// variables go to the tool stages and the agents' shell, so the agents develop against the same
// twins validation uses. The config is `--config`, else `<workdir>/.github/factory.yml` when present.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { artifactEnvironment } from '../core/validation/artifact.ts';
import { startTwins, TwinError, type TwinSession } from '../core/validation/twins/session.ts';
import { readConfigFile } from './config-file.ts';
import { UsageError } from './errors.ts';

export function runConfigPath(explicit: string | undefined, workdir: string): string | undefined {
  if (explicit !== undefined) return explicit;
  const found = join(workdir, '.github', 'factory.yml');
  return existsSync(found) ? found : undefined;
}

/** undefined when no config or no twins; a twin that does not start is a usage-level failure (exit 2). */
export async function startRunTwins(configPath: string | undefined, workdir: string, env: NodeJS.ProcessEnv): Promise<TwinSession | undefined> {
  if (configPath === undefined) return undefined;
  const config = readConfigFile('run', configPath);
  if (Object.keys(config.twins).length === 0) return undefined;
  try {
    return await startTwins({ twins: config.twins, cwd: workdir, env: artifactEnvironment(env), record: false });
  } catch (error) {
    if (error instanceof TwinError) throw new UsageError(`factory run: ${error.message} (twins of ${configPath})`);
    throw error;
  }
}
