// `openai-compatible/<model>`: Chat Completions against any OPENAI_BASE_URL (Ollama, vLLM, LiteLLM,
// llama.cpp's server). The lowest common denominator on purpose: these servers speak nothing else.
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { createOpenAiClient } from './openai-client.ts';
import { assistantResponse, defineProvider, drainStream, type ProviderConnection } from './provider-kit.ts';
import { parseToolArguments } from './tool-arguments.ts';
import type { ContentPart, FinishReason, LlmProvider, LlmRequest, LlmResponse, Message, StreamEvent, Usage } from './types.ts';

export const OPENAI_COMPATIBLE_PROVIDER = 'openai-compatible';
/** Local servers ignore the key, but the SDK refuses to start without one. */
export const PLACEHOLDER_API_KEY = 'not-needed';

export interface OpenAiCompatibleProviderOptions extends ProviderConnection {
  baseURL: string;
  apiKey?: string;
}

function toChatMessages(message: Message): ChatCompletionMessageParam[] {
  const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const results = message.content.flatMap((part) => (part.type === 'tool_result' ? [part] : []));
  if (message.role === 'assistant') {
    const toolCalls = message.content.flatMap((part) =>
      part.type === 'tool_call' ? [{ id: part.id, type: 'function' as const, function: { name: part.name, arguments: JSON.stringify(part.arguments) } }] : [],
    );
    return [{ role: 'assistant', content: text === '' ? null : text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) }];
  }
  const out: ChatCompletionMessageParam[] = results.map((result) => ({ role: 'tool', tool_call_id: result.tool_call_id, content: result.content }));
  if (text !== '') out.push({ role: 'user', content: text });
  return out;
}

export function buildChatParams(request: LlmRequest): ChatCompletionCreateParamsNonStreaming {
  const tools: ChatCompletionTool[] = request.tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
  return {
    model: request.model,
    messages: [...(request.system ? [{ role: 'system' as const, content: request.system }] : []), ...request.messages.flatMap(toChatMessages)],
    // Several calls in one turn run concurrently in the loop, so ask for them.
    ...(tools.length > 0 ? { tools, parallel_tool_calls: true } : {}),
    ...(request.reasoning_effort ? { reasoning_effort: request.reasoning_effort } : {}),
    ...(request.max_tokens ? { max_tokens: request.max_tokens } : {}),
  };
}

function finishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}

/** Chat Completions' prompt_tokens already include cached tokens. */
export function normaliseChatUsage(usage: CompletionUsage | undefined | null): Usage {
  if (!usage) return { input_tokens: 0, output_tokens: 0 };
  return {
    input_tokens: usage.prompt_tokens,
    output_tokens: usage.completion_tokens,
    cache_read_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

interface Assembled {
  reasoning: string;
  text: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  finish: string | null;
  usage: CompletionUsage | undefined;
}

function toResponse(assembled: Assembled, model: string): LlmResponse {
  const content: ContentPart[] = [];
  // Some servers (vLLM, Ollama) return reasoning text; it is kept for the record but never sent back.
  if (assembled.reasoning) content.push({ type: 'reasoning', provider: OPENAI_COMPATIBLE_PROVIDER, text: assembled.reasoning, data: null });
  if (assembled.text) content.push({ type: 'text', text: assembled.text });
  for (const call of assembled.toolCalls) content.push({ type: 'tool_call', id: call.id, name: call.name, arguments: parseToolArguments(call.arguments) });
  return assistantResponse(OPENAI_COMPATIBLE_PROVIDER, model, content, finishReason(assembled.finish), normaliseChatUsage(assembled.usage));
}

/** Non-standard reasoning fields some compatible servers add to messages and deltas. */
function reasoningOf(value: object | undefined | null): string {
  const record = (value ?? {}) as { reasoning_content?: unknown; reasoning?: unknown };
  if (typeof record.reasoning_content === 'string') return record.reasoning_content;
  return typeof record.reasoning === 'string' ? record.reasoning : '';
}

function fromCompletion(completion: ChatCompletion): Assembled {
  const choice = completion.choices[0];
  return {
    reasoning: reasoningOf(choice?.message),
    text: choice?.message.content ?? '',
    toolCalls: (choice?.message.tool_calls ?? []).flatMap((call) =>
      call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
    ),
    finish: choice?.finish_reason ?? null,
    usage: completion.usage,
  };
}

export function createOpenAiCompatibleProvider(options: OpenAiCompatibleProviderOptions): LlmProvider {
  const client = createOpenAiClient({ ...options, apiKey: options.apiKey || PLACEHOLDER_API_KEY });

  async function streamed(params: ChatCompletionCreateParamsNonStreaming, request: LlmRequest, timeout: number, onEvent?: (event: StreamEvent) => void): Promise<Assembled> {
    const stream = await client.chat.completions.create(
      { ...params, stream: true, stream_options: { include_usage: true } },
      { signal: request.signal, timeout },
    );
    const assembled: Assembled = { reasoning: '', text: '', toolCalls: [], finish: null, usage: undefined };
    await drainStream(
      OPENAI_COMPATIBLE_PROVIDER,
      stream,
      request,
      (chunk) => {
        if (chunk.usage) assembled.usage = chunk.usage;
        const choice = chunk.choices[0];
        if (!choice) return;
        const reasoning = reasoningOf(choice.delta);
        if (reasoning) {
          assembled.reasoning += reasoning;
          onEvent?.({ type: 'reasoning_delta', text: reasoning });
        }
        if (choice.delta.content) {
          assembled.text += choice.delta.content;
          onEvent?.({ type: 'text_delta', text: choice.delta.content });
        }
        // Tool calls arrive in pieces keyed by index: id and name first, then argument fragments.
        for (const delta of choice.delta.tool_calls ?? []) {
          let call = assembled.toolCalls[delta.index];
          if (!call) {
            call = { id: delta.id ?? `call_${delta.index}`, name: delta.function?.name ?? '', arguments: '' };
            assembled.toolCalls[delta.index] = call;
            if (call.name) onEvent?.({ type: 'tool_call', id: call.id, name: call.name });
          } else if (delta.function?.name) call.name += delta.function.name;
          call.arguments += delta.function?.arguments ?? '';
        }
        if (choice.finish_reason) assembled.finish = choice.finish_reason;
      },
      // Only a finish_reason proves the turn is whole.
      () => ({ completed: assembled.finish !== null, missing: 'no finish_reason' }),
      options.now,
    );
    assembled.toolCalls = assembled.toolCalls.filter(Boolean);
    return assembled;
  }

  return defineProvider({
    name: OPENAI_COMPATIBLE_PROVIDER,
    connection: options,
    build: buildChatParams,
    send: async (params, request, timeout) => fromCompletion(await client.chat.completions.create(params, { signal: request.signal, timeout })),
    stream: streamed,
    assemble: (assembled, request) => toResponse(assembled, request.model),
  });
}
