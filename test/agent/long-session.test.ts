// The endurance acceptance tests (issue 14), through the real CLI and the real SDKs against a twin
// that enforces a 16,000-token window: compaction before an overflow (window from --catalog),
// recovery from the provider's overflow error (known model, larger catalog window), the USD budget
// refusing an unpriced model, max_turns, and a steering file.
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUMMARY_HEADING } from '../../core/agent/loop/compaction.ts';
import { readLines, tempDirs } from '../cli/helpers.ts';
import { LONG_GRAPH, longSession, runCliAsync, writeNotes } from '../support/long-session.ts';
import { startWindowedTwin, type WindowedTwin } from '../support/windowed-twin.ts';

const WINDOW = 16_000;
const TURNS = 60;
const dirs = tempDirs();
let twin: WindowedTwin | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});
afterAll(() => dirs.removeAll());

type Api = 'anthropic' | 'openai';

interface Event {
  type: string;
  node_id?: string;
  before_tokens?: number;
  after_tokens?: number;
  turns_removed?: number;
  content?: string;
  context_percent?: number;
}

function envFor(api: Api, target: WindowedTwin): NodeJS.ProcessEnv {
  return api === 'anthropic'
    ? { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: target.url, OPENAI_API_KEY: '' }
    : { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: target.openaiBaseURL, ANTHROPIC_API_KEY: '' };
}

function workspace(turns: number): { dir: string; graph: string; logs: string; events: string } {
  const dir = dirs.make();
  writeNotes(dir, turns);
  const graph = join(dir, 'long.dot');
  writeFileSync(graph, LONG_GRAPH);
  return { dir, graph, logs: join(dir, 'logs'), events: join(dir, 'events.jsonl') };
}

function catalogFile(dir: string, key: string, entry: Record<string, unknown>): string {
  const path = join(dir, 'catalog.json');
  writeFileSync(path, JSON.stringify({ models: { [key]: entry } }));
  return path;
}

function events(path: string): Event[] {
  return readLines(path).map((line) => JSON.parse(line) as Event);
}

const TWIN_MODELS: Record<Api, { small: string; known: string }> = {
  anthropic: { small: 'anthropic/claude-twin-16k', known: 'anthropic/claude-sonnet-4-6' },
  openai: { small: 'openai/gpt-twin-16k', known: 'openai/gpt-5.2' },
};

describe.each<Api>(['anthropic', 'openai'])('a 60-turn session against a 16,000-token %s twin', (api) => {
  it('compacts before any overflow when --catalog declares the small window, and succeeds', async () => {
    const session = longSession(TURNS);
    twin = await startWindowedTwin({ window: WINDOW, respond: (request) => session.respond(request) });
    const ws = workspace(TURNS);
    const model = TWIN_MODELS[api].small;
    const catalog = catalogFile(ws.dir, model, { context_window: WINDOW, max_output: 4096, usd_per_mtok: { input: 3, output: 15 } });
    const run = await runCliAsync(['run', ws.graph, '--logs', ws.logs, '--workdir', ws.dir, '--model', model, '--catalog', catalog, '--events', ws.events, '--json'], { cwd: ws.dir, env: envFor(api, twin) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'success' });
    expect(session.workTurns()).toBe(TURNS + 1);
    expect(twin.overflows()).toBe(0);

    const compacted = events(ws.events).filter((e) => e.type === 'context_compacted');
    expect(compacted.length).toBeGreaterThanOrEqual(1);
    for (const event of compacted) {
      expect(event.after_tokens!).toBeLessThan(event.before_tokens!);
      expect(event.turns_removed!).toBeGreaterThan(0);
    }
    // The summary replaces the older turns: the request after the first compaction carries it.
    const first = twin.answered.findIndex((request) => request.text.includes('SUMMARY-1:'));
    expect(first).toBeGreaterThan(0);
    expect(twin.answered[first]!.text).toContain(SUMMARY_HEADING);
    expect(twin.answered.every((request) => request.tokens <= WINDOW)).toBe(true);
    // The progress shows the context in use.
    expect(events(ws.events).some((e) => e.type === 'agent_turn' && typeof e.context_percent === 'number' && e.context_percent > 50)).toBe(true);
  }, 120_000);

  it('recovers from the provider\'s overflow error for a known model whose catalog window is larger', async () => {
    const session = longSession(TURNS);
    twin = await startWindowedTwin({ window: WINDOW, respond: (request) => session.respond(request) });
    const ws = workspace(TURNS);
    const run = await runCliAsync(['run', ws.graph, '--logs', ws.logs, '--workdir', ws.dir, '--model', TWIN_MODELS[api].known, '--events', ws.events, '--json'], { cwd: ws.dir, env: envFor(api, twin) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'success' });
    expect(twin.overflows()).toBeGreaterThanOrEqual(1);
    expect(events(ws.events).filter((e) => e.type === 'context_compacted').length).toBeGreaterThanOrEqual(1);
    const first = twin.answered.findIndex((request) => request.text.includes('SUMMARY-1:'));
    expect(first).toBeGreaterThan(0);
  }, 120_000);
});

describe('the USD budget and the model catalog', () => {
  it('refuses a model missing from the catalog with --max-usd before any request, naming the model and the key', async () => {
    const session = longSession(2);
    twin = await startWindowedTwin({ window: WINDOW, respond: (request) => session.respond(request) });
    const ws = workspace(2);
    const run = await runCliAsync(['run', ws.graph, '--logs', ws.logs, '--workdir', ws.dir, '--model', 'anthropic/claude-unknown-9', '--max-usd', '5'], { cwd: ws.dir, env: envFor('anthropic', twin) });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('anthropic/claude-unknown-9');
    expect(run.stderr).toContain('models."anthropic/claude-unknown-9".usd_per_mtok');
    expect(run.stderr).toContain('--catalog');
    expect(twin.requests).toHaveLength(0);
  }, 60_000);

  it('runs the same model once --catalog prices it, and reports a cost', async () => {
    const session = longSession(2);
    twin = await startWindowedTwin({ window: WINDOW, respond: (request) => session.respond(request) });
    const ws = workspace(2);
    const catalog = catalogFile(ws.dir, 'anthropic/claude-unknown-9', { usd_per_mtok: { input: 3, output: 15 } });
    const run = await runCliAsync(['run', ws.graph, '--logs', ws.logs, '--workdir', ws.dir, '--model', 'anthropic/claude-unknown-9', '--max-usd', '5', '--catalog', catalog, '--json'], { cwd: ws.dir, env: envFor('anthropic', twin) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { status: string; cost_usd: number; usage: { input_tokens: number; output_tokens: number } };
    expect(result.status).toBe('success');
    expect(result.cost_usd).toBeCloseTo((result.usage.input_tokens * 3 + result.usage.output_tokens * 15) / 1e6, 10);
    expect(result.cost_usd).toBeGreaterThan(0);
  }, 60_000);

  it('stops at --max-tokens for a model the catalog does not price', async () => {
    const session = longSession(30);
    twin = await startWindowedTwin({ window: WINDOW, respond: (request) => session.respond(request) });
    const ws = workspace(30);
    const run = await runCliAsync(['run', ws.graph, '--logs', ws.logs, '--workdir', ws.dir, '--model', 'anthropic/claude-unknown-9', '--max-tokens', '20000', '--json'], { cwd: ws.dir, env: envFor('anthropic', twin) });
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout) as { status: string; failure_reason: string };
    expect(result.failure_reason).toMatch(/budget exhausted: spent \d+ tokens of 20000/);
    expect(session.workTurns()).toBeLessThan(30);
  }, 60_000);
});

describe('session limits and steering', () => {
  it('max_turns: 5 on a node ends a looping session after five turns with a recorded reason', async () => {
    const session = longSession(1000);
    twin = await startWindowedTwin({ window: 1_000_000, respond: (request) => session.respond(request) });
    const ws = workspace(10);
    writeFileSync(ws.graph, LONG_GRAPH.replace('work [prompt=', 'work [max_turns=5, prompt='));
    const run = await runCliAsync(['run', ws.graph, '--logs', ws.logs, '--workdir', ws.dir, '--model', 'anthropic/claude-sonnet-4-6', '--events', ws.events, '--json'], { cwd: ws.dir, env: envFor('anthropic', twin) });
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout) as { node_outcomes: Record<string, { status: string; failure_reason?: string }> };
    expect(result.node_outcomes.work).toMatchObject({ status: 'fail' });
    expect(result.node_outcomes.work!.failure_reason).toContain('turn limit of 5 reached (max_turns)');
    expect(twin.answered).toHaveLength(5);
    expect(events(ws.events).filter((e) => e.type === 'agent_turn')).toHaveLength(5);
  }, 60_000);

  it('a line appended to the --steer file mid-run reaches the model in the next request', async () => {
    let steerFile = '';
    const session = longSession(6, (turn) => {
      if (turn === 3) appendFileSync(steerFile, 'STEER: keep the changes small\n');
    });
    twin = await startWindowedTwin({ window: 1_000_000, respond: (request) => session.respond(request) });
    const ws = workspace(6);
    steerFile = join(ws.dir, 'steer.txt');
    writeFileSync(steerFile, 'an old line, written before the run\n');
    const run = await runCliAsync(['run', ws.graph, '--logs', ws.logs, '--workdir', ws.dir, '--model', 'anthropic/claude-sonnet-4-6', '--steer', steerFile, '--events', ws.events, '--json'], { cwd: ws.dir, env: envFor('anthropic', twin) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const texts = twin.answered.map((request) => request.text);
    expect(texts[2]).not.toContain('STEER: keep the changes small');
    expect(texts[3]).toContain('STEER: keep the changes small');
    expect(texts.some((text) => text.includes('an old line'))).toBe(false);
    expect(events(ws.events).filter((e) => e.type === 'steering_injected').map((e) => e.content)).toEqual(['STEER: keep the changes small']);
    expect(readFileSync(steerFile, 'utf8')).toContain('STEER');
  }, 60_000);
});
