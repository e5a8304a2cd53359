// Prompt-cache share and request growth of a 30-turn coding session: the coding agent (codergen
// backend, Claude Code tools) drives the real Anthropic provider against the in-process wire server.
// The wire server replays fixed usage, so the cache share is computed here from the recorded
// request bodies: a request reads from the cache the longest prefix, ending at one of the previous
// request's cache_control breakpoints, that it repeats unchanged (tokens ≈ characters / 4).
// Target (issue 3 §5): ≥ 80 % of input tokens served from the cache.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentBackend } from '../core/agent/backend/agent-backend.ts';
import { createAnthropicProvider } from '../core/agent/llm/anthropic.ts';
import { estimateTokens } from '../core/agent/llm/scripted.ts';
import { Context } from '../core/engine/context.ts';
import type { Graph } from '../core/engine/graph.ts';
import { startWireServer, type WireReply, type WireToolCall } from '../test/support/wire-server.ts';
import { emit, emitRatio, note } from './support/report.ts';

const BENCH = 'agent-cache';
const TURNS = 30;
const UNLIMITED = { chars: Number.MAX_SAFE_INTEGER, mode: 'tail' as const };

interface Block {
  key: string;
  breakpoint: boolean;
  tokens: number;
}

/** The request as Anthropic caches it: tools, then system, then message blocks, in order. */
function blocksOf(body: Record<string, unknown>): Block[] {
  const blocks: Block[] = [];
  const add = (prefix: string, value: Record<string, unknown>) => {
    const { cache_control: marker, ...rest } = value;
    const key = `${prefix}:${JSON.stringify(rest)}`;
    blocks.push({ key, breakpoint: marker !== undefined, tokens: estimateTokens(key) });
  };
  for (const tool of (body.tools as Array<Record<string, unknown>>) ?? []) add('tool', tool);
  const system = body.system;
  if (typeof system === 'string') add('system', { text: system });
  else for (const block of (system as Array<Record<string, unknown>>) ?? []) add('system', block);
  for (const message of (body.messages as Array<{ role: string; content: string | Array<Record<string, unknown>> }>) ?? []) {
    const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    for (const block of content) add(message.role, block);
  }
  return blocks;
}

function cachedTokens(previous: Block[] | undefined, current: Block[]): number {
  if (!previous) return 0;
  for (let end = previous.length - 1; end >= 0; end--) {
    if (!previous[end]!.breakpoint) continue;
    if (end >= current.length) continue;
    let same = true;
    for (let i = 0; i <= end && same; i++) same = previous[i]!.key === current[i]!.key;
    if (same) return current.slice(0, end + 1).reduce((sum, block) => sum + block.tokens, 0);
  }
  return 0;
}

/** 29 turns of reading, searching, running and editing, then report_outcome. */
function sessionTurns(): WireReply[] {
  const steps: Array<(i: number) => WireToolCall> = [
    (i) => ({ id: `t${i}`, name: 'Bash', arguments: { command: 'seq 1 6000' } }),
    (i) => ({ id: `t${i}`, name: 'Read', arguments: { file_path: 'src/big.ts' } }),
    (i) => ({ id: `t${i}`, name: 'Grep', arguments: { pattern: 'value', path: 'src' } }),
    (i) => ({ id: `t${i}`, name: 'Edit', arguments: { file_path: 'src/big.ts', old_string: `export const value${i} = ${i};`, new_string: `export const value${i} = ${i * 2};` } }),
  ];
  const replies: WireReply[] = [];
  for (let i = 1; i < TURNS; i++) replies.push({ turn: { text: `Step ${i}.`, tool_calls: [steps[i % steps.length]!(i)], usage: { input: 1, output: 40 } } });
  replies.push({ turn: { text: 'Done.', tool_calls: [{ id: 'done', name: 'report_outcome', arguments: { status: 'success', notes: 'finished' } }], usage: { input: 1, output: 20 } } });
  return replies;
}

async function runSession(truncate: boolean): Promise<{ sizes: number[]; share: number; status: string }> {
  const root = mkdtempSync(join(tmpdir(), 'spec-factory-agent-bench-'));
  const server = await startWireServer();
  try {
    const work = join(root, 'work');
    mkdirSync(join(work, 'src'), { recursive: true });
    writeFileSync(join(work, 'src', 'big.ts'), Array.from({ length: 3000 }, (_, i) => `export const value${i} = ${i};`).join('\n') + '\n');
    mkdirSync(join(root, 'logs', 'code'), { recursive: true });
    server.push(...sessionTurns());
    const provider = createAnthropicProvider({ apiKey: 'bench-key', baseURL: server.url, stream: true });
    const backend = createAgentBackend({
      providerFor: () => ({ provider, model: 'claude-opus-4-6' }),
      workdir: work,
      env: { PATH: process.env.PATH },
      clock: () => Date.parse('2026-01-01T00:00:00Z'),
      costOf: () => null,
      ...(truncate ? {} : { outputLimits: { read_file: UNLIMITED, shell: UNLIMITED, grep: UNLIMITED, glob: UNLIMITED, edit_file: UNLIMITED, write_file: UNLIMITED } }),
    });
    const node = { id: 'code', attrs: { shape: 'box', prompt: 'Double every value' }, classes: [] };
    const graph: Graph = { name: 'bench', attrs: { goal: 'double the values' }, nodes: new Map([[node.id, node]]), edges: [] };
    const outcome = await backend.run({
      node,
      prompt: 'Double every value',
      context: new Context({ 'run.id': 'bench' }),
      graph,
      logsRoot: join(root, 'logs'),
      stageDir: join(root, 'logs', 'code'),
      fidelity: 'compact',
      history: { completed_nodes: [], node_outcomes: {} },
      signal: new AbortController().signal,
      emit: () => undefined,
    });
    const bodies = server.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body as Record<string, unknown>);
    let read = 0;
    let total = 0;
    let previous: Block[] | undefined;
    for (const body of bodies) {
      const blocks = blocksOf(body);
      read += cachedTokens(previous, blocks);
      total += blocks.reduce((sum, block) => sum + block.tokens, 0);
      previous = blocks;
    }
    return { sizes: bodies.map((body) => JSON.stringify(body).length), share: total ? read / total : 0, status: outcome.status };
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const truncated = await runSession(true);
const untruncated = await runSession(false);
if (truncated.status !== 'success' || truncated.sizes.length !== TURNS) throw new Error(`session ended ${truncated.status} after ${truncated.sizes.length} requests`);
note(`${TURNS} requests per session; cache share ${(truncated.share * 100).toFixed(1)} % with truncation, ${(untruncated.share * 100).toFixed(1)} % without`);

const growth = (sizes: number[]) => (sizes[sizes.length - 1]! - sizes[0]!) / (sizes.length - 1);
emit({ bench: BENCH, metric: 'cache_read_share', value: truncated.share * 100, unit: '%' });
emit({ bench: BENCH, metric: 'cache_read_share_untruncated', value: untruncated.share * 100, unit: '%' });
emitRatio(BENCH, 'request_growth_per_turn', growth(truncated.sizes), growth(untruncated.sizes), 'bytes/turn');
emitRatio(BENCH, 'last_request_size', truncated.sizes.at(-1)!, untruncated.sizes.at(-1)!, 'bytes');
emit({ bench: BENCH, metric: 'first_request_size', value: truncated.sizes[0]!, unit: 'bytes' });
