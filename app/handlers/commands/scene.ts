// What a `/factory` command acts on and what it answers; shared by the comment handler and the commands.
import type { CommandPlace } from '../../../core/domain/commands.ts';
import type { FactoryConfig } from '../../../core/domain/config.ts';
import type { PullInfo } from '../../github/pulls.ts';
import type { Octokit, RepoRef } from '../../github/types.ts';

export interface CommandScene {
  octokit: Octokit;
  repo: RepoRef;
  defaultBranch: string;
  config: FactoryConfig | null;
  issueNumber: number;
  commentId: number;
  pull: PullInfo | null;
  place: CommandPlace | 'fork';
}

/** What a command did: a reply, and whether it counts as started (🚀) or refused (😕). */
export interface CommandOutcome {
  ok: boolean;
  reply: string;
  /** This comment already started its run (another delivery of it): say and do nothing more. */
  duplicate?: boolean;
}
