// `openai/<model>`: the Responses API through the `openai` SDK, used statelessly: nothing is stored
// server-side, so reasoning items (with their encrypted content) travel back in every request.
import type {
  FunctionTool,
  Response as OpenAiResponse,
  ResponseCreateParamsNonStreaming,
  ResponseInputItem,
  ResponseOutputItem,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import { createOpenAiClient } from './openai-client.ts';
import { assistantResponse, defineProvider, drainStream, parseStructured, type ProviderConnection } from './provider-kit.ts';
import { parseToolArguments } from './tool-arguments.ts';
import { LlmError } from './types.ts';
import type { ContentPart, FinishReason, LlmProvider, LlmRequest, LlmResponse, Message, StreamEvent, Usage } from './types.ts';

export const OPENAI_PROVIDER = 'openai';
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiResponsesProviderOptions extends ProviderConnection {
  apiKey: string;
  baseURL?: string;
}

function toInputItems(message: Message): ResponseInputItem[] {
  const items: ResponseInputItem[] = [];
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
        if (part.text === '') break;
        if (message.role === 'assistant') items.push({ role: 'assistant', content: part.text });
        else items.push({ role: 'user', content: [{ type: 'input_text', text: part.text }] });
        break;
      case 'tool_call':
        items.push({ type: 'function_call', call_id: part.id, name: part.name, arguments: JSON.stringify(part.arguments) });
        break;
      case 'tool_result':
        items.push({ type: 'function_call_output', call_id: part.tool_call_id, output: part.content });
        break;
      case 'reasoning':
        // The reasoning item exactly as returned (id, summary, encrypted_content); other providers' reasoning cannot be replayed.
        if (part.provider === OPENAI_PROVIDER) items.push(part.data as ResponseInputItem);
        break;
    }
  }
  return items;
}

export function buildResponsesParams(request: LlmRequest): ResponseCreateParamsNonStreaming {
  const tools: FunctionTool[] = request.tools.map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters,
    // Strict mode would require every property to be listed as required; the loop validates instead.
    strict: false,
  }));
  return {
    model: request.model,
    ...(request.system ? { instructions: request.system } : {}),
    input: request.messages.flatMap(toInputItems),
    // Several calls in one turn run concurrently in the loop, so ask for them.
    ...(tools.length > 0 ? { tools, parallel_tool_calls: true } : {}),
    store: false,
    include: ['reasoning.encrypted_content'],
    ...(request.reasoning_effort ? { reasoning: { effort: request.reasoning_effort } } : {}),
    ...(request.max_tokens ? { max_output_tokens: request.max_tokens } : {}),
    ...(request.response_format
      ? { text: { format: { type: 'json_schema', name: request.response_format.name, schema: request.response_format.schema, strict: true, ...(request.response_format.description ? { description: request.response_format.description } : {}) } } }
      : {}),
  };
}

function toParts(item: ResponseOutputItem): ContentPart[] {
  switch (item.type) {
    case 'message':
      return item.content.map((content) => ({ type: 'text', text: content.type === 'output_text' ? content.text : content.refusal }));
    case 'function_call':
      return [{ type: 'tool_call', id: item.call_id, name: item.name, arguments: parseToolArguments(item.arguments) }];
    case 'reasoning': {
      const summary = item.summary.map((s) => s.text).join('\n');
      return [{ type: 'reasoning', provider: OPENAI_PROVIDER, ...(summary ? { text: summary } : {}), data: item }];
    }
    default:
      return [];
  }
}

/** OpenAI's input_tokens already include cached tokens. */
export function normaliseResponsesUsage(usage: ResponseUsage | undefined): Usage {
  if (!usage) return { input_tokens: 0, output_tokens: 0 };
  const cacheWrite = usage.input_tokens_details?.cache_write_tokens;
  return {
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    cache_read_tokens: usage.input_tokens_details?.cached_tokens ?? 0,
    ...(cacheWrite !== undefined ? { cache_write_tokens: cacheWrite } : {}),
    reasoning_tokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

function finishReason(response: OpenAiResponse, parts: ContentPart[]): FinishReason {
  if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason;
    return reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content_filter' : 'other';
  }
  if (response.status === 'failed') return 'error';
  return parts.some((part) => part.type === 'tool_call') ? 'tool_calls' : 'stop';
}

function toResponse(response: OpenAiResponse, request: LlmRequest): LlmResponse {
  if (response.status === 'failed') {
    const detail = response.error ? `${response.error.code}: ${response.error.message}` : 'no error detail';
    // A context overflow is reported as a failed response too; the session compacts on it.
    const kind = (response.error?.code as string | undefined) === 'context_length_exceeded' ? 'context_length' : 'server';
    throw new LlmError(kind, `${OPENAI_PROVIDER}: response failed (${detail})`, { provider: OPENAI_PROVIDER });
  }
  const content = response.output.flatMap(toParts);
  const assembled = assistantResponse(OPENAI_PROVIDER, request.model, content, finishReason(response, content), normaliseResponsesUsage(response.usage));
  return request.response_format ? { ...assembled, structured: parseStructured(content) } : assembled;
}

export function createOpenAiResponsesProvider(options: OpenAiResponsesProviderOptions): LlmProvider {
  const client = createOpenAiClient({ ...options, baseURL: options.baseURL ?? DEFAULT_BASE_URL });

  async function streamed(params: ResponseCreateParamsNonStreaming, request: LlmRequest, timeout: number, onEvent?: (event: StreamEvent) => void): Promise<OpenAiResponse> {
    const stream = await client.responses.create({ ...params, stream: true }, { signal: request.signal, timeout });
    let final: OpenAiResponse | undefined;
    await drainStream(
      OPENAI_PROVIDER,
      stream,
      request,
      (event) => {
        switch (event.type) {
          case 'response.output_text.delta':
            onEvent?.({ type: 'text_delta', text: event.delta });
            break;
          case 'response.reasoning_summary_text.delta':
            onEvent?.({ type: 'reasoning_delta', text: event.delta });
            break;
          case 'response.output_item.added':
            if (event.item.type === 'function_call') onEvent?.({ type: 'tool_call', id: event.item.call_id, name: event.item.name });
            break;
          case 'response.completed':
          case 'response.incomplete':
          case 'response.failed':
            final = event.response;
            break;
        }
      },
      () => ({ completed: final !== undefined, missing: 'no response.completed event' }),
      options.now,
    );
    return final!;
  }

  return defineProvider({
    name: OPENAI_PROVIDER,
    connection: options,
    build: buildResponsesParams,
    send: (params, request, timeout) => client.responses.create(params, { signal: request.signal, timeout }),
    stream: streamed,
    assemble: (response, request) => toResponse(response, request),
  });
}
