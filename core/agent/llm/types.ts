// The unified LLM client model (unified-llm-spec.md §3, reduced to what the coding agent needs).
// Providers translate it to and from each SDK's wire format; the agent loop only sees this.
import type { Usage } from '../../engine/outcome.ts';

export type { Usage };

export type Role = 'user' | 'assistant' | 'tool';

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; id: string; name: string; arguments: Record<string, unknown> }
  | { type: 'tool_result'; tool_call_id: string; content: string; is_error?: boolean }
  /**
   * Model reasoning carried between turns exactly as the provider returned it (Anthropic thinking
   * blocks with their signature, OpenAI reasoning items with encrypted content). Opaque to the loop.
   */
  | { type: 'reasoning'; provider: string; text?: string; data: unknown };

export interface Message {
  role: Role;
  content: ContentPart[];
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export type ReasoningEffort = 'low' | 'medium' | 'high';

export interface LlmRequest {
  /** Provider-native model id (without the `provider/` prefix). */
  model: string;
  system: string;
  messages: Message[];
  tools: ToolDefinition[];
  reasoning_effort?: ReasoningEffort;
  max_tokens?: number;
  signal?: AbortSignal;
  /** The graph node this request serves; the scripted provider replays that stage's turns. */
  stage?: string;
  /**
   * Ask for the answer as one JSON object of this schema, through the provider's own mechanism
   * (Anthropic: a forced tool call; OpenAI Responses: text.format json_schema; Gemini: a response
   * JSON schema). Providers without one ignore it; the caller then parses the text.
   */
  response_format?: StructuredOutput;
}

export interface StructuredOutput {
  /** A name for the schema (`[A-Za-z0-9_-]`), e.g. the forced tool's name. */
  name: string;
  description?: string;
  /** JSON Schema of the object; strict (every property required, no additional properties). */
  schema: Record<string, unknown>;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'error' | 'other';

export interface LlmResponse {
  /** The assistant message: text, tool calls and reasoning parts in the order produced. */
  message: Message;
  finish_reason: FinishReason;
  /**
   * Normalised usage: `input_tokens` counts every input token (uncached, cache reads and cache
   * writes), so `cache_read_tokens / input_tokens` is the share served from the prompt cache.
   */
  usage: Usage;
  provider: string;
  model: string;
  /** The object the provider returned for request.response_format (not validated here). */
  structured?: unknown;
}

export type StreamEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'reasoning_delta'; text: string }
  | { type: 'tool_call'; id: string; name: string };

export interface LlmProvider {
  /** `anthropic`, `openai`, `gemini`, `openai-compatible`, `scripted`. */
  readonly name: string;
  complete(request: LlmRequest, onEvent?: (event: StreamEvent) => void): Promise<LlmResponse>;
}

export type LlmErrorKind =
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'network'
  | 'stream_cut'
  | 'timeout'
  | 'authentication'
  | 'permission'
  | 'invalid_request'
  | 'not_found'
  | 'context_length'
  | 'configuration'
  | 'budget_exhausted'
  /** The caller aborted the request through its signal; never retried. */
  | 'aborted';

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set(['rate_limit', 'overloaded', 'server', 'network', 'stream_cut', 'timeout']);

/** One error taxonomy for every provider (unified-llm-spec.md §6). */
export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly retryable: boolean;
  /** Non-retryable errors are terminal for the engine's retry policy (engine.md decision 3). */
  readonly terminal: boolean;
  readonly provider: string;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(kind: LlmErrorKind, message: string, details: { provider: string; status?: number; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.name = 'LlmError';
    this.kind = kind;
    this.retryable = RETRYABLE.has(kind);
    this.terminal = !this.retryable;
    this.provider = details.provider;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}
