// `anthropic/<model>`: the Messages API through @anthropic-ai/sdk, streamed, with prompt caching.
import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlock,
  ContentBlockParam,
  Message as AnthropicMessage,
  MessageCreateParamsNonStreaming,
  MessageParam,
  OutputConfig,
  StopReason,
  TextBlockParam,
  ThinkingConfigParam,
  Tool,
  Usage as AnthropicUsage,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { assistantResponse, defineProvider, drainStream, sdkClientOptions, type ProviderConnection } from './provider-kit.ts';
import type {
  ContentPart,
  FinishReason,
  LlmProvider,
  LlmRequest,
  LlmResponse,
  Message,
  ReasoningEffort,
  StreamEvent,
  Usage,
} from './types.ts';

export const ANTHROPIC_PROVIDER = 'anthropic';
const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const DEFAULT_MAX_TOKENS = 16_384;

export interface AnthropicProviderOptions extends ProviderConnection {
  apiKey: string;
  baseURL?: string;
  /** Place cache_control breakpoints automatically (default true); the §2.10 escape hatch. */
  autoCache?: boolean;
  defaultMaxTokens?: number;
}

/** Budgets for models that only know manual extended thinking (minimum 1024, below max_tokens). */
const THINKING_BUDGET: Record<ReasoningEffort, number> = { low: 2048, medium: 8192, high: 24_576 };

/**
 * Models before Claude 4.6 accept only `thinking: {type: 'enabled', budget_tokens}`; 4.6 and later
 * use adaptive thinking with `output_config.effort` (Opus 4.7+ reject budgets with a 400). The spec
 * predates adaptive thinking; this follows the SDK (ThinkingConfigAdaptive, OutputConfig.effort).
 */
function usesBudgetThinking(model: string): boolean {
  return /^claude-(?:3-|(?:opus|sonnet|haiku)-4(?:-[015])?(?:-\d{8})?$)/.test(model);
}

interface ThinkingControls {
  thinking?: ThinkingConfigParam;
  output_config?: OutputConfig;
  max_tokens: number;
}

export function thinkingControls(model: string, effort: ReasoningEffort | undefined, maxTokens: number): ThinkingControls {
  if (!effort) return { max_tokens: maxTokens };
  if (!usesBudgetThinking(model)) return { thinking: { type: 'adaptive' }, output_config: { effort }, max_tokens: maxTokens };
  const budget = THINKING_BUDGET[effort];
  // Thinking counts toward max_tokens, so leave room for the answer after the budget.
  return { thinking: { type: 'enabled', budget_tokens: budget }, max_tokens: Math.max(maxTokens, budget + 4096) };
}

function toBlocks(part: ContentPart): ContentBlockParam[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    case 'tool_call':
      return [{ type: 'tool_use', id: part.id, name: part.name, input: part.arguments }];
    case 'tool_result':
      // An empty tool output is sent without content: the API rejects empty text.
      return [
        {
          type: 'tool_result',
          tool_use_id: part.tool_call_id,
          ...(part.content === '' ? {} : { content: part.content }),
          ...(part.is_error ? { is_error: true } : {}),
        },
      ];
    case 'reasoning':
      // Thinking blocks go back byte for byte (their signature covers them); other providers' reasoning cannot.
      return part.provider === ANTHROPIC_PROVIDER ? [part.data as ContentBlockParam] : [];
  }
}

/** Tool results travel in user messages; consecutive same-role messages are merged (strict alternation). */
function toMessages(messages: Message[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = message.content.flatMap(toBlocks);
    if (blocks.length === 0) continue;
    const last = out.at(-1);
    if (last && last.role === role) (last.content as ContentBlockParam[]).push(...blocks);
    else out.push({ role, content: blocks });
  }
  return out;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Breakpoints: the last tool (caches all tool definitions), the system prompt, and the last
 * cacheable block of the last message, which moves forward every turn so the next request reads
 * the whole previous conversation from cache (well within the API's 20-block lookback for one turn).
 */
function markLastMessage(messages: MessageParam[]): void {
  const content = messages.at(-1)?.content;
  if (!Array.isArray(content)) return;
  for (let i = content.length - 1; i >= 0; i--) {
    const block = content[i]!;
    if (block.type === 'thinking' || block.type === 'redacted_thinking') continue;
    content[i] = { ...block, cache_control: EPHEMERAL } as ContentBlockParam;
    return;
  }
}

export function buildAnthropicParams(request: LlmRequest, options: Pick<AnthropicProviderOptions, 'autoCache' | 'defaultMaxTokens'>): MessageCreateParamsNonStreaming {
  const cache = options.autoCache !== false;
  const tools: Tool[] = request.tools.map((tool, index) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.parameters as Tool['input_schema'],
    ...(cache && index === request.tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
  const format = request.response_format;
  // Structured output is a tool the model must call; its input is the answer.
  if (format) tools.push({ name: format.name, description: format.description ?? 'Give your answer', input_schema: format.schema as Tool['input_schema'] });
  const system: TextBlockParam[] = request.system ? [{ type: 'text', text: request.system, ...(cache ? { cache_control: EPHEMERAL } : {}) }] : [];
  const messages = toMessages(request.messages);
  if (cache) markLastMessage(messages);
  const controls = thinkingControls(request.model, request.reasoning_effort, request.max_tokens ?? options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS);
  return {
    model: request.model,
    messages,
    ...(system.length > 0 ? { system } : {}),
    // Parallel tool use is the API's default; said explicitly, since the loop runs such calls concurrently.
    ...(format ? { tools, tool_choice: { type: 'tool', name: format.name } } : tools.length > 0 ? { tools, tool_choice: { type: 'auto', disable_parallel_tool_use: false } } : {}),
    ...controls,
  };
}

function toPart(block: ContentBlock): ContentPart[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: block.text }];
    case 'tool_use':
      return [{ type: 'tool_call', id: block.id, name: block.name, arguments: (block.input ?? {}) as Record<string, unknown> }];
    case 'thinking':
      return [{ type: 'reasoning', provider: ANTHROPIC_PROVIDER, text: block.thinking, data: { type: 'thinking', thinking: block.thinking, signature: block.signature } }];
    case 'redacted_thinking':
      return [{ type: 'reasoning', provider: ANTHROPIC_PROVIDER, data: { type: 'redacted_thinking', data: block.data } }];
    default:
      return [];
  }
}

function finishReason(reason: StopReason | null): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}

/** Anthropic's input_tokens excludes cache reads and writes; ours counts every input token. */
export function normaliseAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  return {
    input_tokens: usage.input_tokens + cacheRead + cacheWrite,
    output_tokens: usage.output_tokens,
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    ...(thinking !== undefined ? { reasoning_tokens: thinking } : {}),
  };
}

function toResponse(message: AnthropicMessage, request: LlmRequest): LlmResponse {
  const response = assistantResponse(ANTHROPIC_PROVIDER, request.model, message.content.flatMap(toPart), finishReason(message.stop_reason), normaliseAnthropicUsage(message.usage));
  const format = request.response_format;
  const answer = format ? message.content.find((block) => block.type === 'tool_use' && block.name === format.name) : undefined;
  return answer?.type === 'tool_use' ? { ...response, structured: answer.input } : response;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  const client = new Anthropic(sdkClientOptions({ ...options, baseURL: options.baseURL ?? DEFAULT_BASE_URL }));

  async function streamed(params: MessageCreateParamsNonStreaming, request: LlmRequest, timeout: number, onEvent?: (event: StreamEvent) => void): Promise<AnthropicMessage> {
    const stream = client.messages.stream(params, { signal: request.signal, timeout });
    let completed = false;
    await drainStream(
      ANTHROPIC_PROVIDER,
      stream,
      request,
      (event) => {
        if (event.type === 'message_stop') completed = true;
        else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
          onEvent?.({ type: 'tool_call', id: event.content_block.id, name: event.content_block.name });
        } else if (event.type === 'content_block_delta') {
          if (event.delta.type === 'text_delta') onEvent?.({ type: 'text_delta', text: event.delta.text });
          else if (event.delta.type === 'thinking_delta') onEvent?.({ type: 'reasoning_delta', text: event.delta.thinking });
        }
      },
      () => ({ completed, missing: 'no message_stop event' }),
      options.now,
    );
    return stream.finalMessage();
  }

  return defineProvider({
    name: ANTHROPIC_PROVIDER,
    connection: options,
    build: (request) => buildAnthropicParams(request, options),
    send: (params, request, timeout) => client.messages.create(params, { signal: request.signal, timeout }),
    stream: streamed,
    assemble: (message, request) => toResponse(message, request),
  });
}
