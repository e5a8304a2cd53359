// `gemini/<model>`: the Gemini API through Google's @google/genai SDK, streamed over SSE, with
// function calling, thought signatures carried between turns, and thinking from reasoning_effort.
import { ApiError, FinishReason as GeminiFinish, GoogleGenAI, ThinkingLevel, type Content, type GenerateContentParameters, type GenerateContentResponse, type GenerateContentResponseUsageMetadata, type Part } from '@google/genai';
import { kindForStatus, toLlmError } from './errors.ts';
import { assistantResponse, defineProvider, drainStream, DEFAULT_TIMEOUT_MS, parseStructured, type ProviderConnection } from './provider-kit.ts';
import { LlmError } from './types.ts';
import type { ContentPart, FinishReason, LlmProvider, LlmRequest, LlmResponse, Message, ReasoningEffort, StreamEvent, Usage } from './types.ts';

export const GEMINI_PROVIDER = 'gemini';
const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

export interface GeminiProviderOptions extends ProviderConnection {
  apiKey: string;
  baseURL?: string;
}

/** Budgets for Gemini 2.5 (thinkingBudget); Gemini 3 takes a thinking level instead. */
const THINKING_BUDGET: Record<ReasoningEffort, number> = { low: 1024, medium: 8192, high: 24_576 };
const THINKING_LEVEL: Record<ReasoningEffort, ThinkingLevel> = { low: ThinkingLevel.LOW, medium: ThinkingLevel.MEDIUM, high: ThinkingLevel.HIGH };

export function geminiThinking(model: string, effort: ReasoningEffort | undefined): NonNullable<GenerateContentParameters['config']>['thinkingConfig'] {
  if (!effort) return undefined;
  if (/^gemini-[3-9]/.test(model)) return { thinkingLevel: THINKING_LEVEL[effort], includeThoughts: true };
  return { thinkingBudget: THINKING_BUDGET[effort], includeThoughts: true };
}

/**
 * What a Gemini reasoning part carries: a thought text part as returned, or the thought signature
 * that came on a function call part (Gemini 3 rejects a replayed call without it).
 */
type GeminiReasoning = { thought: Part } | { signatureFor: string; thoughtSignature: string };

function toParts(message: Message, callNames: Map<string, string>): Part[] {
  const signatures = new Map<string, string>();
  for (const part of message.content) {
    if (part.type === 'reasoning' && part.provider === GEMINI_PROVIDER) {
      const data = part.data as GeminiReasoning;
      if ('signatureFor' in data) signatures.set(data.signatureFor, data.thoughtSignature);
    }
  }
  return message.content.flatMap((part): Part[] => {
    switch (part.type) {
      case 'text':
        return part.text === '' ? [] : [{ text: part.text }];
      case 'tool_call': {
        const signature = signatures.get(part.id);
        return [{ functionCall: { id: part.id, name: part.name, args: part.arguments }, ...(signature ? { thoughtSignature: signature } : {}) }];
      }
      case 'tool_result':
        return [
          {
            functionResponse: {
              id: part.tool_call_id,
              name: callNames.get(part.tool_call_id) ?? 'unknown',
              response: part.is_error ? { error: part.content } : { output: part.content },
            },
          },
        ];
      case 'reasoning': {
        if (part.provider !== GEMINI_PROVIDER) return [];
        const data = part.data as GeminiReasoning;
        return 'thought' in data ? [data.thought] : [];
      }
    }
  });
}

/** Tool results go back in user turns; consecutive same-role turns are merged. */
function toContents(messages: Message[]): Content[] {
  const callNames = new Map<string, string>();
  for (const message of messages) for (const part of message.content) if (part.type === 'tool_call') callNames.set(part.id, part.name);
  const out: Content[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts = toParts(message, callNames);
    if (parts.length === 0) continue;
    const last = out.at(-1);
    if (last && last.role === role) last.parts!.push(...parts);
    else out.push({ role, parts });
  }
  return out;
}

export function buildGeminiParams(request: LlmRequest): GenerateContentParameters {
  const thinkingConfig = geminiThinking(request.model, request.reasoning_effort);
  return {
    model: request.model,
    contents: toContents(request.messages),
    config: {
      ...(request.system ? { systemInstruction: request.system } : {}),
      ...(request.tools.length > 0
        ? { tools: [{ functionDeclarations: request.tools.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters })) }] }
        : {}),
      ...(thinkingConfig ? { thinkingConfig } : {}),
      ...(request.max_tokens ? { maxOutputTokens: request.max_tokens } : {}),
      ...(request.signal ? { abortSignal: request.signal } : {}),
      ...(request.response_format ? { responseMimeType: 'application/json', responseJsonSchema: request.response_format.schema } : {}),
    },
  };
}

/** Gemini's promptTokenCount includes cached tokens; thoughts are billed as output. */
export function normaliseGeminiUsage(usage: GenerateContentResponseUsageMetadata | undefined): Usage {
  if (!usage) return { input_tokens: 0, output_tokens: 0 };
  const thoughts = usage.thoughtsTokenCount ?? 0;
  return {
    input_tokens: (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0),
    output_tokens: (usage.candidatesTokenCount ?? 0) + thoughts,
    cache_read_tokens: usage.cachedContentTokenCount ?? 0,
    reasoning_tokens: thoughts,
  };
}

const FILTERED: ReadonlySet<string> = new Set([GeminiFinish.SAFETY, GeminiFinish.RECITATION, GeminiFinish.BLOCKLIST, GeminiFinish.PROHIBITED_CONTENT, GeminiFinish.SPII, GeminiFinish.IMAGE_SAFETY]);

function finishReason(reason: string | undefined, content: ContentPart[]): FinishReason {
  if (content.some((part) => part.type === 'tool_call')) return 'tool_calls';
  if (reason === GeminiFinish.STOP) return 'stop';
  if (reason === GeminiFinish.MAX_TOKENS) return 'length';
  if (reason && FILTERED.has(reason)) return 'content_filter';
  if (reason === GeminiFinish.MALFORMED_FUNCTION_CALL) return 'error';
  return 'other';
}

/** The parts of a whole turn (streamed chunks joined), the finish reason and usage. */
interface Assembled {
  parts: Part[];
  finish: string | undefined;
  usage: GenerateContentResponseUsageMetadata | undefined;
}

/** Adds a chunk's parts, joining consecutive text pieces of the same kind (thought or answer). */
function absorb(assembled: Assembled, chunk: GenerateContentResponse): void {
  const candidate = chunk.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) {
    const last = assembled.parts.at(-1);
    if (part.text !== undefined && last?.text !== undefined && Boolean(last.thought) === Boolean(part.thought) && !last.thoughtSignature) {
      last.text += part.text;
      if (part.thoughtSignature) last.thoughtSignature = part.thoughtSignature;
    } else assembled.parts.push({ ...part });
  }
  if (candidate?.finishReason) assembled.finish = candidate.finishReason;
  if (chunk.usageMetadata) assembled.usage = chunk.usageMetadata;
}

function toResponse(assembled: Assembled, request: LlmRequest): LlmResponse {
  const content: ContentPart[] = [];
  assembled.parts.forEach((part, index) => {
    if (part.thought) content.push({ type: 'reasoning', provider: GEMINI_PROVIDER, ...(part.text ? { text: part.text } : {}), data: { thought: part } satisfies GeminiReasoning });
    else if (part.functionCall) {
      // The Gemini API may omit call ids; the loop needs one to pair results with calls.
      const id = part.functionCall.id || `call_${index}_${part.functionCall.name ?? 'tool'}`;
      if (part.thoughtSignature) content.push({ type: 'reasoning', provider: GEMINI_PROVIDER, data: { signatureFor: id, thoughtSignature: part.thoughtSignature } satisfies GeminiReasoning });
      content.push({ type: 'tool_call', id, name: part.functionCall.name ?? '', arguments: part.functionCall.args ?? {} });
    } else if (part.text) content.push({ type: 'text', text: part.text });
  });
  const response = assistantResponse(GEMINI_PROVIDER, request.model, content, finishReason(assembled.finish, content), normaliseGeminiUsage(assembled.usage));
  return request.response_format ? { ...response, structured: parseStructured(content) } : response;
}

/** Seconds from a google.rpc.RetryInfo detail (`"retryDelay": "13s"`), as milliseconds. */
function retryDelayMs(body: unknown): number | undefined {
  const details = (body as { error?: { details?: Array<{ '@type'?: string; retryDelay?: string }> } } | undefined)?.error?.details ?? [];
  const info = details.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo'));
  const match = /^(\d+(?:\.\d+)?)s$/.exec(info?.retryDelay ?? '');
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** The SDK's ApiError carries the status and the JSON body as its message. */
export function geminiError(error: unknown, streaming = false): LlmError {
  if (!(error instanceof ApiError)) return toLlmError(error, GEMINI_PROVIDER, { streaming });
  let body: unknown;
  try {
    body = JSON.parse(error.message);
  } catch {
    body = undefined;
  }
  const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? error.message;
  const kind = kindForStatus(error.status, message);
  const wait = kind === 'rate_limit' || kind === 'overloaded' || kind === 'server' ? retryDelayMs(body) : undefined;
  return new LlmError(kind, `${GEMINI_PROVIDER}: ${kind} (HTTP ${error.status}): ${message}`, { provider: GEMINI_PROVIDER, status: error.status, retryAfterMs: wait, cause: error });
}

export function createGeminiProvider(options: GeminiProviderOptions): LlmProvider {
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    httpOptions: {
      baseUrl: options.baseURL ?? DEFAULT_BASE_URL,
      // The documented REST surface (generateContent, streamGenerateContent?alt=sse) is v1beta.
      apiVersion: 'v1beta',
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // No retryOptions: the SDK then makes one attempt, and retrying.ts owns the policy.
      // A fetch is always given, as for the other SDKs: without one the SDK reaches for Node's
      // undici dispatcher through a global, which is absent in other realms (vm contexts, bundles).
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    },
  });

  async function send(params: GenerateContentParameters): Promise<Assembled> {
    let response: GenerateContentResponse;
    try {
      response = await client.models.generateContent(params);
    } catch (error) {
      throw geminiError(error);
    }
    const assembled: Assembled = { parts: [], finish: undefined, usage: undefined };
    absorb(assembled, response);
    return assembled;
  }

  async function streamed(params: GenerateContentParameters, request: LlmRequest, _timeout: number, onEvent?: (event: StreamEvent) => void): Promise<Assembled> {
    let stream: AsyncGenerator<GenerateContentResponse>;
    try {
      stream = await client.models.generateContentStream(params);
    } catch (error) {
      throw geminiError(error);
    }
    const assembled: Assembled = { parts: [], finish: undefined, usage: undefined };
    await drainStream(
      GEMINI_PROVIDER,
      stream,
      request,
      (chunk) => {
        for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
          if (part.functionCall) onEvent?.({ type: 'tool_call', id: part.functionCall.id ?? '', name: part.functionCall.name ?? '' });
          else if (part.text && part.thought) onEvent?.({ type: 'reasoning_delta', text: part.text });
          else if (part.text) onEvent?.({ type: 'text_delta', text: part.text });
        }
        absorb(assembled, chunk);
      },
      // Only a finish reason proves the turn is whole.
      () => ({ completed: assembled.finish !== undefined, missing: 'no finishReason' }),
      options.now,
    );
    return assembled;
  }

  return defineProvider({
    name: GEMINI_PROVIDER,
    connection: options,
    build: buildGeminiParams,
    send,
    stream: streamed,
    assemble: (assembled, request) => toResponse(assembled, request),
  });
}
