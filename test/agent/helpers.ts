// In-test model and workspace helpers for the agent tests: a provider that replays turns and
// records every request, and real temporary directories.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContentPart, LlmProvider, LlmRequest, LlmResponse, Usage } from '../../core/agent/llm/types.ts';

export interface Turn {
  text?: string;
  calls?: Array<{ name: string; args: Record<string, unknown>; id?: string }>;
  usage?: Usage;
}

export interface ReplayProvider extends LlmProvider {
  requests: LlmRequest[];
}

/** Replays `turns` in order; past the end it answers with plain text (no tool calls). */
export function replay(turns: Turn[], name = 'test'): ReplayProvider {
  const requests: LlmRequest[] = [];
  let index = 0;
  return {
    name,
    requests,
    async complete(request: LlmRequest): Promise<LlmResponse> {
      requests.push(structuredClone({ ...request, signal: undefined }));
      const turn = turns[index] ?? { text: 'done' };
      const n = index++;
      const content: ContentPart[] = [];
      if (turn.text) content.push({ type: 'text', text: turn.text });
      (turn.calls ?? []).forEach((call, i) => content.push({ type: 'tool_call', id: call.id ?? `c${n}_${i}`, name: call.name, arguments: call.args }));
      return {
        message: { role: 'assistant', content },
        finish_reason: turn.calls?.length ? 'tool_calls' : 'stop',
        usage: turn.usage ?? { input_tokens: 100, output_tokens: 10 },
        provider: name,
        model: request.model,
      };
    },
  };
}

export function tempDir(prefix = 'agent-'): { path: string; cleanup(): void } {
  const path = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Tool results of the last request the model received, by call id. */
export function toolResults(request: LlmRequest | undefined): Array<{ id: string; content: string; isError: boolean }> {
  const out: Array<{ id: string; content: string; isError: boolean }> = [];
  for (const message of request?.messages ?? []) {
    for (const part of message.content) if (part.type === 'tool_result') out.push({ id: part.tool_call_id, content: part.content, isError: Boolean(part.is_error) });
  }
  return out;
}

export function lastUserText(request: LlmRequest | undefined): string {
  const users = (request?.messages ?? []).filter((m) => m.role === 'user');
  const last = users[users.length - 1];
  return (last?.content ?? []).map((p) => (p.type === 'text' ? p.text : '')).join('');
}
