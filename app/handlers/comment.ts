// `/factory` commands on issues and pull requests (contracts.md §6, security.md "who may start what").
import type { Context } from 'probot';
import { helpText, parseCommand, type CommandPlace, type ParsedCommand } from '../../core/domain/commands.ts';
import { decideCommand, shouldIgnore } from '../decide/command.ts';
import { classifyPull } from '../decide/pull-request.ts';
import { comment, react } from '../github/comments.ts';
import { loadConfig } from '../github/config.ts';
import { canWrite } from '../github/permission.ts';
import { getPull, type PullInfo } from '../github/pulls.ts';
import { errorMessage } from '../github/types.ts';
import type { CommandOutcome, CommandScene } from './commands/scene.ts';
import { runCommand } from './commands/run-command.ts';

type CommentContext = Context<'issue_comment.created'>;

export async function onComment(context: CommentContext): Promise<void> {
  const { payload, octokit } = context;
  const parse = parseCommand(payload.comment.body);
  if (parse.kind === 'none') return;
  const repo = context.repo();
  const sender = payload.comment.user ?? payload.sender;
  const senderIsBot = sender.type === 'Bot';
  const loaded = await loadConfig(octokit, repo, payload.repository.default_branch);
  const config = loaded.ok ? loaded.config : null;
  if (shouldIgnore({ parse, senderLogin: sender.login, senderIsBot }, config)) return;

  const commentId = payload.comment.id;
  const issueNumber = payload.issue.number;
  await react(octokit, repo, commentId, 'eyes');
  const isWriter = await canWrite(octokit, repo, sender.login);
  let pull: PullInfo | null = null;
  let place: CommandPlace | 'fork' = 'issue';
  if (isWriter && parse.kind === 'command' && payload.issue.pull_request) {
    pull = await getPull(octokit, repo, issueNumber);
    const kind = classifyPull(pull, config?.factory.branch_prefix ?? 'factory/');
    place = kind === 'fork' ? 'fork' : kind === 'factory' ? 'factory-pr' : 'spec-pr';
  }
  const decision = decideCommand(parse, place, isWriter, config);
  let outcome: CommandOutcome;
  if (decision.kind === 'refuse') {
    outcome = { ok: false, reply: decision.reason };
  } else {
    const scene: CommandScene = { octokit, repo, defaultBranch: payload.repository.default_branch, config, issueNumber, commentId, pull, place };
    outcome = await execute(scene, decision.command, context);
  }
  if (outcome.duplicate) {
    context.log.info({ commentId }, 'command already acted on');
    return;
  }
  await react(octokit, repo, commentId, outcome.ok ? 'rocket' : 'confused');
  await comment(octokit, repo, issueNumber, `@${sender.login} ${outcome.reply}`);
}

async function execute(scene: CommandScene, command: ParsedCommand, context: CommentContext): Promise<CommandOutcome> {
  if (command.name === 'help') return { ok: true, reply: `the factory accepts:\n\n${helpText()}` };
  try {
    return await runCommand(scene, command);
  } catch (error) {
    context.log.error({ err: error }, 'command failed');
    return { ok: false, reply: `\`/factory ${command.name}\` failed: GitHub answered ${errorMessage(error)}` };
  }
}
