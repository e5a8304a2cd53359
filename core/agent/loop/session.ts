// The agentic loop (coding-agent-loop-spec §2.5): model turn, tool calls, results, repeat, until
// the model stops calling tools, a stopping tool succeeds, or a limit, a loop or an abort ends it.
// A session keeps its conversation, so a later stage on the same thread continues it.
import { addUsage } from '../../engine/outcome.ts';
import type { ExecutionEnvironment } from '../env/environment.ts';
import type { ContentPart, LlmProvider, Message, ReasoningEffort, Usage } from '../llm/types.ts';
import { describeIssues, toolDefinition, type Tool, type ToolOutput } from '../tools/tool.ts';
import type { AgentEvent } from './agent-events.ts';
import { BudgetExhaustedError, type Budget } from './budget.ts';
import { callSignature, DEFAULT_LOOP_REPEATS, isLooping, loopWarning } from './loop-detection.ts';
import { absoluteWrites, DEFAULT_TOOL_CONCURRENCY, dispatchConcurrently, type DispatchedCall } from './tool-dispatch.ts';
import { runPostHook, runPreHook, type ToolHooks } from './tool-hooks.ts';
import { DEFAULT_OUTPUT_LIMITS, truncateToolOutput, type OutputLimit } from './truncation.ts';

export const DEFAULT_MAX_TURNS = 50;
export const DEFAULT_MAX_TOOL_CALLS = 200;

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
}

export interface RunLimits {
  maxTurns?: number;
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
}

export type StopReason = 'completed' | 'stop_tool' | 'max_turns' | 'max_tool_calls' | 'loop';

export interface RunResult {
  stopReason: StopReason;
  /** Text of the last assistant message. */
  finalText: string;
  usage: Usage | undefined;
  /** null when any turn had an unknown price. */
  costUsd: number | null;
  turns: number;
  toolCalls: number;
}

type ToolCallPart = Extract<ContentPart, { type: 'tool_call' }>;

function textOf(message: Message): string {
  return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('agent run aborted');
}

export class Session {
  readonly provider: LlmProvider;
  readonly model: string;
  system: string;
  readonly messages: Message[] = [];
  readonly #options: SessionOptions;
  readonly #tools: Map<string, Tool>;
  readonly #steering: string[] = [];

  constructor(options: SessionOptions) {
    this.#options = options;
    this.provider = options.provider;
    this.model = options.model;
    this.system = options.system;
    this.#tools = new Map(options.tools.map((tool) => [tool.name, tool]));
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
    const result = (stopReason: StopReason): RunResult => ({ stopReason, finalText, usage, costUsd: cost, turns, toolCalls });

    this.messages.push({ role: 'user', content: [{ type: 'text', text: input }] });
    while (true) {
      if (signal.aborted) throw abortError(signal);
      if (turns >= maxTurns) {
        emit({ type: 'agent_notice', turn: turns, kind: 'turn_limit', message: `turn limit of ${maxTurns} reached` });
        return result('max_turns');
      }
      this.#injectSteering(turns, emit);
      turns++;
      const response = await this.provider.complete({
        model: this.model,
        system: this.system,
        messages: this.messages,
        tools: [...this.#tools.values()].map(toolDefinition),
        reasoning_effort: this.#options.reasoningEffort,
        max_tokens: this.#options.maxTokens,
        stage: limits.nodeId,
        signal,
      });
      this.messages.push(response.message);
      const turnCost = this.#options.costOf ? this.#options.costOf(response.provider, response.model, response.usage) : null;
      usage = addUsage(usage, response.usage);
      cost = cost === null || turnCost === null ? null : cost + turnCost;
      finalText = textOf(response.message);
      const calls = response.message.content.filter((part): part is ToolCallPart => part.type === 'tool_call');
      emit({ type: 'agent_turn', turn: turns, provider: response.provider, model: response.model, finish_reason: response.finish_reason, usage: response.usage, cost_usd: turnCost, tool_calls: calls.length, text: finalText });
      try {
        for (const budget of limits.budgets ?? []) {
          budget.charge(turnCost);
          budget.check();
        }
      } catch (error) {
        if (error instanceof BudgetExhaustedError) Object.assign(error, { usage, cost_usd: cost });
        throw error;
      }
      if (calls.length === 0) return result('completed');

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
      const message = this.#steering.shift() ?? '';
      emit({ type: 'agent_notice', turn, kind: 'steering', message });
      this.messages.push({ role: 'user', content: [{ type: 'text', text: message }] });
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
