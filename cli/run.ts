// `factory run` (contracts.md §1): prepare the graph, refuse lint errors, run it with the chosen
// backend and interviewer, show progress, and end with one result line (or object).
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { createAgentBackend } from '../core/agent/backend/agent-backend.ts';
import { createModelChooser, type ModelChooser } from '../core/agent/backend/model-choice.ts';
import { modelCatalog, unpricedMessage, unpricedModels, type ModelCatalog } from '../core/agent/llm/catalog.ts';
import { createBranchWorkspaces } from '../core/workspace/branch-workspaces.ts';
import { LlmError } from '../core/agent/llm/types.ts';
import { SteeringFile } from '../core/agent/loop/steering.ts';
import { hasErrors } from '../core/engine/diagnostics.ts';
import { CheckpointError } from '../core/engine/errors.ts';
import type { Graph } from '../core/engine/graph.ts';
import type { Interviewer } from '../core/engine/interviewer.ts';
import { AutoApproveInterviewer, ConsoleInterviewer } from '../core/engine/interviewers/index.ts';
import { PipelineEngine } from '../core/engine/pipeline.ts';
import type { RunResult } from '../core/engine/run/run-dir.ts';
import { checkAnswersAgainstGraph, GateAnswersInterviewer, loadAnswers, type AnswersFile } from './answers.ts';
import { CancellableInterviewer } from './cancellable-interviewer.ts';
import { formatDiagnostic, formatSummary } from './diagnostics-format.ts';
import { EXIT_FAILURE, EXIT_SUCCESS, UsageError } from './errors.ts';
import { sortForReading } from './lint.ts';
import { prepareGraph, readGraphSource } from './load-graph.ts';
import { everyStageUses } from './model-override.ts';
import { writeLine, type CliIO } from './output.ts';
import { withProcessEnv } from './process-env.ts';
import { ProgressReporter } from './progress.ts';
import { readRunOptions, RUN_USAGE, type Answering, type RunCliOptions } from './run-options.ts';
import { formatRunSummary } from './run-summary.ts';
import { runConfigPath, startRunTwins } from './run-twins.ts';
import { loadCliCatalog } from './catalog-file.ts';
import { checkStubAgainstGraph, installStub, loadStub, StubPlan } from './stub.ts';
import { toolVersion } from './version.ts';

const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function chooseInterviewer(answering: Answering, answers: AnswersFile | undefined, io: CliIO): Interviewer & { close?(): void } {
  if (answers) return new GateAnswersInterviewer(answers);
  if (answering.kind === 'auto-approve') return new AutoApproveInterviewer();
  return new ConsoleInterviewer({ input: io.stdin, output: io.stderr });
}

/** A fresh run must not mix its files into another run's directory. */
function checkLogsDirectory(options: RunCliOptions): void {
  if (!options.resume && existsSync(join(options.logs, 'checkpoint.json'))) {
    throw new UsageError(`--logs ${options.logs}: already holds a run (checkpoint.json); continue it with --resume or choose another directory`);
  }
}

/** Parallel branches' directories: beside the run's logs, unless those lie inside the working directory. */
function branchRoot(options: RunCliOptions): string | undefined {
  const root = resolve(options.logs, 'branches');
  const rel = relative(resolve(options.workdir ?? process.cwd()), root);
  return rel.startsWith('..') || isAbsolute(rel) ? root : undefined;
}

/** SIGINT/SIGTERM cancel the run (the engine keeps the checkpoint); a second one gives up waiting. */
function onCancelSignals(cancel: (reason: string) => void): () => void {
  let received = 0;
  const handler = (signal: NodeJS.Signals) => {
    received++;
    if (received > 1) process.exit(EXIT_FAILURE);
    cancel(`interrupted by ${signal}`);
  };
  for (const signal of CANCEL_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of CANCEL_SIGNALS) process.off(signal, handler);
  };
}

function reportResult(result: RunResult, options: RunCliOptions, durationMs: number, io: CliIO): void {
  if (options.output === 'json') writeLine(io.stdout, JSON.stringify(result));
  else writeLine(io.stdout, formatRunSummary(result, durationMs, options.logs));
}

/** Sets up every provider the graph can ask for; one that cannot be set up (missing key) is a usage error. */
function resolveModels(chooser: ModelChooser, graph: Graph, catalog: ModelCatalog, maxUsd: number | undefined): void {
  let choices;
  try {
    choices = chooser.resolveAll(graph);
  } catch (error) {
    if (error instanceof LlmError && error.kind === 'configuration') throw new UsageError(`--model: ${error.message}`);
    throw error;
  }
  if (maxUsd === undefined) return;
  // A USD budget that cannot count a model's spend is no budget: refuse before any model call.
  const missing = unpricedModels(catalog, choices.map((choice) => ({ provider: choice.provider.name, model: choice.model })));
  if (missing.length > 0) throw new UsageError(`--max-usd: ${unpricedMessage(missing, 'a --catalog file')}`);
}

export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const options = readRunOptions(argv);
  if (!options) {
    writeLine(io.stdout, RUN_USAGE);
    return EXIT_SUCCESS;
  }
  const source = readGraphSource(options.graphPath);
  const stubPath = options.backend.kind === 'stub' ? options.backend.path : undefined;
  const stub = stubPath !== undefined ? new StubPlan(loadStub(stubPath)) : undefined;
  const answersPath = options.answering.kind === 'answers' ? options.answering.path : undefined;
  const answers = answersPath !== undefined ? loadAnswers(answersPath) : undefined;

  const cancellation = new AbortController();
  const asker = chooseInterviewer(options.answering, answers, io);
  const chooser = options.backend.kind === 'model' ? createModelChooser(options.backend.spec, io.env) : undefined;
  // The agents' shell environment; the twins' variables join it once they run (read per session).
  const agentEnv: NodeJS.ProcessEnv = { ...io.env };
  const catalog = modelCatalog(...(options.catalog !== undefined ? [loadCliCatalog(options.catalog)] : []));
  const backend = chooser
    ? createAgentBackend({
        providerFor: chooser.providerFor,
        workdir: options.workdir ?? process.cwd(),
        env: agentEnv,
        catalog,
        ...(options.maxUsd !== undefined ? { maxUsd: options.maxUsd } : {}),
        ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
        ...(options.steer !== undefined ? { steering: new SteeringFile(options.steer) } : {}),
      })
    : undefined;
  const engine = new PipelineEngine({ interviewer: new CancellableInterviewer(asker, cancellation.signal), ...(backend ? { backend } : {}) });
  if (stub) installStub(stub, (type, handler) => engine.registerHandler(type, handler), engine.registry);
  const override = options.backend.kind === 'model' ? everyStageUses(options.backend.spec) : null;
  if (override) engine.registerTransform(override);

  const { graph, diagnostics } = prepareGraph(engine, options.graphPath, source);
  if (stub && stubPath !== undefined) checkStubAgainstGraph(stub, graph, engine.registry, stubPath);
  if (answers && answersPath !== undefined) checkAnswersAgainstGraph(answers, graph, engine.registry, answersPath);
  if (hasErrors(diagnostics)) {
    for (const diagnostic of sortForReading(diagnostics).filter((d) => d.severity === 'error')) writeLine(io.stderr, formatDiagnostic(options.graphPath, diagnostic));
    writeLine(io.stderr, `${formatSummary(options.graphPath, diagnostics)}; not running a graph with errors`);
    return EXIT_FAILURE;
  }
  if (options.output === 'human') {
    for (const diagnostic of sortForReading(diagnostics)) writeLine(io.stderr, formatDiagnostic(options.graphPath, diagnostic));
  }
  checkLogsDirectory(options);
  if (chooser) resolveModels(chooser, graph, catalog, options.maxUsd);

  const twins = options.noTwins ? undefined : await startRunTwins(runConfigPath(options.config, options.workdir ?? process.cwd()), options.workdir ?? process.cwd(), io.env);
  try {
    Object.assign(agentEnv, twins?.env);
    if (twins && options.output === 'human') for (const name of twins.names) writeLine(io.stderr, `twin ${name}: ${twins.urls[name]}`);
    return await withProcessEnv(twins?.env ?? {}, () => runGraph(engine, graph, source, options, asker, cancellation, io));
  } finally {
    await twins?.stop();
  }
}

async function runGraph(engine: PipelineEngine, graph: Graph, source: string, options: RunCliOptions, asker: Interviewer & { close?(): void }, cancellation: AbortController, io: CliIO): Promise<number> {
  const startedAt = Date.now();
  const progress = options.output === 'human' ? new ProgressReporter({ sink: io.stderr, live: Boolean(io.stderr.isTTY), now: Date.now }) : undefined;
  const handle = engine.start(graph, {
    logsRoot: options.logs,
    workdir: options.workdir,
    resume: options.resume,
    signal: cancellation.signal,
    graphSource: source,
    graphPath: options.graphPath,
    maxUsd: options.maxUsd,
    workspaces: createBranchWorkspaces({ root: branchRoot(options) }),
    eventFiles: options.events !== undefined ? [options.events] : [],
    manifest: { tool_version: toolVersion() },
    observers: progress ? [progress.observe] : [],
  });
  const stopListening = onCancelSignals((reason) => cancellation.abort(new Error(reason)));
  let result: RunResult;
  try {
    result = await handle.result;
  } catch (error) {
    if (error instanceof CheckpointError) throw new UsageError(`${options.resume ? '--resume: ' : ''}${error.message}`);
    throw error;
  } finally {
    stopListening();
    progress?.stop();
    asker.close?.();
  }
  reportResult(result, options, Date.now() - startedAt, io);
  return result.status === 'success' ? EXIT_SUCCESS : EXIT_FAILURE;
}
