// Context management for a long session: estimate how full the model's window is, and compact —
// the model summarises the older history (task, decisions, files changed, open problems), the
// summary replaces those turns, the system prompt, the stage's task and the latest turns stay.
import type { LlmError, LlmProvider, LlmRequest, Message, ToolDefinition, Usage } from '../llm/types.ts';

/** Compact before a request would pass this share of the model's context window. */
export const DEFAULT_COMPACT_AT = 0.8;
/** The latest turns kept verbatim take at most this share of the window. */
const KEEP_SHARE = 0.25;
/** The transcript sent to be summarised takes at most this share of the window. */
const TRANSCRIPT_SHARE = 0.55;
const SUMMARY_MAX_TOKENS = 2048;
/** One tool result in the transcript is cut to this many characters. */
const RESULT_CHARS = 2000;

export const COMPACTION_SYSTEM_PROMPT =
  'You compact the history of a coding agent\'s session so that it can continue within its context window. ' +
  'Write a summary the agent will read instead of the turns it replaces. Keep: the task and its acceptance criteria; ' +
  'decisions taken and why; files created, changed or deleted (paths) and what changed; commands run and their ' +
  'outcomes; open problems, failing tests and next steps. Be specific and concise; no preamble.';

export const SUMMARY_HEADING = '[Summary of the earlier conversation, compacted to fit the context window]';

/** Tokens of a value as the providers roughly count them: a quarter of its JSON length. */
export function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / 4);
}

export function estimateRequest(system: string, messages: readonly Message[], tools: readonly ToolDefinition[]): number {
  return estimateTokens(system) + estimateTokens(messages) + estimateTokens(tools);
}

/** "prompt is too long: 17012 tokens > 16000 maximum" → 16000 (Anthropic states the window). */
export function windowFromError(error: LlmError): number | undefined {
  const match = /(\d[\d,]*)\s*tokens?\s*>\s*(\d[\d,]*)/i.exec(error.message) ?? /maximum context length is (\d[\d,]*)/i.exec(error.message);
  if (!match) return undefined;
  const value = Number((match[2] ?? match[1])!.replace(/,/g, ''));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * What the session knows about its window: the catalog's, lowered when a provider's overflow shows
 * a smaller one; and the last size the provider reported, to estimate the next request from.
 */
export class ContextGauge {
  window: number | undefined;
  readonly compactAt: number;
  #measured: { tokens: number; messages: number } | undefined;

  constructor(window: number | undefined, compactAt = DEFAULT_COMPACT_AT) {
    this.window = window;
    this.compactAt = compactAt;
  }

  /** After a response: the request's input plus the answer's output are now in the history. */
  measured(usage: Usage, messageCount: number): void {
    this.#measured = { tokens: usage.input_tokens + usage.output_tokens, messages: messageCount };
  }

  forget(): void {
    this.#measured = undefined;
  }

  /** The next request's size: the last reported size plus an estimate of what was added since. */
  estimate(system: string, messages: readonly Message[], tools: readonly ToolDefinition[]): number {
    const measured = this.#measured;
    if (!measured || measured.messages > messages.length) return estimateRequest(system, messages, tools);
    return measured.tokens + estimateTokens(messages.slice(measured.messages));
  }

  shouldCompact(tokens: number): boolean {
    return this.window !== undefined && tokens > this.window * this.compactAt;
  }

  /** The provider refused a request of about `tokens`: the real window is at most that. */
  overflowed(error: LlmError, tokens: number): void {
    const stated = windowFromError(error);
    const observed = stated ?? Math.floor(tokens * 0.9);
    this.window = this.window === undefined ? observed : Math.min(this.window, observed);
  }

  /** Share of the window in use, 0–100, or undefined when the window is unknown. */
  percent(tokens: number): number | undefined {
    return this.window ? Math.min(100, Math.round((tokens / this.window) * 100)) : undefined;
  }
}

function render(message: Message): string {
  const parts = message.content.flatMap((part) => {
    switch (part.type) {
      case 'text':
        return [part.text];
      case 'tool_call':
        return [`→ ${part.name}(${JSON.stringify(part.arguments)})`];
      case 'tool_result': {
        const text = part.content.length > RESULT_CHARS ? `${part.content.slice(0, RESULT_CHARS)}… [${part.content.length - RESULT_CHARS} more characters]` : part.content;
        return [`${part.is_error ? 'tool error' : 'tool result'}: ${text}`];
      }
      case 'reasoning':
        return part.text ? [`(thinking) ${part.text}`] : [];
    }
  });
  return `### ${message.role}\n${parts.join('\n')}`;
}

/** The older history as text, cut in the middle when it would not fit the summariser's share. */
export function transcriptOf(messages: readonly Message[], maxChars: number): string {
  const text = messages.map(render).join('\n\n');
  if (text.length <= maxChars) return text;
  const head = Math.floor(maxChars * 0.3);
  const tail = maxChars - head;
  return `${text.slice(0, head)}\n\n[… ${text.length - maxChars} characters of the middle of the history omitted …]\n\n${text.slice(text.length - tail)}`;
}

export interface CompactionPlan {
  /** Indices (into the history) summarised away. */
  older: number[];
  /** First index of the kept tail. */
  tailStart: number;
}

/**
 * Which turns go: everything but the pinned task message and the latest turns that fit `keepTokens`.
 * The tail starts at an assistant message, so every kept tool result keeps its call.
 */
export function planCompaction(messages: readonly Message[], pinned: number, keepTokens: number): CompactionPlan {
  let tailStart = messages.length;
  let kept = 0;
  for (let index = messages.length - 1; index > pinned; index--) {
    kept += estimateTokens(messages[index]);
    if (messages[index]!.role === 'assistant') {
      // Always keep the latest assistant turn with its results; beyond it, only what fits.
      if (kept > keepTokens && tailStart < messages.length) break;
      tailStart = index;
    }
  }
  const older: number[] = [];
  for (let index = 0; index < tailStart; index++) if (index !== pinned) older.push(index);
  return { older, tailStart };
}

export interface CompactionInput {
  provider: LlmProvider;
  model: string;
  messages: Message[];
  /** Index of the current stage's task message (kept verbatim). */
  pinned: number;
  window: number;
  stage?: string;
  signal?: AbortSignal;
}

export interface Compaction {
  /** The new history: the task, the summary, the latest turns. */
  messages: Message[];
  /** Index of the task message in the new history. */
  pinned: number;
  summary: string;
  turnsRemoved: number;
  usage: Usage;
  provider: string;
  model: string;
}

/** Null when nothing can be removed (the history is already only the task and the latest turn). */
export async function compact(input: CompactionInput): Promise<Compaction | null> {
  const plan = planCompaction(input.messages, input.pinned, Math.floor(input.window * KEEP_SHARE));
  if (plan.older.length === 0) return null;
  const older = plan.older.map((index) => input.messages[index]!);
  const transcript = transcriptOf(older, Math.floor(input.window * TRANSCRIPT_SHARE * 4));
  const request: LlmRequest = {
    model: input.model,
    system: COMPACTION_SYSTEM_PROMPT,
    messages: [{ role: 'user', content: [{ type: 'text', text: `Summarise this history of the session:\n\n${transcript}` }] }],
    tools: [],
    max_tokens: SUMMARY_MAX_TOKENS,
    ...(input.stage !== undefined ? { stage: input.stage } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  };
  const response = await input.provider.complete(request);
  const summary = response.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('').trim();
  const task = input.messages[input.pinned]!;
  const summaryMessage: Message = { role: 'user', content: [{ type: 'text', text: `${SUMMARY_HEADING}\n${summary || '(the summariser returned nothing)'}` }] };
  return {
    messages: [task, summaryMessage, ...input.messages.slice(plan.tailStart)],
    pinned: 0,
    summary,
    turnsRemoved: older.filter((message) => message.role === 'assistant').length,
    usage: response.usage,
    provider: response.provider,
    model: response.model,
  };
}
