// Steering from GitHub for the running factory: the App's acknowledgments of `/factory steer` on
// the run's PR or issue, polled (at most every 30 s) at the agent's tool-round boundaries. Only
// comments the App itself made count: `performed_via_github_app` must be the App that owns this
// run's `factory` check, so a copied marker in anyone else's comment is ignored.
import type { Octokit } from './github-client.ts';
import { ThrottledSteering, type SteeringSource } from '../core/agent/loop/steering.ts';
import { parseSteeringMarker } from '../core/domain/steering.ts';
import type { RepoRef } from './github.ts';

/** GitHub is asked for new steering comments at most this often. */
export const STEER_POLL_INTERVAL_MS = 30_000;

export interface GitHubSteeringOptions {
  octokit: Octokit;
  repo: RepoRef;
  /** The PR and/or issue of the run: where `/factory steer` is commented. */
  issues: number[];
  /** The App whose comments carry accepted steering (the owner of the run's check). */
  appId: number;
  /** Comments before this time (ISO 8601) belong to earlier runs. */
  since: string;
  log: (line: string) => void;
}

export class GitHubSteering implements SteeringSource {
  readonly #options: GitHubSteeringOptions;
  readonly #seen = new Set<number>();

  constructor(options: GitHubSteeringOptions) {
    this.#options = options;
  }

  async take(): Promise<string[]> {
    const { octokit, repo, issues, appId, since, log } = this.#options;
    const messages: string[] = [];
    for (const issue of issues) {
      let comments;
      try {
        comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issue, since, per_page: 100 });
      } catch (error) {
        // Steering is best effort: a failed poll must never fail the run.
        log(`warning: could not read steering comments on #${issue}: ${(error as Error).message}`);
        continue;
      }
      for (const comment of comments) {
        if (comment.performed_via_github_app?.id !== appId) continue;
        const payload = parseSteeringMarker(comment.body ?? '');
        if (!payload || this.#seen.has(payload.comment)) continue;
        this.#seen.add(payload.comment);
        messages.push(payload.text);
      }
    }
    if (messages.length > 0) log(`steering: ${messages.length} message(s) received`);
    return messages;
  }
}

/**
 * The run's steering source, or undefined when there is nothing to poll (no check, so no App to
 * trust; or neither a PR nor an issue). The check is read at the first poll, not before the run.
 */
export function gitHubSteering(options: Omit<GitHubSteeringOptions, 'appId' | 'since'> & { checkRunId?: number; now: () => number }): SteeringSource | undefined {
  const { octokit, repo, checkRunId, issues, log } = options;
  if (checkRunId === undefined || issues.length === 0) return undefined;
  let source: Promise<SteeringSource | undefined> | undefined;
  const resolve = async (): Promise<SteeringSource | undefined> => {
    let check;
    try {
      check = (await octokit.rest.checks.get({ ...repo, check_run_id: checkRunId })).data;
    } catch (error) {
      log(`warning: steering from GitHub is off: cannot read check run ${checkRunId}: ${(error as Error).message}`);
      return undefined;
    }
    if (!check.app) {
      log(`steering from GitHub is off: check run ${checkRunId} names no App`);
      return undefined;
    }
    const since = check.started_at ?? new Date(options.now()).toISOString();
    return new GitHubSteering({ octokit, repo, issues, appId: check.app.id, since, log });
  };
  return new ThrottledSteering({
    take: async () => {
      source ??= resolve();
      return (await source)?.take() ?? [];
    },
  }, STEER_POLL_INTERVAL_MS, options.now);
}
