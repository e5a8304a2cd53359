// Context management over a long session: a 200-turn scripted coding session (each tool result
// ≈ 1,500 tokens) through the coding agent and the real Anthropic SDK against a wire twin that
// enforces a 16,000-token window. Figures: total input tokens and wall time with compaction, the
// compactions it took, and the turn at which the same session fails without compaction (measured
// against the same twin with an unbounded window: the first request over 16,000 tokens).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentBackend } from '../core/agent/backend/agent-backend.ts';
import { createAnthropicProvider } from '../core/agent/llm/anthropic.ts';
import { modelCatalog } from '../core/agent/llm/catalog.ts';
import { Context } from '../core/engine/context.ts';
import type { EventInput } from '../core/engine/events.ts';
import type { Graph } from '../core/engine/graph.ts';
import { isCompactionRequest, longSession, writeNotes } from '../test/support/long-session.ts';
import { startWindowedTwin } from '../test/support/windowed-twin.ts';
import { emit, note } from './support/report.ts';

const BENCH = 'context';
const TURNS = 200;
const WINDOW = 16_000;
const MODEL = 'claude-twin-16k';

async function session(window: number, turns: number, catalogWindow: number | undefined) {
  const root = mkdtempSync(join(tmpdir(), 'spec-factory-context-bench-'));
  const script = longSession(turns);
  const twin = await startWindowedTwin({ window, respond: (request) => script.respond(request) });
  try {
    const work = join(root, 'work');
    writeNotes(work, turns);
    mkdirSync(join(root, 'logs', 'work'), { recursive: true });
    const provider = createAnthropicProvider({ apiKey: 'bench-key', baseURL: twin.url, stream: true });
    const catalog = modelCatalog({ models: { [`anthropic/${MODEL}`]: { ...(catalogWindow ? { context_window: catalogWindow } : {}), usd_per_mtok: { input: 3, output: 15 } } } });
    const backend = createAgentBackend({ providerFor: () => ({ provider, model: MODEL }), workdir: work, env: { PATH: process.env.PATH }, catalog, maxToolCalls: turns + 10, maxToolRoundsPerInput: turns + 10 });
    const node = { id: 'work', attrs: { shape: 'box', prompt: 'Read the notes one by one, then report success.' }, classes: [] };
    const graph: Graph = { name: 'bench', attrs: { goal: 'read every note' }, nodes: new Map([[node.id, node]]), edges: [] };
    const events: EventInput[] = [];
    const started = performance.now();
    const outcome = await backend.run({
      node, prompt: 'Read the notes', context: new Context({ 'run.id': 'bench' }), graph, logsRoot: join(root, 'logs'), stageDir: join(root, 'logs', 'work'),
      fidelity: 'compact', history: { completed_nodes: [], node_outcomes: {} }, signal: new AbortController().signal, emit: (event) => events.push(event),
    });
    const wallMs = performance.now() - started;
    const work_requests = twin.answered.filter((request) => !isCompactionRequest(request));
    return {
      status: outcome.status,
      wallMs,
      inputTokens: twin.answered.reduce((sum, request) => sum + request.tokens, 0),
      compactions: events.filter((event) => event.type === 'context_compacted').length,
      overflows: twin.overflows(),
      workTurns: script.workTurns(),
      maxRequest: Math.max(...work_requests.map((request) => request.tokens)),
      firstOver: work_requests.findIndex((request) => request.tokens > WINDOW) + 1,
    };
  } finally {
    await twin.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const compacted = await session(WINDOW, TURNS, WINDOW);
if (compacted.status !== 'success' || compacted.workTurns !== TURNS + 1) throw new Error(`the compacted session ended ${compacted.status} after ${compacted.workTurns} turns`);
// Without compaction: the same turns against an unbounded twin (no window in the catalog, nothing
// compacts); the first request over 16,000 tokens is where the real API would have refused it.
const unbounded = await session(Number.MAX_SAFE_INTEGER, 40, undefined);
if (unbounded.firstOver === 0) throw new Error('the uncompacted session never passed the window in 40 turns');
note(`${TURNS} turns: ${compacted.compactions} compactions, ${compacted.overflows} overflow errors, largest request ${compacted.maxRequest} tokens; without compaction turn ${unbounded.firstOver} passes ${WINDOW} tokens`);

emit({ bench: BENCH, metric: 'input_tokens_with_compaction', value: compacted.inputTokens, unit: 'tokens' });
emit({ bench: BENCH, metric: 'wall_time_with_compaction', value: compacted.wallMs, unit: 'ms' });
emit({ bench: BENCH, metric: 'compactions', value: compacted.compactions, unit: 'count' });
emit({ bench: BENCH, metric: 'overflow_errors_with_compaction', value: compacted.overflows, unit: 'count' });
emit({ bench: BENCH, metric: 'largest_request_with_compaction', value: compacted.maxRequest, unit: 'tokens' });
emit({ bench: BENCH, metric: 'failing_turn_without_compaction', value: unbounded.firstOver, unit: 'turn' });
