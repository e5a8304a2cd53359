// The feedback loop: when the validate Action concludes `factory/satisfaction` as failure, another
// factory round with leak-safe feedback, while `factory.budget` (rounds, dollars, minutes) allows.
import type { Context } from 'probot';
import { CHECK_NAMES, decodeExternalId, type ExternalId } from '../../core/domain/checks.ts';
import { extractFeedback } from '../../core/domain/feedback.ts';
import { startFactoryRun } from '../act/start.ts';
import { formerHeads, spentBy } from '../decide/lineage.ts';
import { decideFeedback } from '../decide/rounds.ts';
import { APP_CONCLUSION_MARK, listChecks, type CheckRunInfo } from '../github/checks.ts';
import { comment } from '../github/comments.ts';
import { loadConfig } from '../github/config.ts';
import { getPull, pullCommits } from '../github/pulls.ts';
import type { Octokit, RepoRef } from '../github/types.ts';
import { specShaOf } from './commands/context-lookups.ts';

export async function onCheckCompleted(context: Context<'check_run.completed'>): Promise<void> {
  const { payload, octokit } = context;
  const check = payload.check_run;
  if (check.name !== CHECK_NAMES.satisfaction || check.conclusion !== 'failure') return;
  // The App's own conclusions (dispatch refused, run died, cancelled) are not validation verdicts.
  if (check.output.summary?.includes(APP_CONCLUSION_MARK)) return;
  const externalId = decodeExternalId(check.external_id);
  if (externalId?.pr === undefined) return;
  await feedbackRound(octokit, context.repo(), payload.repository.default_branch, check.head_sha, check.output.text ?? null,
    externalId as ExternalId & { pr: number });
}

/** The `factory` checks on the given commits, one listing per commit, all at once. */
async function factoryChecksOn(octokit: Octokit, repo: RepoRef, shas: readonly string[]): Promise<CheckRunInfo[]> {
  const lists = await Promise.all(shas.map((sha) => listChecks(octokit, repo, sha, CHECK_NAMES.factory)));
  return lists.flat();
}

async function feedbackRound(octokit: Octokit, repo: RepoRef, ref: string, headSha: string, outputText: string | null,
  externalId: ExternalId & { pr: number }): Promise<void> {
  const { pr, round } = externalId;
  const request = `feedback:${pr}:${round}`;
  // Independent reads at once: the config, this head's `factory` checks (was this round dispatched
  // already?), the spec commit, the PR's commits (earlier rounds' checks sit on earlier heads) and its state.
  const [loaded, headChecks, specSha, commits, pull] = await Promise.all([
    loadConfig(octokit, repo, ref),
    listChecks(octokit, repo, headSha, CHECK_NAMES.factory),
    specShaOf(octokit, repo, headSha),
    pullCommits(octokit, repo, pr),
    getPull(octokit, repo, pr),
  ]);
  if (!loaded.ok) return;
  // A PR people closed (or merged) while validation ran: the factory stops with it.
  if (pull.state !== 'open') return;
  if (headChecks.some((check) => check.externalId?.request === request)) return;
  const earlier = new Set([...(specSha === null ? [] : [specSha]), ...formerHeads(commits)]);
  earlier.delete(headSha);
  const lineage = [...headChecks, ...await factoryChecksOn(octokit, repo, [...earlier])];
  const decision = decideFeedback(round, loaded.config.factory.budget, spentBy(lineage, pr));
  if (decision.kind === 'stop') {
    await comment(octokit, repo, pr, decision.message);
    return;
  }
  if (specSha === null) return;
  // Only a block that passes the leak-safe schema is forwarded; anything else gives no feedback.
  const feedback = loaded.config.feedback.level === 'none' ? null : extractFeedback(outputText);
  await startFactoryRun(octokit, repo, {
    checkSha: headSha, specSha, ref, reason: 'feedback', request, round: decision.round, pr,
    ...(feedback ? { feedback: JSON.stringify(feedback) } : {}),
  });
}
