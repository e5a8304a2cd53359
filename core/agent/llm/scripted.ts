// `scripted:<file>`: replays model turns from a JSON file exactly, for tests, demos and debugging a
// graph without spending tokens. Turns are consumed in order, per stage when the file names stages.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LlmError } from './types.ts';
import type { ContentPart, LlmProvider, LlmRequest, LlmResponse, StreamEvent, Usage } from './types.ts';
import { parseJsonText } from '../../engine/json-text.ts';

export const SCRIPTED_PROVIDER = 'scripted';

const usageSchema = z.strictObject({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_read_tokens: z.number().int().nonnegative().optional(),
  cache_write_tokens: z.number().int().nonnegative().optional(),
  reasoning_tokens: z.number().int().nonnegative().optional(),
});

const turnSchema = z.strictObject({
  text: z.string().optional(),
  reasoning: z.string().optional(),
  tool_calls: z
    .array(z.strictObject({ id: z.string().min(1).optional(), name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) }))
    .optional(),
  usage: usageSchema.optional(),
  finish_reason: z.enum(['stop', 'tool_calls', 'length', 'content_filter', 'error', 'other']).optional(),
});

const turnsSchema = z.array(turnSchema);

export const scriptFileSchema = z.union([
  turnsSchema,
  z.strictObject({ stages: z.record(z.string(), turnsSchema).default({}), default: turnsSchema.optional() }),
]);

export type ScriptedTurn = z.infer<typeof turnSchema>;
export type ScriptFile = z.infer<typeof scriptFileSchema>;

function issuePath(path: PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '');
}

/** Parses and validates a script; a bad file is a configuration error naming the file and field. */
export function parseScript(text: string, file: string): ScriptFile {
  let json: unknown;
  try {
    json = parseJsonText(text, file);
  } catch (error) {
    throw new LlmError('configuration', `scripted: ${(error as Error).message}`, { provider: SCRIPTED_PROVIDER, cause: error });
  }
  const result = scriptFileSchema.safeParse(json);
  if (!result.success) {
    // A union reports its branches' issues; the object branch is the informative one for objects.
    const issues = result.error.issues.flatMap((issue) => (issue.code === 'invalid_union' && !Array.isArray(json) ? (issue.errors.at(-1) ?? [issue]) : [issue]));
    const detail = issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`).join('; ');
    throw new LlmError('configuration', `scripted: ${file} is not a valid script: ${detail}`, { provider: SCRIPTED_PROVIDER });
  }
  return result.data;
}

/** The heuristic tokenizer: ceil(characters / 4), so budgets and benchmarks have numbers. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function estimateInput(request: LlmRequest): number {
  return estimateTokens(request.system + JSON.stringify(request.messages) + JSON.stringify(request.tools));
}

export interface ScriptedProviderOptions {
  /** Named in error messages. */
  file: string;
  script: ScriptFile;
}

/** A provider replaying `script`; it keeps its own position per stage, so use one per run. */
export function createScriptedProvider(options: ScriptedProviderOptions): LlmProvider {
  const { file, script } = options;
  const positions = new Map<string, number>();

  function turnsFor(stage: string | undefined): { key: string; turns: ScriptedTurn[] } {
    if (Array.isArray(script)) return { key: '(all stages)', turns: script };
    if (stage !== undefined && script.stages[stage]) return { key: stage, turns: script.stages[stage] };
    return { key: '(default)', turns: script.default ?? [] };
  }

  async function complete(request: LlmRequest, onEvent?: (event: StreamEvent) => void): Promise<LlmResponse> {
    if (request.signal?.aborted) throw new LlmError('aborted', `${SCRIPTED_PROVIDER}: request aborted`, { provider: SCRIPTED_PROVIDER });
    const { key, turns } = turnsFor(request.stage);
    const index = positions.get(key) ?? 0;
    const turn = turns[index];
    const stageName = request.stage ?? '(none)';
    if (!turn) {
      throw new LlmError('invalid_request', `${SCRIPTED_PROVIDER}: ${file} has no turn ${index + 1} for stage ${stageName} (script ${key} has ${turns.length})`, {
        provider: SCRIPTED_PROVIDER,
      });
    }
    positions.set(key, index + 1);

    const content: ContentPart[] = [];
    if (turn.reasoning !== undefined) {
      content.push({ type: 'reasoning', provider: SCRIPTED_PROVIDER, text: turn.reasoning, data: null });
      onEvent?.({ type: 'reasoning_delta', text: turn.reasoning });
    }
    if (turn.text !== undefined && turn.text !== '') {
      content.push({ type: 'text', text: turn.text });
      onEvent?.({ type: 'text_delta', text: turn.text });
    }
    (turn.tool_calls ?? []).forEach((call, callIndex) => {
      const id = call.id ?? `call_${key}_${index + 1}_${callIndex + 1}`;
      content.push({ type: 'tool_call', id, name: call.name, arguments: call.arguments });
      onEvent?.({ type: 'tool_call', id, name: call.name });
    });
    const output = (turn.text ?? '') + (turn.reasoning ?? '') + JSON.stringify(turn.tool_calls ?? []);
    const usage: Usage = turn.usage ?? { input_tokens: estimateInput(request), output_tokens: estimateTokens(output) };
    return {
      message: { role: 'assistant', content },
      finish_reason: turn.finish_reason ?? (turn.tool_calls?.length ? 'tool_calls' : 'stop'),
      usage,
      provider: SCRIPTED_PROVIDER,
      model: request.model,
    };
  }

  return { name: SCRIPTED_PROVIDER, complete };
}

/** Reads, validates and wraps a script file; any problem surfaces before a stage runs. */
export function loadScriptedProvider(file: string, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): LlmProvider {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new LlmError('configuration', `scripted: cannot read ${file}: ${(error as Error).message}`, { provider: SCRIPTED_PROVIDER, cause: error });
  }
  return createScriptedProvider({ file, script: parseScript(text, file) });
}
