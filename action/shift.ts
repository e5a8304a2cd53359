// The interactive shift's Action commands, behind one entry so main.ts only routes: `review` (spec
// and config only, the product side), `scenarios` and `drift` (holdouts side, the scenarios token).
import type { Octokit } from '@octokit/rest';
import type { RepoRef } from './github.ts';
import type { ActionCommand, ActionInputs } from './inputs.ts';
import { driftCommand } from './drift.ts';
import { reviewCommand } from './review.ts';

export const SHIFT_COMMANDS = ['review', 'drift'] as const satisfies readonly ActionCommand[];
export type ShiftCommand = (typeof SHIFT_COMMANDS)[number];

export function isShiftCommand(command: ActionCommand): command is ShiftCommand {
  return (SHIFT_COMMANDS as readonly string[]).includes(command);
}

export interface ShiftDependencies {
  inputs: ActionInputs;
  env: Readonly<Record<string, string | undefined>>;
  /** The product repository, with `github-token`. */
  octokit: Octokit;
  /** The holdouts repository, with `scenarios-token` (scenarios, drift). */
  scenariosOctokit: Octokit;
  repo: RepoRef;
  workspace: string;
  tempRoot: string;
  log: (line: string) => void;
}

export interface ShiftOutputs {
  status: 'success' | 'fail';
  reason?: string;
  /** The job summary (never scenario text). */
  summary: string;
}

export async function shiftCommand(command: ShiftCommand, deps: ShiftDependencies): Promise<ShiftOutputs> {
  switch (command) {
    case 'review':
      return reviewCommand(deps);
    case 'drift':
      return driftCommand(deps);
  }
}
