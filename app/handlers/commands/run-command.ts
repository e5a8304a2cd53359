// Carries out an accepted `/factory` command. Each returns the reply; GitHub errors propagate to
// the comment handler, which reports them.
import { CHECK_NAMES, type CheckName } from '../../../core/domain/checks.ts';
import type { ParsedCommand } from '../../../core/domain/commands.ts';
import { steeringMarker } from '../../../core/domain/steering.ts';
import { startFactoryRun, startValidation, type Started } from '../../act/start.ts';
import { getCheck, listAllChecks, listChecks, updateCheck } from '../../github/checks.ts';
import { branchHead } from '../../github/commits.ts';
import { cancelWorkflowRun, workflowRunState } from '../../github/dispatch.ts';
import { lastReviewOf, lastReviewOfPull } from '../../github/review-state.ts';
import { httpStatus } from '../../github/types.ts';
import { startScenarioDrafts } from '../../act/start-review.ts';
import { decideReviewGate, reviewGateApplies } from '../../decide/review-gate.ts';
import { mergedPullRequestFor } from '../../github/commits.ts';
import type { CommandOutcome, CommandScene } from './scene.ts';
import { decideRerun } from '../../decide/rerun.ts';
import { currentRound, lastFactoryRun, specShaOf, specShaOfCheck } from './context-lookups.ts';

function startedReply(what: string, started: Started): CommandOutcome {
  if (started.error) return { ok: false, reply: `could not start ${what}: ${started.error}` };
  const link = started.run?.htmlUrl ? ` ([workflow run](${started.run.htmlUrl}))` : '';
  return { ok: true, reply: `started ${what}${link}.` };
}

const ALREADY_STARTED: CommandOutcome = { ok: true, reply: 'already started for this comment.', duplicate: true };

/**
 * Exactly once across deliveries and replicas: the check a command creates carries
 * `external_id.request = comment:<id>`, so another delivery of the same comment finds it.
 */
async function startedBefore(scene: CommandScene, sha: string, name: CheckName, request: string): Promise<boolean> {
  const checks = await listChecks(scene.octokit, scene.repo, sha, name);
  return checks.some((check) => check.externalId?.request === request);
}

export async function runCommand(scene: CommandScene, command: ParsedCommand): Promise<CommandOutcome> {
  const { octokit, repo, pull } = scene;
  const request = `comment:${scene.commentId}`;
  const model = command.args.model;
  if (command.name === 'status') return status(scene);
  if (command.name === 'scenarios') return draftScenarios(scene, request);
  if (command.name === 'steer') return steer(scene, command.text ?? '');
  if (command.name === 'run') {
    const sha = pull ? pull.headSha : await branchHead(octokit, repo, scene.defaultBranch);
    if (await startedBefore(scene, sha, CHECK_NAMES.factory, request)) return ALREADY_STARTED;
    const refusal = await reviewRefusal(scene, sha, command.args.force === 'true');
    if (refusal) return { ok: false, reply: refusal };
    const started = await startFactoryRun(octokit, repo, {
      checkSha: sha, specSha: sha, ref: scene.defaultBranch, reason: 'command', request, round: 1,
      ...(pull ? { pr: pull.number } : { issue: scene.issueNumber }), ...(model ? { model } : {}),
    });
    return startedReply(`a factory run for ${sha.slice(0, 7)}${pull ? ' (preview of this PR)' : ''}`, started);
  }
  // On an issue or a spec PR only the check the question names finds the parked run.
  if (command.name === 'answer' && (command.args.check || scene.place !== 'factory-pr')) return answerByCheck(scene, command, request);
  // Everything below acts on a factory PR (decideCommand made sure of it).
  if (!pull) return { ok: false, reply: 'this command needs a factory pull request.' };
  if (command.name === 'validate') {
    if (await startedBefore(scene, pull.headSha, CHECK_NAMES.satisfaction, request)) return ALREADY_STARTED;
    const round = await currentRound(octokit, repo, pull.headSha);
    const started = await startValidation(octokit, repo, {
      pr: pull.number, headSha: pull.headSha, ref: scene.defaultBranch, request, round,
      ...(command.args.trials ? { trials: command.args.trials } : {}), ...(model ? { model } : {}),
    });
    return startedReply(`validation round ${round}`, started);
  }
  if (command.name === 'cancel') return cancel(scene, pull.headSha);
  const specSha = await specShaOf(octokit, repo, pull.headSha);
  if (specSha === null) return { ok: false, reply: 'the head commit of this PR has no `Factory-Spec:` trailer, so the spec commit is unknown.' };
  if (await startedBefore(scene, pull.headSha, CHECK_NAMES.factory, request)) return ALREADY_STARTED;
  if (command.name === 'rerun') return rerun(scene, command, specSha, request);
  // resume and answer continue a run from its checkpoint.
  const runId = command.args.run ? Number(command.args.run) : (await lastFactoryRun(octokit, repo, [pull.headSha, specSha]))?.externalId?.run;
  if (runId === undefined) return { ok: false, reply: 'no earlier factory run is recorded on this PR; name one with `run=<id>`.' };
  const round = await currentRound(octokit, repo, pull.headSha);
  const started = await startFactoryRun(octokit, repo, {
    checkSha: pull.headSha, specSha, ref: scene.defaultBranch, reason: 'resume', request, round, pr: pull.number, resumeRunId: runId,
    ...(command.name === 'answer' && command.positional ? { answer: command.positional } : {}),
  });
  return startedReply(command.name === 'answer' ? `run ${runId} again with the answer \`${command.positional ?? ''}\`` : `resuming run ${runId}`, started);
}

/** `/factory rerun [--fresh] [--max-usd N]`: resume an unfinished last run, or start over (decideRerun). */
async function rerun(scene: CommandScene, command: ParsedCommand, specSha: string, request: string): Promise<CommandOutcome> {
  const { octokit, repo } = scene;
  const pull = scene.pull!;
  const fresh = command.args.fresh === 'true';
  const last = fresh ? undefined : await lastFactoryRun(octokit, repo, [pull.headSha, specSha]);
  const decision = decideRerun(last && { status: last.status, conclusion: last.conclusion, runId: last.externalId?.run }, fresh);
  const budget = command.args['max-usd'];
  const shared = {
    checkSha: pull.headSha, specSha, ref: scene.defaultBranch, request, pr: pull.number,
    ...(command.args.model ? { model: command.args.model } : {}), ...(budget ? { maxUsd: budget } : {}),
  };
  const onBudget = budget ? ` with a budget of $${budget}` : '';
  if (decision.kind === 'resume') {
    const round = await currentRound(octokit, repo, pull.headSha);
    const started = await startFactoryRun(octokit, repo, { ...shared, reason: 'resume', round, resumeRunId: decision.runId });
    return startedReply(`resuming run ${decision.runId} from its checkpoint${onBudget} (\`/factory rerun --fresh\` starts over)`, started);
  }
  const started = await startFactoryRun(octokit, repo, { ...shared, reason: 'rerun', round: 1 });
  return startedReply(`a fresh factory run for spec ${specSha.slice(0, 7)}${onBudget} (${decision.why})`, started);
}

/**
 * `/factory answer <key> check=<id>`: the parked run's `factory` check, which the gate's question
 * names. It knows the workflow run to resume, and sits on the commit the next check belongs on.
 */
async function answerByCheck(scene: CommandScene, command: ParsedCommand, request: string): Promise<CommandOutcome> {
  const { octokit, repo } = scene;
  if (!command.args.check) return { ok: false, reply: 'name the parked run\'s check as its question does: `/factory answer <key> check=<id>`.' };
  const checkId = Number(command.args.check);
  let parked;
  try {
    parked = await getCheck(octokit, repo, checkId);
  } catch (error) {
    if (httpStatus(error) === 404) return { ok: false, reply: `there is no check run ${checkId} in this repository.` };
    throw error;
  }
  const runId = parked.externalId?.run;
  if (parked.name !== CHECK_NAMES.factory || !parked.externalId || runId === undefined) {
    return { ok: false, reply: `check run ${checkId} is not a factory run's check, so there is no run to resume.` };
  }
  if (parked.conclusion !== 'action_required') {
    return { ok: false, reply: `check run ${checkId} is not waiting for an answer (it is ${parked.conclusion ?? parked.status}).` };
  }
  const externalId = parked.externalId;
  // Answered on the factory PR a spec merge's run opened: the resumed run belongs to that PR (its
  // concurrency group, its head), although the parked check sits on the spec commit.
  const onPull = scene.place === 'factory-pr' && scene.pull ? scene.pull : null;
  const pr = externalId.pr ?? onPull?.number;
  const checkSha = externalId.pr === undefined && onPull ? onPull.headSha : parked.headSha;
  const [specSha, before] = await Promise.all([
    specShaOfCheck(octokit, repo, { headSha: parked.headSha, ...(externalId.pr ? { pr: externalId.pr } : {}) }),
    startedBefore(scene, checkSha, CHECK_NAMES.factory, request),
  ]);
  if (before) return ALREADY_STARTED;
  const started = await startFactoryRun(octokit, repo, {
    checkSha, specSha, ref: scene.defaultBranch, reason: 'resume', request, round: externalId.round, resumeRunId: runId,
    ...(pr ? { pr } : {}), ...(externalId.issue ? { issue: externalId.issue } : {}),
    ...(command.positional ? { answer: command.positional } : {}),
  });
  return startedReply(`run ${runId} again with the answer \`${command.positional ?? ''}\``, started);
}

async function cancel(scene: CommandScene, headSha: string): Promise<CommandOutcome> {
  const { octokit, repo } = scene;
  const open = [...await listChecks(octokit, repo, headSha, CHECK_NAMES.factory), ...await listChecks(octokit, repo, headSha, CHECK_NAMES.satisfaction)]
    .filter((check) => check.status !== 'completed' && check.externalId !== null);
  if (open.length === 0) return { ok: true, reply: 'nothing to cancel: no open factory checks on this PR head.' };
  const runs = new Set(open.flatMap((check) => (check.externalId?.run ? [check.externalId.run] : [])));
  for (const runId of runs) {
    try {
      await cancelWorkflowRun(octokit, repo, runId);
    } catch (error) {
      // 409: the run already finished; its check is still closed below.
      if (httpStatus(error) !== 409) throw error;
    }
  }
  for (const check of open) {
    await updateCheck(octokit, repo, check.id, { conclusion: 'cancelled', output: { title: 'Cancelled', summary: 'Cancelled by `/factory cancel`.' } });
  }
  return { ok: true, reply: `cancelled ${runs.size} workflow run(s) and closed ${open.length} check(s).` };
}

async function status(scene: CommandScene): Promise<CommandOutcome> {
  const { octokit, repo, pull } = scene;
  const sha = pull ? pull.headSha : await branchHead(octokit, repo, scene.defaultBranch);
  const ours = new Set<string>(Object.values(CHECK_NAMES));
  const checks = (await listAllChecks(octokit, repo, sha)).filter((check) => ours.has(check.name));
  if (checks.length === 0) return { ok: true, reply: `no factory checks on ${sha.slice(0, 7)} yet.` };
  const rows: string[] = [];
  for (const check of checks) {
    const state = check.status === 'completed' ? check.conclusion ?? 'completed' : check.status;
    const round = check.externalId ? String(check.externalId.round) : '—';
    let run = check.detailsUrl ? `[run](${check.detailsUrl})` : '—';
    if (check.externalId?.run !== undefined) {
      const workflow = await workflowRunState(octokit, repo, check.externalId.run);
      run = `[run ${check.externalId.run}](${workflow.htmlUrl}): ${workflow.conclusion ?? workflow.status ?? 'unknown'}`;
    }
    rows.push(`| \`${check.name}\` | ${state} | ${round} | ${run} |`);
  }
  return { ok: true, reply: `status of ${sha.slice(0, 7)}:\n\n| check | state | round | workflow run |\n|---|---|---|---|\n${rows.join('\n')}` };
}

/**
 * review.required: `/factory run` on a spec whose last review had a blocking finding is refused
 * unless `force=true` (the review of a spec PR's head, or of the PR merged into the default branch head).
 */
async function reviewRefusal(scene: CommandScene, sha: string, force: boolean): Promise<string | null> {
  const { octokit, repo, config, pull } = scene;
  if (config === null || !reviewGateApplies(config, force)) return null;
  const merged = pull ? null : await mergedPullRequestFor(octokit, repo, sha);
  const report = pull ? await lastReviewOf(octokit, repo, pull.headSha)
    : merged === null ? await lastReviewOf(octokit, repo, sha) : await lastReviewOfPull(octokit, repo, merged);
  const gate = decideReviewGate(config, report, force);
  return gate.kind === 'refuse' ? `${gate.title}.\n\n${gate.summary.replace('on an issue', 'here')}` : null;
}

/** `/factory scenarios` on a spec PR: the holdouts side drafts; this repository gets a link, never text. */
async function draftScenarios(scene: CommandScene, request: string): Promise<CommandOutcome> {
  const { octokit, repo, pull } = scene;
  if (!pull) return { ok: false, reply: '`/factory scenarios` works on spec pull requests.' };
  if (!scene.config?.validation.scenarios_repo) return { ok: false, reply: 'the config sets no `validation.scenarios_repo`, so there is no holdouts repository to draft into.' };
  const run = await startScenarioDrafts(octokit, repo, { ref: scene.defaultBranch, pr: pull.number, headSha: pull.headSha, baseSha: pull.baseSha, request });
  const link = run.htmlUrl ? ` ([workflow run](${run.htmlUrl}))` : '';
  return { ok: true, reply: `started drafting holdout scenarios for ${pull.headSha.slice(0, 7)} on the holdouts side${link}. They open as a pull request on the holdouts repository; this PR gets a comment with their count and a link.` };
}

/**
 * `/factory steer <text>`: the acknowledgment carries the steering marker, which the running Action
 * accepts only from this App's comments (core/domain/steering.ts); on a factory PR there must be a run.
 */
async function steer(scene: CommandScene, text: string): Promise<CommandOutcome> {
  const { octokit, repo, pull } = scene;
  if (pull) {
    const running = (await listChecks(octokit, repo, pull.headSha, CHECK_NAMES.factory)).filter((check) => check.status !== 'completed');
    if (running.length === 0) return { ok: false, reply: 'no factory run is in progress on this PR, so there is nobody to steer.' };
  }
  const quoted = text.split('\n').map((line) => `> ${line}`).join('\n');
  return { ok: true, reply: `steering accepted; the running factory run reads it at its next tool round:\n\n${quoted}\n\n${steeringMarker({ comment: scene.commentId, text })}` };
}
