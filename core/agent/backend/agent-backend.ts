// The CodergenBackend that runs a coding agent for every LLM stage (issue 3 §3): picks the model
// and tool set, layers the system prompt, runs the loop, and turns report_outcome into the Outcome.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CodergenBackend, CodergenRequest } from '../../engine/backend.ts';
import type { EventInput } from '../../engine/events.ts';
import { attrNumber, attrString, outgoingEdges, type GraphNode } from '../../engine/graph.ts';
import { addUsage, type Outcome } from '../../engine/outcome.ts';
import { ExecutionEnvironment } from '../env/environment.ts';
import { modelCatalog, type ModelCatalog } from '../llm/catalog.ts';
import type { LlmProvider, ReasoningEffort } from '../llm/types.ts';
import type { AgentEvent } from '../loop/agent-events.ts';
import { Budget } from '../loop/budget.ts';
import { Session, type CostFunction, type RunLimits, type RunResult } from '../loop/session.ts';
import type { SteeringSource } from '../loop/steering.ts';
import type { ToolHooks } from '../loop/tool-hooks.ts';
import type { OutputLimit } from '../loop/truncation.ts';
import { subagentsFor } from '../subagents/child-session.ts';
import { subagentTools, type Subagents } from '../subagents/subagents.ts';
import { toolFamilyFor, toolSetFor, type ToolFamily } from '../tools/tool-set.ts';
import { baseInstructions } from './base-instructions.ts';
import { environmentBlock } from './environment-block.ts';
import { fidelityPreamble } from './fidelity-preamble.ts';
import { projectInstructions } from './project-docs.ts';
import { reportOutcomeTool, type OutcomeReport } from './report-outcome.ts';
import { buildSystemPrompt, stageInstructions } from './system-prompt.ts';

export interface ModelChoice {
  provider: LlmProvider;
  /** Provider-native model id. */
  model: string;
}

export interface AgentBackendOptions {
  /** The provider and model for a stage: the node's llm_provider/llm_model, else the run's --model. */
  providerFor(node: GraphNode): ModelChoice;
  workdir: string;
  /** The parent environment the shell's environment is scrubbed from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Per-run spending limit across every stage of this backend. */
  maxUsd?: number;
  /** Per-run token limit (input + output) across every stage; works for any model. */
  maxTokens?: number;
  /** Context windows and prices; default the shipped catalog. */
  catalog?: ModelCatalog;
  /** Share of a model's window at which a session compacts its history (default 0.8). */
  compactAt?: number;
  /** Polled at every tool-round boundary of every running stage; its messages steer them. */
  steering?: SteeringSource;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** Price of one turn; default the shipped price table at the clock's date. */
  costOf?: CostFunction;
  /** Which tool set a provider gets; default by provider name (scripted and compatible → portable). */
  toolFamilyFor?: (provider: LlmProvider) => ToolFamily;
  /** Session-wide turn limit (node attribute `max_turns` overrides); 0 = unlimited. */
  maxTurns?: number;
  /** Tool rounds per input (node attribute `max_tool_rounds_per_input` overrides). */
  maxToolRoundsPerInput?: number;
  maxToolCalls?: number;
  commandTimeoutMs?: number;
  /** Per-tool-kind output limits for the model; default the loop spec's (§5.2). */
  outputLimits?: Readonly<Record<string, OutputLimit>>;
  /** How deep subagents may nest (spec §7, default 1); 0 offers no subagent tools. */
  maxSubagentDepth?: number;
}

export const NO_OUTCOME_REMINDER = 'You ended your turn without calling report_outcome. Call report_outcome now with the status of this stage.';
const REMINDER_TURNS = 3;

function edgeLabels(request: CodergenRequest): string[] {
  const labels = outgoingEdges(request.graph, request.node.id).map((edge) => attrString(edge.attrs, 'label').trim()).filter(Boolean);
  return [...new Set(labels)];
}

function hooksFor(request: CodergenRequest): ToolHooks {
  const pick = (key: string) => attrString(request.node.attrs, key) || attrString(request.graph.attrs, key) || undefined;
  return { pre: pick('tool_hooks.pre'), post: pick('tool_hooks.post') };
}

function reasoningEffort(node: GraphNode): ReasoningEffort | undefined {
  const value = attrString(node.attrs, 'reasoning_effort');
  return value === 'low' || value === 'medium' || value === 'high' ? value : undefined;
}

function toEngineEvent(nodeId: string, event: AgentEvent): EventInput {
  return { ...event, node_id: nodeId } as EventInput;
}

function stopFailure(result: RunResult): string {
  if (result.stopReason === 'loop') return 'loop detected: the agent kept repeating the same tool calls';
  if (result.stopReason === 'max_turns') return `${result.reason ?? 'turn limit reached'} after ${result.turns} turns of this stage without an outcome`;
  if (result.stopReason === 'max_tool_rounds') return `${result.reason ?? 'tool round limit reached'} without an outcome`;
  if (result.stopReason === 'context_exhausted') return `context window exhausted: ${result.reason ?? 'the history cannot fit'}`;
  if (result.stopReason === 'max_tool_calls') return `tool call limit reached after ${result.toolCalls} calls without an outcome`;
  return 'no outcome reported';
}

function addCost(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

export class AgentBackend implements CodergenBackend {
  readonly #options: AgentBackendOptions;
  readonly #runBudget: Budget;
  /** Sessions per thread key, for `full` fidelity; lives as long as this backend (one run). */
  readonly #threads = new Map<string, Session>();
  /** Sessions with a stage in progress, which steering messages go to. */
  readonly #running = new Set<Session>();

  readonly #catalog: ModelCatalog;

  constructor(options: AgentBackendOptions) {
    this.#options = options;
    this.#runBudget = new Budget(options.maxUsd, 'run', 0, options.maxTokens);
    this.#catalog = options.catalog ?? modelCatalog();
  }

  /** Moves messages from the steering source into the stages in progress. */
  async #pollSteering(): Promise<void> {
    const source = this.#options.steering;
    if (!source) return;
    for (const message of await source.take()) this.steer(message);
  }

  get spentUsd(): number {
    return this.#runBudget.spentUsd;
  }

  /** Queues a message for every stage in progress; it reaches the model before its next turn. */
  steer(message: string): number {
    for (const session of this.#running) session.steer(message);
    return this.#running.size;
  }

  async run(request: CodergenRequest): Promise<Outcome> {
    const { node } = request;
    const choice = this.#options.providerFor(node);
    const family = (this.#options.toolFamilyFor ?? ((p: LlmProvider) => toolFamilyFor(p.name)))(choice.provider);
    const now = this.#options.clock ?? Date.now;
    const env = new ExecutionEnvironment({ root: this.#options.workdir, env: this.#options.env, defaultTimeoutMs: this.#options.commandTimeoutMs, now });
    const labels = edgeLabels(request);
    const stage = { id: node.id, prompt: request.prompt, labels };

    let report: OutcomeReport | undefined;
    const reportTool = reportOutcomeTool(labels, [...request.graph.nodes.keys()], (r) => (report = r));
    const costFunction: CostFunction = this.#options.costOf ?? ((provider, model, usage) => this.#catalog.costOf(provider, model, usage));
    // The subagents read the stage's limits when they start, after the limits are set below.
    const shared: { limits?: RunLimits } = {};
    const subagents: Subagents | undefined = subagentsFor({
      provider: choice.provider,
      model: choice.model,
      family,
      parentEnv: env,
      processEnv: this.#options.env,
      commandTimeoutMs: this.#options.commandTimeoutMs,
      now,
      costOf: costFunction,
      outputLimits: this.#options.outputLimits,
      reasoningEffort: reasoningEffort(node),
      limits: () => shared.limits ?? {},
      maxDepth: this.#options.maxSubagentDepth,
    });
    const stageTools = [...(subagents ? subagentTools(subagents) : []), reportTool];
    const reused = request.fidelity === 'full' && request.threadKey !== undefined ? this.#threads.get(request.threadKey) : undefined;
    const contextWindow = this.#catalog.contextWindow(choice.provider.name, choice.model);
    // A thread carries over to a stage of another model when it keeps the same tool set (the history's
    // tool calls must stay meaningful); the stage's own model and reasoning effort then apply.
    const sameTools = reused && (this.#options.toolFamilyFor ?? ((p: LlmProvider) => toolFamilyFor(p.name)))(reused.provider) === family;
    let session: Session;
    let input: string;
    if (reused && sameTools) {
      // The system prompt stays as it was, so the conversation keeps its prompt-cache prefix; the new
      // stage arrives as a user message.
      session = reused;
      session.retarget({ provider: choice.provider, model: choice.model, reasoningEffort: reasoningEffort(node), ...(contextWindow !== undefined ? { contextWindow } : {}) });
      for (const tool of stageTools) session.setTool(tool);
      input = `Next stage.\n${stageInstructions(stage)}`;
    } else {
      const system = buildSystemPrompt({
        base: baseInstructions(family, { subagents: subagents !== undefined }),
        environment: environmentBlock(env.root, new Date(now()), process.platform, choice.model),
        projectInstructions: projectInstructions(env.root, family),
        preamble: fidelityPreamble({
          mode: request.fidelity,
          goal: attrString(request.graph.attrs, 'goal'),
          runId: request.context.getString('run.id'),
          history: request.history,
          context: request.context.snapshot(),
        }),
        stage,
      });
      session = new Session({
        provider: choice.provider,
        model: choice.model,
        system,
        tools: [...toolSetFor(family), ...stageTools],
        env,
        reasoningEffort: reasoningEffort(node),
        outputLimits: this.#options.outputLimits,
        costOf: costFunction,
        now,
        ...(contextWindow !== undefined ? { contextWindow } : {}),
        ...(this.#options.compactAt !== undefined ? { compactAt: this.#options.compactAt } : {}),
      });
      input = `Carry out stage "${node.id}" as described in the system prompt, then call report_outcome.`;
    }
    if (request.fidelity === 'full' && request.threadKey !== undefined) this.#threads.set(request.threadKey, session);
    await writeFile(join(request.stageDir, 'system-prompt.md'), session.system);

    const budgets = [this.#runBudget];
    const stageLimit = attrNumber(node.attrs, 'max_usd');
    if (stageLimit !== undefined) budgets.push(new Budget(stageLimit, 'stage'));
    const limits: RunLimits = {
      maxTurns: attrNumber(node.attrs, 'max_turns') ?? this.#options.maxTurns,
      maxToolRoundsPerInput: attrNumber(node.attrs, 'max_tool_rounds_per_input') ?? this.#options.maxToolRoundsPerInput,
      maxToolCalls: this.#options.maxToolCalls,
      beforeTurn: () => this.#pollSteering(),
      hooks: hooksFor(request),
      budgets,
      nodeId: node.id,
      signal: request.signal,
      onEvent: (event: AgentEvent) => request.emit(toEngineEvent(node.id, event)),
    };
    shared.limits = limits;

    this.#running.add(session);
    let run: StageRun;
    try {
      run = await this.#runWithReminder(session, input, limits, () => report !== undefined);
    } finally {
      this.#running.delete(session);
      // Children still running when the stage ends are stopped; their spending counts for the stage.
      await subagents?.closeAll();
    }
    const { result } = run;
    const usage = addUsage(run.usage, subagents?.usage);
    const cost = subagents ? addCost(run.cost, subagents.costUsd) : run.cost;
    await writeFile(join(request.stageDir, 'response.md'), result.finalText);

    const accounting = { usage, cost_usd: cost };
    if (!report) return { status: 'fail', failure_reason: stopFailure(result), notes: result.finalText.slice(0, 500), ...accounting };
    const outcome: Outcome = { status: report.status, ...accounting };
    if (report.preferred_label !== undefined) outcome.preferred_label = report.preferred_label;
    if (report.suggested_next_ids?.length) outcome.suggested_next_ids = report.suggested_next_ids;
    if (report.notes !== undefined) outcome.notes = report.notes;
    if (report.context_updates) outcome.context_updates = report.context_updates;
    if (report.status === 'fail' || report.status === 'retry') outcome.failure_reason = report.notes ?? `the agent reported ${report.status}`;
    return outcome;
  }

  /** Runs the stage; a model that stops without reporting gets one reminder and a few more turns. */
  async #runWithReminder(session: Session, input: string, limits: RunLimits, reported: () => boolean): Promise<StageRun> {
    const first = await session.run(input, limits);
    if (reported() || first.stopReason !== 'completed') return { result: first, usage: first.usage, cost: first.costUsd };
    limits.onEvent?.({ type: 'agent_notice', turn: first.turns, kind: 'reminder', message: NO_OUTCOME_REMINDER });
    const second = await session.run(NO_OUTCOME_REMINDER, { ...limits, maxToolRoundsPerInput: REMINDER_TURNS });
    return {
      result: second.finalText ? second : { ...second, finalText: first.finalText },
      usage: addUsage(first.usage, second.usage),
      cost: addCost(first.costUsd, second.costUsd),
    };
  }
}

interface StageRun {
  result: RunResult;
  usage: RunResult['usage'];
  cost: number | null;
}

export function createAgentBackend(options: AgentBackendOptions): AgentBackend {
  return new AgentBackend(options);
}
