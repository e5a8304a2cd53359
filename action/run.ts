// The `run` command: config and graph from the default branch, the spec commit checked out on the
// factory branch, the graph run by the coding agent with every stage's change committed (with its
// provenance) and pushed, then the PR, the job summary, the check and the outputs. Everything it
// touches comes in through RunDependencies.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentBackend } from '../core/agent/backend/agent-backend.ts';
import { createModelChooser, type ModelChooser } from '../core/agent/backend/model-choice.ts';
import { modelCatalog, unpricedMessage, unpricedModels, type ModelCatalog } from '../core/agent/llm/catalog.ts';
import { LlmError } from '../core/agent/llm/types.ts';
import type { SteeringSource } from '../core/agent/loop/steering.ts';
import type { FactoryConfig } from '../core/domain/config.ts';
import { attrString, CheckpointError, DotSyntaxError, PipelineEngine, systemClock, type Graph, type PipelineEvent, type RunResult } from '../core/engine/index.ts';
import { defaultBranchRef, loadCatalog, loadConfig, loadGraphSource, type GraphSource } from './config-source.ts';
import { ActionError, codeOfError, type FailureCode } from './errors.ts';
import { feedbackPromptTransform, startWithFeedback } from './feedback-context.ts';
import { createGit, type Git } from './git.ts';
import { gateAnswerButtons } from './gate-buttons.ts';
import type { Octokit } from './github-client.ts';
import { commentOnIssue, concludeCheck, defaultBranchOf, markCheckInProgress, upsertPullRequest, type CheckConclusion, type RepoRef } from './github.ts';
import type { ActionInputs } from './inputs.ts';
import { isLlmStage, modelLayersTransform, modelOf, planModels, runModelSpec, type ModelPlan } from './models.ts';
import { checkOutput, firstHeading, gateQuestionComment, jobSummary, progressOutput, pullRequestBody, pullRequestTitle, type ActionStatus, type RunReport } from './report.ts';
import { createBranchWorkspaces } from '../core/workspace/branch-workspaces.ts';
import { answeringInterviewer, restoreRunDirectory, type RestoredRun } from './resume.ts';
import { StageCommitter } from './stage-commits.ts';
import { gitHubSteering } from './steering.ts';
import { STATE_CHECK_CONCLUDED, STATE_RESTORED_USD, STATE_RUN_DIR } from './state.ts';
import { externalIdAtConclusion } from './spend.ts';
import { emptyStageLog, foldStageEvent, totalsOf, type StageLog } from './stage-log.ts';
import { Throttle, type ThrottleClock } from './throttle.ts';
import { prepareToolEnvironment } from './tool-env.ts';
import { artifactEnvironment } from '../core/validation/artifact.ts';
import { startTwins, TwinError, type TwinSession } from '../core/validation/twins/session.ts';

export interface RunDependencies {
  inputs: ActionInputs;
  /** A snapshot of the environment: GITHUB_*, RUNNER_*, provider keys. */
  env: Readonly<Record<string, string | undefined>>;
  /** The environment tool stages inherit (process.env); credentials are removed from it. */
  toolEnv: NodeJS.ProcessEnv;
  octokit: Octokit;
  repo: RepoRef;
  /** The checkout (GITHUB_WORKSPACE). */
  workspace: string;
  /** Where the run directory goes (RUNNER_TEMP): outside the checkout, so it is never committed. */
  runRoot: string;
  now: () => number;
  /** Schedules the throttled in-progress check updates (setTimeout, in tests a fake). */
  setTimer: ThrottleClock['setTimer'];
  log: (line: string) => void;
  /** Aborted when the runner cancels the job. */
  signal: AbortSignal;
  /** Saves a value for the post step. */
  saveState: (name: string, value: string) => void;
}

export interface RunOutputs {
  status: ActionStatus;
  reason?: string;
  /** A failure's stable code (the `error-code` output); absent on success and while waiting. */
  errorCode?: FailureCode;
  prNumber?: number;
  branch: string;
  runDir: string;
  tokensIn: number;
  tokensOut: number;
  costUsd: number | null;
  summary: string;
}


/** The in-progress `factory` check is updated at most this often; the conclusion always goes out. */
export const CHECK_PROGRESS_INTERVAL_MS = 10_000;

const BOT_NAME = 'github-actions[bot]';
const BOT_EMAIL = '41898282+github-actions[bot]@users.noreply.github.com';

function toolVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return manifest.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function gitEnvironment(toolEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...toolEnv,
    GIT_AUTHOR_NAME: toolEnv.GIT_AUTHOR_NAME ?? BOT_NAME,
    GIT_AUTHOR_EMAIL: toolEnv.GIT_AUTHOR_EMAIL ?? BOT_EMAIL,
    GIT_COMMITTER_NAME: toolEnv.GIT_COMMITTER_NAME ?? BOT_NAME,
    GIT_COMMITTER_EMAIL: toolEnv.GIT_COMMITTER_EMAIL ?? BOT_EMAIL,
    GIT_TERMINAL_PROMPT: '0',
  };
}

interface PreparedRun {
  graph: Graph;
  plan: ModelPlan;
  engine: PipelineEngine;
}

function prepareRun(graphSource: GraphSource, config: FactoryConfig, deps: RunDependencies, agent: { catalog: ModelCatalog; steering: SteeringSource | undefined }, chooserFor: (graph: Graph, plan: ModelPlan) => ModelChooser): PreparedRun {
  const plan = planModels(config.factory.models, deps.inputs.configPath, deps.inputs.models);
  const preparer = new PipelineEngine();
  preparer.registerTransform(modelLayersTransform(plan));
  if (deps.inputs.feedback) preparer.registerTransform(feedbackPromptTransform(deps.inputs.feedback));
  let prepared;
  try {
    prepared = preparer.prepare(graphSource.source, graphSource.path);
  } catch (error) {
    if (error instanceof DotSyntaxError) throw new ActionError('graph', `${error.describe()} (expected a graph in Attractor's DOT subset)`);
    throw error;
  }
  const errors = prepared.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((d) => `- ${graphSource.path}${d.line !== undefined ? `:${d.line}:${d.column ?? 1}` : ''}: [${d.rule}] ${d.message}${d.fix ? ` — fix: ${d.fix}` : ''}`);
    throw new ActionError('graph', `${graphSource.path} has lint errors; not running it:\n${lines.join('\n')}`);
  }
  const chooser = chooserFor(prepared.graph, plan);
  const backend = createAgentBackend({
    providerFor: chooser.providerFor,
    workdir: deps.workspace,
    env: deps.env,
    maxUsd: maxUsdOf(config, deps.inputs),
    ...(config.factory.budget.max_tokens !== undefined ? { maxTokens: config.factory.budget.max_tokens } : {}),
    catalog: agent.catalog,
    ...(agent.steering ? { steering: agent.steering } : {}),
    maxTurns: config.factory.session.max_turns,
    maxToolRoundsPerInput: config.factory.session.max_tool_rounds_per_input,
    compactAt: config.factory.session.compact_at,
    clock: deps.now,
  });
  // An Action cannot block on a person: a human gate parks the run (status `waiting`), unless this
  // is the resume that carries its answer.
  const engine = new PipelineEngine({ backend, interviewer: answeringInterviewer(deps.inputs.answer), clock: { now: deps.now, sleep: systemClock.sleep } });
  if (deps.inputs.feedback) {
    const start = engine.registry.get('start');
    if (start) engine.registerHandler('start', startWithFeedback(start, deps.inputs.feedback));
  }
  return { graph: prepared.graph, plan, engine };
}

/** The config's budget is the ceiling unless a writer gave one (`budget-usd`); the `max-usd` input may only lower it. */
export function maxUsdOf(config: FactoryConfig, inputs: ActionInputs): number {
  const ceiling = inputs.budgetUsd ?? config.factory.budget.max_usd;
  return inputs.maxUsd === undefined ? ceiling : Math.min(inputs.maxUsd, ceiling);
}

function resolveChooser(env: RunDependencies['env'], catalog: ModelCatalog, configPath: string) {
  return (graph: Graph, plan: ModelPlan): ModelChooser => {
    const spec = runModelSpec(graph, plan);
    const hasLlmStages = [...graph.nodes.keys()].some((id) => isLlmStage(graph, id));
    if (spec === undefined) {
      if (hasLlmStages) throw new ActionError('model', 'no model for the LLM stages: set `factory.models` in the config, a model_stylesheet in the graph, or the `models` input');
    }
    const chooser = createModelChooser(spec ?? 'scripted:none', env);
    if (hasLlmStages) {
      let choices;
      try {
        choices = chooser.resolveAll(graph);
      } catch (error) {
        if (error instanceof LlmError && error.kind === 'configuration') throw new ActionError('model', `${error.message} (provider keys come from the environment: ANTHROPIC_API_KEY, OPENAI_API_KEY)`);
        throw error;
      }
      // The run always has a USD budget (factory.budget.max_usd): a model it cannot price is refused
      // before any model call, instead of a budget that silently counts nothing.
      const missing = unpricedModels(catalog, choices.map((choice) => ({ provider: choice.provider.name, model: choice.model })));
      if (missing.length > 0) throw new ActionError('model', `factory.budget.max_usd: ${unpricedMessage(missing, `\`factory.catalog\` in ${configPath}`)}`);
    }
    return chooser;
  };
}

function checkoutSpec(git: Git, specSha: string, branch: string): void {
  if (git.tryRun(['cat-file', '-e', `${specSha}^{commit}`]) === null) {
    git.tryRun(['fetch', '--no-tags', '--quiet', 'origin', specSha]);
    if (git.tryRun(['cat-file', '-e', `${specSha}^{commit}`]) === null) throw new ActionError('git', `spec commit ${specSha} is not in the repository`);
  }
  git.run(['checkout', '--quiet', '--force', '-B', branch, specSha]);
  git.run(['clean', '-fdq']);
}

/** The factory branch at its last stage commit (or the spec commit when no stage committed yet). */
function checkoutFactoryBranch(git: Git, specSha: string, branch: string): void {
  const remote = `refs/remotes/origin/${branch}`;
  git.tryRun(['fetch', '--no-tags', '--quiet', 'origin', `+refs/heads/${branch}:${remote}`]);
  if (git.tryRun(['rev-parse', '--verify', '--quiet', `${remote}^{commit}`]) === null) return checkoutSpec(git, specSha, branch);
  if (git.tryRun(['merge-base', '--is-ancestor', specSha, remote]) === null) {
    throw new ActionError('git', `branch ${branch} does not descend from spec commit ${specSha}; not resuming on it`);
  }
  git.run(['checkout', '--quiet', '--force', '-B', branch, remote]);
  git.run(['clean', '-fdq']);
}

function specHeading(git: Git, specSha: string, config: FactoryConfig): string | undefined {
  for (const path of [...config.spec.ready, 'spec/README.md']) {
    if (!path.endsWith('.md')) continue;
    const text = git.tryRun(['show', `${specSha}:${path}`]);
    const heading = text === null ? undefined : firstHeading(text);
    if (heading) return heading;
  }
  return undefined;
}

function runLinks(env: RunDependencies['env'], repo: RepoRef, specSha: string): { run?: string; spec?: string } {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const links: { run?: string; spec?: string } = { spec: `${server}/${repo.owner}/${repo.repo}/commit/${specSha}` };
  if (env.GITHUB_RUN_ID) links.run = `${server}/${repo.owner}/${repo.repo}/actions/runs/${env.GITHUB_RUN_ID}`;
  return links;
}

function conclusionOf(status: ActionStatus): CheckConclusion {
  return status === 'success' ? 'success' : status === 'cancelled' ? 'cancelled' : status === 'waiting' ? 'action_required' : 'failure';
}

interface Stopped {
  status: ActionStatus;
  reason: string;
  code: FailureCode;
}

/** The engine names a budget stop only in words; the Action's own budget stops carry the code. */
const BUDGET_REASON = /^budget exhausted\b/;

function statusOf(result: RunResult, stopped: Stopped | undefined): { status: ActionStatus; reason?: string; code?: FailureCode } {
  if (stopped) return stopped;
  if (result.status === 'success') return { status: 'success' };
  if (result.status === 'waiting') {
    const question = result.waiting_for?.question as { text?: string } | undefined;
    return { status: 'waiting', reason: `waiting at human gate ${result.waiting_for?.node_id ?? '?'}${question?.text ? `: ${question.text}` : ''}` };
  }
  const reason = result.failure_reason ?? `the run ended with status ${result.status}`;
  const code: FailureCode = result.status === 'cancelled' ? 'cancelled' : BUDGET_REASON.test(reason) ? 'budget' : 'pipeline_failed';
  return { status: result.status, reason, code };
}

/** What this job spent: a resume's restored stages were paid for (and recorded) by the earlier job. */
function spendOf(costUsd: number | null, restoredCostUsd: number | null, elapsedMs: number, log: (line: string) => void): { usd: number; minutes: number } {
  if (costUsd === null) log('warning: a model\'s price is unknown, so the spend recorded on the check counts only minutes');
  const usd = costUsd === null ? 0 : costUsd - (restoredCostUsd ?? 0);
  return { usd, minutes: elapsedMs / 60_000 };
}

/** The config's twins, started from the checkout for the run (issue 18 §3); none declared → undefined. */
async function startFactoryTwins(config: FactoryConfig, workspace: string, toolEnv: NodeJS.ProcessEnv, log: (line: string) => void): Promise<TwinSession | undefined> {
  if (Object.keys(config.twins).length === 0) return undefined;
  try {
    const session = await startTwins({ twins: config.twins, cwd: workspace, env: artifactEnvironment(toolEnv), record: false });
    log(`started twin(s) ${session.names.join(', ')} for the run; tool stages and the agents' shell get ${Object.keys(session.env).join(', ') || 'no variables'}`);
    return session;
  } catch (error) {
    if (error instanceof TwinError) throw new ActionError('config', `${error.message} (twins: in the config)`);
    throw error;
  }
}

export async function runCommand(deps: RunDependencies): Promise<RunOutputs> {
  const { inputs, env, octokit, repo, log } = deps;
  const startedAt = deps.now();
  const runId = env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}` : randomUUID();
  const runDir = join(deps.runRoot, `factory-run-${runId}`);
  let restored: RestoredRun | undefined;
  if (inputs.resumeRunId !== undefined) {
    restored = await restoreRunDirectory(octokit, repo, Number(inputs.resumeRunId), runDir, inputs.githubToken);
    log(`restored the run directory of workflow run ${inputs.resumeRunId} into ${runDir}`);
    // For a post step that concludes this job's check: the restored cost is not this job's spend.
    deps.saveState(STATE_RESTORED_USD, String(totalsOf(restored.stages).costUsd ?? 0));
  }
  const specSha = inputs.specSha ?? restored?.specSha ?? env.GITHUB_SHA;
  if (!specSha || !/^[0-9a-f]{40}$/.test(specSha)) throw new ActionError('input', 'input `spec-sha`: not given and GITHUB_SHA is not a commit sha');

  const defaultBranch = await defaultBranchOf(octokit, repo);
  const git = createGit(deps.workspace, gitEnvironment(deps.toolEnv));
  const ref = defaultBranchRef(git, defaultBranch);
  const config = loadConfig(git, ref, inputs.configPath);
  const graphSource = loadGraphSource(git, ref, config, inputs.graphPath, inputs.configPath);
  log(`config ${inputs.configPath} and graph ${graphSource.path} read from ${defaultBranch}`);
  prepareToolEnvironment(deps.toolEnv, config.factory.check_command);
  // The agents' shell environment; the twins' variables join it once they run (read per session).
  const agentEnv: Record<string, string | undefined> = { ...deps.env };
  const catalog = modelCatalog(...[loadCatalog(git, ref, config, inputs.configPath)].filter((file) => file !== undefined));
  const steering = gitHubSteering({
    octokit, repo, log, now: deps.now,
    issues: [inputs.prNumber, inputs.issueNumber].filter((n): n is number => n !== undefined),
    ...(inputs.checkRunId !== undefined ? { checkRunId: inputs.checkRunId } : {}),
  });
  const { graph, plan, engine } = prepareRun(graphSource, config, { ...deps, env: agentEnv }, { catalog, steering }, resolveChooser(env, catalog, inputs.configPath));

  const branch = `${config.factory.branch_prefix}${specSha.slice(0, 7)}`;
  // A resume, and a feedback round, continue the branch's work (a feedback round refines what
  // validation judged, with or without a feedback block); only a fresh run starts over from the spec commit.
  if (restored || inputs.reason === 'feedback' || inputs.feedback) checkoutFactoryBranch(git, specSha, branch);
  else checkoutSpec(git, specSha, branch);
  const links = runLinks(env, repo, specSha);
  deps.saveState(STATE_RUN_DIR, runDir);
  log(`spec ${specSha} on branch ${branch}; run directory ${runDir}`);

  let checkUpdates: Promise<void> = Promise.resolve();
  const updateCheck = (update: () => Promise<void>) => {
    if (inputs.checkRunId === undefined) return;
    checkUpdates = checkUpdates.then(update).catch((error: unknown) => log(`warning: could not update check run ${inputs.checkRunId}: ${(error as Error).message}`));
  };
  const checkRunId = inputs.checkRunId;

  let stages: StageLog = restored?.stages ?? emptyStageLog();
  const budget = { maxUsd: maxUsdOf(config, inputs), maxMinutes: config.factory.budget.max_minutes };
  const progress = new Throttle(CHECK_PROGRESS_INTERVAL_MS, { now: deps.now, setTimer: deps.setTimer }, () => {
    if (checkRunId === undefined) return;
    const output = progressOutput({ ...(stages.current ? { stage: stages.current } : {}), elapsedMs: deps.now() - startedAt, stages, branch, budget, ...(links.run ? { runLink: links.run } : {}) });
    updateCheck(() => markCheckInProgress(octokit, repo, checkRunId, output.title, output.summary, links.run));
  });
  progress.request();

  const committer = new StageCommitter({ git, branch, protectedPaths: config.factory.protected_paths, push: true });
  const cancellation = new AbortController();
  let stopped: Stopped | undefined;
  const stop = (status: ActionStatus, reason: string, code: FailureCode) => {
    stopped ??= { status, reason, code };
    cancellation.abort(new Error(reason));
  };
  const onRunnerCancel = () => stop('cancelled', 'cancelled by the runner', 'cancelled');
  if (deps.signal.aborted) onRunnerCancel();
  deps.signal.addEventListener('abort', onRunnerCancel, { once: true });
  const maxMinutes = budget.maxMinutes;
  const minutesTimer = setTimeout(() => stop('fail', `budget exhausted: the run took longer than factory.budget.max_minutes (${maxMinutes} min)`, 'budget'), maxMinutes * 60_000);

  const graphPathForTrailer = graphSource.path;
  const observe = (event: PipelineEvent) => {
    stages = foldStageEvent(stages, event);
    if (event.type === 'stage_started') log(`stage ${event.name} (attempt ${event.attempt})`);
    if (event.type === 'stage_started' || event.type === 'stage_completed' || event.type === 'stage_failed' || event.type === 'agent_turn' || event.type === 'context_compacted' || event.type === 'steering_injected') progress.request();
    if (event.type !== 'stage_completed' || stopped) return;
    try {
      const node = graph.nodes.get(event.name);
      const model = modelOf(graph, event.name, plan);
      const commit = committer.commitStage(attrString(node?.attrs ?? {}, 'label') || event.name, {
        run: links.run ?? runId,
        specSha,
        graphPath: graphPathForTrailer,
        graphSha256: graphSource.sha256,
        nodeId: event.name,
        ...(model !== undefined ? { model } : {}),
      });
      if (commit) log(`committed ${commit.paths.length} path(s) of stage ${event.name} as ${commit.sha.slice(0, 7)} and pushed`);
    } catch (error) {
      stop('fail', (error as Error).message, codeOfError(error));
    }
  };

  let result: RunResult;
  let twins: TwinSession | undefined;
  try {
    twins = await startFactoryTwins(config, deps.workspace, deps.toolEnv, log);
    Object.assign(agentEnv, twins?.env);
    Object.assign(deps.toolEnv, twins?.env);
    const handle = engine.start(graph, {
      logsRoot: runDir,
      workdir: deps.workspace,
      runId,
      signal: cancellation.signal,
      graphSource: graphSource.source,
      graphPath: graphSource.path,
      maxUsd: maxUsdOf(config, inputs),
      resume: restored !== undefined,
      // Parallel branches in their own worktrees, outside the run directory (which is uploaded).
      workspaces: createBranchWorkspaces({ root: join(deps.runRoot, `factory-branches-${runId}`), env: gitEnvironment(deps.toolEnv) }),
      manifest: { spec_sha: specSha, tool_version: toolVersion() },
      observers: [observe],
    });
    result = await handle.result;
  } catch (error) {
    if (error instanceof CheckpointError) throw new ActionError('input', `input \`resume-run-id\`: cannot resume from that run's checkpoint: ${error.message}`);
    throw error;
  } finally {
    await twins?.stop();
    for (const name of Object.keys(twins?.env ?? {})) delete deps.toolEnv[name];
    progress.stop();
    clearTimeout(minutesTimer);
    deps.signal.removeEventListener('abort', onRunnerCancel);
  }
  const outcome = statusOf(result, stopped);
  log(`run ${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}`);

  const report: RunReport = {
    status: outcome.status,
    ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
    graph,
    graphPath: graphSource.path,
    result,
    stages,
    specSha,
    branch,
    budget,
    links,
  };

  let prNumber: number | undefined;
  const ahead = Number(git.run(['rev-list', '--count', `${specSha}..HEAD`]).trim());
  if (ahead > 0 && !deps.signal.aborted) {
    const pr = await upsertPullRequest(octokit, repo, { branch, base: defaultBranch, title: pullRequestTitle(specHeading(git, specSha, config), specSha), body: pullRequestBody(report), ...(inputs.prNumber !== undefined ? { prNumber: inputs.prNumber } : {}) });
    prNumber = pr.number;
    report.links = { ...links, pr: pr.url };
    log(`${pr.created ? 'opened' : 'updated'} pull request #${pr.number}`);
  }
  const waitingFor = result.waiting_for;
  if (report.status === 'waiting' && waitingFor) {
    const target = prNumber ?? inputs.prNumber ?? inputs.issueNumber;
    if (target !== undefined) {
      // The stages are pushed and the PR is open: a comment that cannot be posted (issue locked or
      // deleted) must not fail the run; the check's answer buttons still ask.
      try {
        await commentOnIssue(octokit, repo, target, gateQuestionComment(waitingFor.node_id, waitingFor.question, links.run, inputs.checkRunId));
        log(`asked for the answer to ${waitingFor.node_id} on #${target}`);
      } catch (error) {
        log(`warning: could not ask for the answer to ${waitingFor.node_id} on #${target}: ${(error as Error).message}`);
      }
    } else {
      log(`warning: parked at ${waitingFor.node_id} with nowhere to ask (no stage has committed yet, and neither pr-number nor issue-number was given)`);
    }
  }
  await checkUpdates;
  const totals = totalsOf(stages);
  if (checkRunId !== undefined) {
    const output = checkOutput(report);
    const spent = spendOf(totals.costUsd, restored ? totalsOf(restored.stages).costUsd : 0, deps.now() - startedAt, log);
    // Read now, not at the start: the App may have linked the workflow run (`run`) meanwhile.
    const withSpend = await externalIdAtConclusion(octokit, repo, checkRunId, spent, env.GITHUB_RUN_ID, (message) => log(`warning: ${message}`));
    const buttons = report.status === 'waiting' && waitingFor ? gateAnswerButtons(waitingFor.question) : [];
    await concludeCheck(octokit, repo, checkRunId, conclusionOf(report.status), output.title, output.summary, new Date(deps.now()).toISOString(), links.run, {
      ...(withSpend !== undefined ? { externalId: withSpend } : {}),
      actions: buttons,
    });
    deps.saveState(STATE_CHECK_CONCLUDED, 'true');
  }
  return {
    status: report.status,
    ...(report.reason !== undefined ? { reason: report.reason } : {}),
    ...(outcome.code !== undefined ? { errorCode: outcome.code } : {}),
    ...(prNumber !== undefined ? { prNumber } : {}),
    branch,
    runDir,
    tokensIn: totals.tokensIn,
    tokensOut: totals.tokensOut,
    costUsd: totals.costUsd,
    summary: jobSummary(report),
  };
}
