// The agentic loop (coding-agent-loop-spec §2.5): model turn, tool calls, results, repeat, until
// the model stops calling tools, a stopping tool succeeds, or a limit, a loop or an abort ends it.
// A session keeps its conversation, so a later stage on the same thread continues it; it compacts
// the conversation when it would outgrow the model's context window (compaction.ts).
import { addUsage } from '../../engine/outcome.ts';
import type { ExecutionEnvironment } from '../env/environment.ts';
import { LlmError, type ContentPart, type LlmProvider, type LlmResponse, type Message, type ReasoningEffort, type Usage } from '../llm/types.ts';
import { describeIssues, toolDefinition, type Tool, type ToolOutput } from '../tools/tool.ts';
import type { AgentEvent } from './agent-events.ts';
import { BudgetExhaustedError, type Budget } from './budget.ts';
import { compact, ContextGauge, DEFAULT_COMPACT_AT } from './compaction.ts';
import { callSignature, DEFAULT_LOOP_REPEATS, isLooping, loopWarning } from './loop-detection.ts';
import { absoluteWrites, DEFAULT_TOOL_CONCURRENCY, dispatchConcurrently, type DispatchedCall } from './tool-dispatch.ts';
import { runPostHook, runPreHook, type ToolHooks } from './tool-hooks.ts';
import { DEFAULT_OUTPUT_LIMITS, truncateToolOutput, type OutputLimit } from './truncation.ts';

/** Session-wide model turns (spec `max_turns`); 0 = unlimited. */
export const DEFAULT_MAX_TURNS = 0;
/** Tool rounds answering one input (spec `max_tool_rounds_per_input`). */
export const DEFAULT_MAX_TOOL_ROUNDS_PER_INPUT = 200;
export const DEFAULT_MAX_TOOL_CALLS = 200;
/** Compactions in a row without a successful request before the session gives up. */
const MAX_COMPACTIONS_PER_REQUEST = 2;

export type CostFunction = (provider: string, model: string, usage: Usage) => number | null;

export interface SessionOptions {
  provider: LlmProvider;
  model: string;
  system: string;
  tools: Tool[];
  env: ExecutionEnvironment;
  reasoningEffort?: ReasoningEffort;
  maxTokens?: number;
  outputLimits?: Readonly<Record<string, OutputLimit>>;
  costOf?: CostFunction;
  now?: () => number;
  /** Tool calls of one turn run at once; default 4, 1 runs them one after another. */
  toolConcurrency?: number;
  /** The model's context window (model catalog); unknown → compaction only on an overflow error. */
  contextWindow?: number;
  /** Share of the window a request may reach before the history is compacted (default 0.8). */
  compactAt?: number;
}

/** What a later stage on the same thread may change. */
export interface Retarget {
  provider: LlmProvider;
  model: string;
  reasoningEffort?: ReasoningEffort;
  contextWindow?: number;
}

export interface RunLimits {
  /** Model turns over the whole session, earlier inputs included (0 = unlimited). */
  maxTurns?: number;
  /** Tool rounds answering this input. */
  maxToolRoundsPerInput?: number;
  maxToolCalls?: number;
  loopRepeats?: number;
  hooks?: ToolHooks;
  /** Checked after every model turn; each throws a terminal error once exhausted. */
  budgets?: Budget[];
  /** The stage this run serves, for hook payloads and the provider's request. */
  nodeId?: string;
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  /** Overrides the session's tool concurrency for this run. */
  toolConcurrency?: number;
  /** Called at every tool-round boundary, before steering is injected (polls outside sources). */
  beforeTurn?: () => Promise<void>;
}

export type StopReason = 'completed' | 'stop_tool' | 'max_turns' | 'max_tool_rounds' | 'max_tool_calls' | 'loop' | 'context_exhausted';

export interface RunResult {
  stopReason: StopReason;
  /** Text of the last assistant message. */
  finalText: string;
  usage: Usage | undefined;
  /** null when any turn had an unknown price. */
  costUsd: number | null;
  turns: number;
  toolCalls: number;
  /** Why the run stopped, in words, when it was not completed or stopped by a tool. */
  reason?: string;
}

type ToolCallPart = Extract<ContentPart, { type: 'tool_call' }>;

function textOf(message: Message): string {
  return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('agent run aborted');
}

export class Session {
  provider: LlmProvider;
  model: string;
  system: string;
  readonly messages: Message[] = [];
  readonly #options: SessionOptions;
  readonly #tools: Map<string, Tool>;
  readonly #steering: string[] = [];
  #reasoningEffort: ReasoningEffort | undefined;
  #gauge: ContextGauge;
  /** Model turns over the session's whole life (every input). */
  #turns = 0;

  constructor(options: SessionOptions) {
    this.#options = options;
    this.provider = options.provider;
    this.model = options.model;
    this.system = options.system;
    this.#reasoningEffort = options.reasoningEffort;
    this.#gauge = new ContextGauge(options.contextWindow, options.compactAt ?? DEFAULT_COMPACT_AT);
    this.#tools = new Map(options.tools.map((tool) => [tool.name, tool]));
  }

  /** A later stage on this thread with its own model and reasoning effort; the history carries over. */
  retarget(target: Retarget): void {
    if (target.provider !== this.provider || target.model !== this.model) {
      this.#gauge = new ContextGauge(target.contextWindow, this.#gauge.compactAt);
    }
    this.provider = target.provider;
    this.model = target.model;
    this.#reasoningEffort = target.reasoningEffort;
  }

  /** Model turns taken over the session's life. */
  get turns(): number {
    return this.#turns;
  }

  /** Replaces or adds tools (a later stage's report_outcome replaces the earlier one). */
  setTool(tool: Tool): void {
    this.#tools.set(tool.name, tool);
  }

  /** Queued and injected as a user message before the next model turn. */
  steer(message: string): void {
    this.#steering.push(message);
  }

  async run(input: string, limits: RunLimits = {}): Promise<RunResult> {
    const signal = limits.signal ?? new AbortController().signal;
    const maxTurns = limits.maxTurns ?? DEFAULT_MAX_TURNS;
    const maxRounds = limits.maxToolRoundsPerInput ?? DEFAULT_MAX_TOOL_ROUNDS_PER_INPUT;
    const maxToolCalls = limits.maxToolCalls ?? DEFAULT_MAX_TOOL_CALLS;
    const repeats = limits.loopRepeats ?? DEFAULT_LOOP_REPEATS;
    const emit = limits.onEvent ?? (() => undefined);
    const signatures: string[] = [];
    let warnedAboutLoop = false;
    let usage: Usage | undefined;
    let cost: number | null = 0;
    let turns = 0;
    let toolCalls = 0;
    let finalText = '';
    const result = (stopReason: StopReason, reason?: string): RunResult => ({ stopReason, finalText, usage, costUsd: cost, turns, toolCalls, ...(reason ? { reason } : {}) });
    // Every request (turns and compactions) is recorded, then reported, then held to the budgets.
    const charge = (response: Pick<LlmResponse, 'provider' | 'model' | 'usage'>): number | null => {
      const turnCost = this.#options.costOf ? this.#options.costOf(response.provider, response.model, response.usage) : null;
      usage = addUsage(usage, response.usage);
      cost = cost === null || turnCost === null ? null : cost + turnCost;
      for (const budget of limits.budgets ?? []) budget.charge(turnCost, response.usage);
      return turnCost;
    };
    const checkBudgets = (): void => {
      try {
        for (const budget of limits.budgets ?? []) budget.check();
      } catch (error) {
        if (error instanceof BudgetExhaustedError) Object.assign(error, { usage, cost_usd: cost });
        throw error;
      }
    };

    this.messages.push({ role: 'user', content: [{ type: 'text', text: input }] });
    const pinned = { index: this.messages.length - 1 };
    let rounds = 0;
    while (true) {
      if (signal.aborted) throw abortError(signal);
      if (maxTurns > 0 && this.#turns >= maxTurns) {
        const message = `turn limit of ${maxTurns} reached (max_turns)`;
        emit({ type: 'agent_notice', turn: turns, kind: 'turn_limit', message });
        return result('max_turns', message);
      }
      if (rounds >= maxRounds) {
        const message = `tool round limit of ${maxRounds} for this input reached (max_tool_rounds_per_input)`;
        emit({ type: 'agent_notice', turn: turns, kind: 'tool_round_limit', message });
        return result('max_tool_rounds', message);
      }
      await limits.beforeTurn?.();
      this.#injectSteering(turns, emit);
      turns++;
      this.#turns++;
      const answered = await this.#request(pinned, limits, signal, emit, { charge, checkBudgets }, turns);
      if ('exhausted' in answered) return result('context_exhausted', answered.exhausted);
      const response = answered.response;
      this.messages.push(response.message);
      this.#gauge.measured(response.usage, this.messages.length);
      finalText = textOf(response.message);
      const calls = response.message.content.filter((part): part is ToolCallPart => part.type === 'tool_call');
      const contextTokens = response.usage.input_tokens + response.usage.output_tokens;
      const percent = this.#gauge.percent(contextTokens);
      const turnCost = charge(response);
      emit({
        type: 'agent_turn', turn: turns, provider: response.provider, model: response.model, finish_reason: response.finish_reason, usage: response.usage, cost_usd: turnCost, tool_calls: calls.length, text: finalText,
        context_tokens: contextTokens, ...(percent !== undefined ? { context_percent: percent } : {}),
      });
      checkBudgets();
      if (calls.length === 0) return result('completed');
      rounds++;

      const results: ContentPart[] = new Array<ContentPart>(calls.length);
      let stop = false;
      let overLimit = false;
      const dispatched: DispatchedCall[] = [];
      calls.forEach((call, index) => {
        if (toolCalls >= maxToolCalls) {
          overLimit = true;
          results[index] = { type: 'tool_result', tool_call_id: call.id, content: `not run: the limit of ${maxToolCalls} tool calls is reached`, is_error: true };
          return;
        }
        toolCalls++;
        signatures.push(callSignature(call.name, call.arguments));
        dispatched.push({
          writes: this.#writesOf(call),
          run: async () => {
            const outcome = await this.#execute(call, turns, limits, signal, emit);
            results[index] = { type: 'tool_result', tool_call_id: call.id, content: outcome.content, is_error: outcome.isError || undefined };
            if (outcome.stop) stop = true;
          },
        });
      });
      // Independent calls run concurrently; every result goes back in one message, in call order.
      await dispatchConcurrently(dispatched, limits.toolConcurrency ?? this.#options.toolConcurrency ?? DEFAULT_TOOL_CONCURRENCY);
      this.messages.push({ role: 'tool', content: results });
      if (stop) return result('stop_tool');
      if (overLimit) {
        emit({ type: 'agent_notice', turn: turns, kind: 'tool_call_limit', message: `tool call limit of ${maxToolCalls} reached` });
        return result('max_tool_calls');
      }
      if (isLooping(signatures, repeats)) {
        if (warnedAboutLoop) {
          emit({ type: 'agent_notice', turn: turns, kind: 'loop_stop', message: 'the model kept repeating the same tool calls after a warning' });
          return result('loop');
        }
        warnedAboutLoop = true;
        const warning = loopWarning(repeats);
        emit({ type: 'agent_notice', turn: turns, kind: 'loop_warning', message: warning });
        this.messages.push({ role: 'user', content: [{ type: 'text', text: warning }] });
        // The warning resets the count, so only repetitions made after it can end the stage.
        signatures.length = 0;
      }
    }
  }

  #injectSteering(turn: number, emit: (event: AgentEvent) => void): void {
    while (this.#steering.length > 0) {
      const content = this.#steering.shift() ?? '';
      emit({ type: 'steering_injected', turn, content });
      this.messages.push({ role: 'user', content: [{ type: 'text', text: content }] });
    }
  }

  /**
   * One model request. Before it would pass `compact_at` of the window, and when the provider
   * answers with a context-length error, the history is compacted and the request made again;
   * `exhausted` says why when it cannot fit even then.
   */
  async #request(
    pinned: { index: number },
    limits: RunLimits,
    signal: AbortSignal,
    emit: (event: AgentEvent) => void,
    accounts: { charge: (response: Pick<LlmResponse, 'provider' | 'model' | 'usage'>) => number | null; checkBudgets: () => void },
    turn: number,
  ): Promise<{ response: LlmResponse } | { exhausted: string }> {
    const tools = [...this.#tools.values()].map(toolDefinition);
    let compactions = 0;
    const compactNow = async (why: string): Promise<string | undefined> => {
      const window = this.#gauge.window;
      if (window === undefined) return `the context window is full (${why}) and its size is unknown`;
      if (compactions >= MAX_COMPACTIONS_PER_REQUEST) return `the context window of ${window} tokens is still exceeded after ${compactions} compactions (${why})`;
      compactions++;
      const before = this.#gauge.estimate(this.system, this.messages, tools);
      let done;
      try {
        done = await compact({ provider: this.provider, model: this.model, messages: this.messages, pinned: pinned.index, window, ...(limits.nodeId !== undefined ? { stage: limits.nodeId } : {}), signal });
      } catch (error) {
        if (error instanceof LlmError && error.kind === 'context_length') return `the history does not fit the context window of ${window} tokens even to be summarised (${why})`;
        throw error;
      }
      if (!done) return `the task and the latest turn alone exceed the context window of ${window} tokens (${why})`;
      const turnCost = accounts.charge(done);
      this.messages.splice(0, this.messages.length, ...done.messages);
      pinned.index = done.pinned;
      this.#gauge.forget();
      const after = this.#gauge.estimate(this.system, this.messages, tools);
      emit({ type: 'context_compacted', turn, before_tokens: before, after_tokens: after, turns_removed: done.turnsRemoved, reason: why, usage: done.usage, cost_usd: turnCost });
      accounts.checkBudgets();
      return undefined;
    };

    while (true) {
      const estimate = this.#gauge.estimate(this.system, this.messages, tools);
      if (this.#gauge.shouldCompact(estimate)) {
        const failure = await compactNow(`about ${estimate} tokens before the request, over ${Math.round(this.#gauge.compactAt * 100)} % of ${this.#gauge.window}`);
        if (failure) {
          // Over compact_at but under the window: the request may still go.
          if (this.#gauge.window !== undefined && this.#gauge.estimate(this.system, this.messages, tools) > this.#gauge.window) return { exhausted: failure };
        }
      }
      try {
        const response = await this.provider.complete({
          model: this.model,
          system: this.system,
          messages: this.messages,
          tools,
          reasoning_effort: this.#reasoningEffort,
          max_tokens: this.#options.maxTokens,
          stage: limits.nodeId,
          signal,
        });
        return { response };
      } catch (error) {
        if (!(error instanceof LlmError) || error.kind !== 'context_length') throw error;
        this.#gauge.overflowed(error, this.#gauge.estimate(this.system, this.messages, tools));
        const failure = await compactNow(`the provider refused the request: ${error.message}`);
        if (failure) return { exhausted: failure };
      }
    }
  }

  /** The paths a call writes, absolute, so same-path writes of one turn are serialised. */
  #writesOf(call: ToolCallPart): string[] {
    const tool = this.#tools.get(call.name);
    if (!tool?.writes) return [];
    const parsed = tool.schema.safeParse(call.arguments);
    return parsed.success ? absoluteWrites(this.#options.env.root, tool.writes(parsed.data)) : [];
  }

  async #execute(call: ToolCallPart, turn: number, limits: RunLimits, signal: AbortSignal, emit: (event: AgentEvent) => void): Promise<{ content: string; isError: boolean; stop: boolean }> {
    const now = this.#options.now ?? Date.now;
    const started = now();
    const hookCall = { nodeId: limits.nodeId ?? '', callId: call.id, tool: call.name, arguments: call.arguments };
    const env = this.#options.env;
    const report = (output: ToolOutput & { stop?: boolean }, kind: string, hook?: string) => {
      const content = truncateToolOutput(output.output, kind, this.#options.outputLimits ?? DEFAULT_OUTPUT_LIMITS);
      emit({ type: 'agent_tool_call', turn, call_id: call.id, tool: call.name, arguments: call.arguments, output: output.output, truncated: content !== output.output, is_error: Boolean(output.isError), duration_ms: now() - started, ...(hook ? { hook } : {}) });
      return { content, isError: Boolean(output.isError), stop: Boolean(output.stop) && !output.isError };
    };

    const tool = this.#tools.get(call.name);
    if (!tool) return report({ output: `unknown tool "${call.name}"; available: ${[...this.#tools.keys()].join(', ')}`, isError: true }, 'unknown');
    const parsed = tool.schema.safeParse(call.arguments);
    if (!parsed.success) return report({ output: `invalid arguments for ${call.name}: ${describeIssues(parsed.error)}`, isError: true }, tool.kind);

    if (limits.hooks?.pre) {
      const pre = await runPreHook(env, limits.hooks.pre, hookCall, signal);
      if (!pre.ok) return report({ output: `skipped: ${pre.message}`, isError: true }, tool.kind, pre.message);
    }
    let output: ToolOutput & { stop?: boolean };
    try {
      output = await tool.run(parsed.data, { env, signal });
    } catch (error) {
      if (signal.aborted) throw abortError(signal);
      output = { output: `${call.name} failed: ${error instanceof Error ? error.message : String(error)}`, isError: true };
    }
    let hookMessage: string | undefined;
    if (limits.hooks?.post) {
      const post = await runPostHook(env, limits.hooks.post, hookCall, output.output, Boolean(output.isError), signal);
      if (!post.ok) hookMessage = post.message;
    }
    return report(output, tool.kind, hookMessage);
  }
}
