// The one Octokit type the App's GitHub modules take: the installation client Probot hands a handler.
import type { Context } from 'probot';

export type Octokit = Context['octokit'];

export interface RepoRef {
  owner: string;
  repo: string;
}

/** HTTP status of an Octokit RequestError, or undefined for anything else. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
