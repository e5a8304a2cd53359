// The environment the engine's tool stages inherit (they run with the Action's process
// environment): the check command set, credentials and the Action's own inputs removed.
import { isSecretVariable } from '../core/agent/env/scrub-env.ts';

export const CHECK_COMMAND_VARIABLE = 'FACTORY_CHECK_COMMAND';

/** True for what no tool stage may see: tokens, keys, runtime credentials, and `INPUT_*` (e.g. `INPUT_GITHUB-TOKEN`). */
export function isHiddenFromTools(name: string): boolean {
  return isSecretVariable(name) || /^INPUT_/i.test(name);
}

/** Mutates `env` in place (the process environment the engine hands to tool stages). */
export function prepareToolEnvironment(env: NodeJS.ProcessEnv, checkCommand: string | undefined): void {
  for (const name of Object.keys(env)) if (isHiddenFromTools(name)) delete env[name];
  if (checkCommand === undefined) delete env[CHECK_COMMAND_VARIABLE];
  else env[CHECK_COMMAND_VARIABLE] = checkCommand;
}
