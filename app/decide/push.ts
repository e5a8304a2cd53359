// Spec merged? Pure decisions over a push payload.
import { matchesAnyPath } from '../../core/domain/paths.ts';

const ZERO_SHA = /^0+$/;
/** Above this many commits the payload's file lists may be incomplete; ask the compare API. */
export const PAYLOAD_COMMIT_LIMIT = 20;

export interface PushFacts {
  ref: string;
  before: string;
  after: string;
  forced: boolean;
  deleted: boolean;
  defaultBranch: string;
  commits: ReadonlyArray<{ added?: readonly string[]; modified?: readonly string[]; removed?: readonly string[] }>;
}

export function isDefaultBranchUpdate(push: PushFacts): boolean {
  return push.ref === `refs/heads/${push.defaultBranch}` && !push.deleted && !ZERO_SHA.test(push.after);
}

/** The changed paths from the payload, or null when the payload cannot tell (forced, huge, new branch). */
export function filesFromPayload(push: PushFacts): string[] | null {
  if (push.forced || ZERO_SHA.test(push.before)) return null;
  if (push.commits.length === 0 || push.commits.length >= PAYLOAD_COMMIT_LIMIT) return null;
  const files = new Set<string>();
  for (const commit of push.commits) {
    for (const path of [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])]) files.add(path);
  }
  return [...files];
}

/** Whether the compare API can answer at all (it needs a base that is not the zero sha). */
export function canCompare(push: PushFacts): boolean {
  return !ZERO_SHA.test(push.before);
}

export function touchesAny(files: readonly string[], patterns: readonly string[]): boolean {
  return files.some((file) => matchesAnyPath(file, patterns));
}
