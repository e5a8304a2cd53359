// The coding agent at depth (issue 15): (1) a scripted turn of four 500 ms tool calls run in
// parallel vs one after another (target ≤ 0.35×); (2) the fixed prompt each request of the demo's
// recorded sessions (examples/recordings) carries — system prompt layers and tool definitions —
// per stage, with the new prompts vs the previous five-line ones; (3) judge cost per trial on the
// example's holdouts, tiered (a small first model, escalation of fails and a seeded 10 % sample to a
// frontier model) vs one frontier judge.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseInstructions } from '../core/agent/backend/base-instructions.ts';
import { ExecutionEnvironment } from '../core/agent/env/environment.ts';
import { modelCatalog } from '../core/agent/llm/catalog.ts';
import { estimateTokens } from '../core/agent/llm/scripted.ts';
import type { LlmProvider, LlmRequest, LlmResponse } from '../core/agent/llm/types.ts';
import { Session } from '../core/agent/loop/session.ts';
import { subagentTools, Subagents } from '../core/agent/subagents/subagents.ts';
import { toolSetFor } from '../core/agent/tools/tool-set.ts';
import { toolDefinition, type Tool } from '../core/agent/tools/tool.ts';
import { JUDGE_SYSTEM, judgePrompt, VERDICT_FORMAT } from '../core/validation/judge.ts';
import { loadScenarioDirectory } from '../core/validation/scenarios.ts';
import { escalationFor } from '../core/validation/tiered-judge.ts';
import { seededRandom, seedFrom } from '../core/validation/variations.ts';
import { emit, emitRatio, note } from './support/report.ts';

const BENCH = 'agent-depth';
const ROOT = new URL('..', import.meta.url).pathname;

// ---------- (1) parallel tool calls ----------

function fourSleeps(): LlmProvider {
  let turn = 0;
  return {
    name: 'bench',
    async complete(request: LlmRequest): Promise<LlmResponse> {
      const first = turn++ % 2 === 0;
      const content = first
        ? [0, 1, 2, 3].map((i) => ({ type: 'tool_call' as const, id: `s${i}`, name: 'shell', arguments: { command: 'sleep 0.5' } }))
        : [{ type: 'text' as const, text: 'done' }];
      return { message: { role: 'assistant', content }, finish_reason: first ? 'tool_calls' : 'stop', usage: { input_tokens: 1, output_tokens: 1 }, provider: 'bench', model: request.model };
    },
  };
}

async function turnWallMs(concurrency: number, root: string): Promise<number> {
  const env = new ExecutionEnvironment({ root, env: { PATH: process.env.PATH } });
  const session = new Session({ provider: fourSleeps(), model: 'm', system: 's', tools: toolSetFor('portable'), env, toolConcurrency: concurrency });
  const started = performance.now();
  await session.run('go');
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function parallelCalls(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'agent-depth-'));
  try {
    await turnWallMs(4, root); // warm-up
    const parallel: number[] = [];
    const sequential: number[] = [];
    for (let i = 0; i < 5; i++) {
      parallel.push(await turnWallMs(4, root));
      sequential.push(await turnWallMs(1, root));
    }
    emitRatio(BENCH, 'four 500 ms tool calls in one turn: parallel (4) vs sequential', median(parallel), median(sequential), 'ms');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// ---------- (2) prompt tokens per stage of the recorded sessions ----------

/** The base instructions before issue 15 (portable family, the one the recordings replay with). */
const PREVIOUS_PORTABLE_BASE = [
  'You are a coding agent working inside one checkout of a repository, as one stage of a larger pipeline.',
  'Work only inside the working directory. Read before you edit; keep changes focused on the stage task.',
  'Run the project checks that apply before you finish. Do not ask questions: nobody will answer.',
  'When the stage is done (or cannot be done), call report_outcome exactly once with an honest status.',
  'Tools: read_file, write_file, edit_file (exact old_string → new_string), shell, grep, glob. Prefer edit_file for small changes.',
].join('\n');

function fixedTokens(base: string, tools: Tool[]): number {
  return estimateTokens(base) + estimateTokens(JSON.stringify(tools.map(toolDefinition)));
}

function promptTokens(): void {
  const script = JSON.parse(readFileSync(join(ROOT, 'examples', 'recordings', 'factory.script.json'), 'utf8')) as { stages: Record<string, unknown[]> };
  const portable = toolSetFor('portable');
  const subagents = subagentTools(new Subagents({ createSession: () => { throw new Error('not in the bench'); }, limits: () => ({}) }));
  const before = fixedTokens(PREVIOUS_PORTABLE_BASE, portable);
  const after = fixedTokens(baseInstructions('portable', { subagents: true }), [...portable, ...subagents]);
  let totalBefore = 0;
  let totalAfter = 0;
  for (const [stage, turns] of Object.entries(script.stages)) {
    // Every request of a stage resends the system prompt and the tool definitions.
    totalBefore += before * turns.length;
    totalAfter += after * turns.length;
    emitRatio(BENCH, `recorded stage ${stage} (${turns.length} requests): system prompt + tool tokens, new vs previous prompts`, after * turns.length, before * turns.length, 'tokens');
  }
  emitRatio(BENCH, 'recorded sessions, all stages: system prompt + tool tokens, new vs previous prompts', totalAfter, totalBefore, 'tokens');
  for (const family of ['anthropic', 'openai', 'gemini'] as const) {
    emit({ bench: BENCH, metric: `base instructions + tools per request, ${family} family`, value: fixedTokens(baseInstructions(family, { subagents: true }), [...toolSetFor(family), ...subagents]), unit: 'tokens' });
  }
}

// ---------- (3) judge cost per trial ----------

const FIRST = { provider: 'gemini', model: 'gemini-2.5-flash-lite' };
const FRONTIER = { provider: 'anthropic', model: 'claude-opus-4-6' };
/** A verdict of one or two sentences per criterion. */
const VERDICT_OUTPUT_TOKENS_PER_CRITERION = 45;

function judgeCost(): void {
  const set = loadScenarioDirectory(join(ROOT, 'examples', 'linkshort-holdouts', 'scenarios'));
  const trialsPer = 2; // examples/linkshort/.github/factory.yml validation.trials
  let frontier = 0;
  let tiered = 0;
  let trials = 0;
  let escalated = 0;
  for (const { scenario } of set.scenarios) {
    const input = estimateTokens(JUDGE_SYSTEM) + estimateTokens(judgePrompt({ scenario, variations: {}, interactions: [], checks: [], agentSummary: '' })) + estimateTokens(JSON.stringify(VERDICT_FORMAT.schema));
    const usage = { input_tokens: input, output_tokens: VERDICT_OUTPUT_TOKENS_PER_CRITERION * scenario.rubric.length };
    const big = modelCatalog().costOf(FRONTIER.provider, FRONTIER.model, usage)!;
    const small = modelCatalog().costOf(FIRST.provider, FIRST.model, usage)!;
    for (let trial = 0; trial < (scenario.trials ?? trialsPer); trial++) {
      trials++;
      frontier += big;
      // The demo's holdouts all pass, so only the seeded sample escalates (as `factory validate` draws it).
      const draw = seededRandom(seedFrom(set.hash, scenario.id, trial, 'judge-sample'))();
      const reason = escalationFor({ criteria: [], score: 1, pass: true }, { escalateWhen: ['fail', 'uncertain'], sample: 0.1, costOf: () => 0 }, draw);
      tiered += small + (reason ? big : 0);
      if (reason) escalated++;
    }
  }
  note(`${BENCH}: ${trials} trials, ${escalated} escalated by the seeded 10 % sample; prompts without the recorded interactions (the same for both)`);
  emitRatio(BENCH, `judge cost per trial on the example's holdouts: tiered (${FIRST.model} → ${FRONTIER.model}) vs ${FRONTIER.model} alone`, tiered / trials, frontier / trials, 'USD');
}

await parallelCalls();
promptTokens();
judgeCost();
