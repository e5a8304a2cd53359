// What every interactive-shift command gets and returns (action/shift.ts routes to them).
import type { Octokit } from './github-client.ts';
import type { RepoRef } from './github.ts';
import type { ActionInputs } from './inputs.ts';

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
