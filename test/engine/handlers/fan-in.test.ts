import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CodergenBackend, CodergenRequest } from '../../../core/engine/backend.ts';
import { Context } from '../../../core/engine/context.ts';
import type { Attrs } from '../../../core/engine/graph.ts';
import { FanInHandler, heuristicSelect } from '../../../core/engine/handlers/fan-in.ts';
import type { ParallelBranchRecord } from '../../../core/engine/handlers/parallel-results.ts';
import type { Outcome } from '../../../core/engine/outcome.ts';
import { buildGraph } from '../../support/graph-builder.ts';
import { stageInput, tempDir } from './stage-input.ts';

const root = tempDir('fan-in-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const candidates: ParallelBranchRecord[] = [
  { id: 'quick', status: 'partial_success', score: 0.9, completed_nodes: ['quick'] },
  { id: 'careful', status: 'success', score: 0.7, notes: 'all tests pass', completed_nodes: ['careful'] },
  { id: 'bold', status: 'success', score: 0.8, last_response: 'rewrote it', completed_nodes: ['bold'] },
  { id: 'broken', status: 'fail', failure_reason: 'does not compile', completed_nodes: ['broken'] },
];

function fanIn(attrs: Attrs, results: unknown, backend?: CodergenBackend) {
  const graph = buildGraph({ attrs: { goal: 'a faster parser' }, nodes: { join: { shape: 'tripleoctagon', ...attrs } } });
  return stageInput(graph, 'join', { root, context: new Context({ 'parallel.results': results }), services: backend ? { backend } : {} });
}

function backendAnswering(answer: string | Outcome) {
  const requests: CodergenRequest[] = [];
  const backend: CodergenBackend = {
    run: async (request) => {
      requests.push(request);
      return answer;
    },
  };
  return { backend, requests };
}

describe('fan-in handler (§4.9)', () => {
  it('fails without parallel results', async () => {
    for (const results of [undefined, [], 'nonsense']) {
      const { input } = fanIn({}, results);
      expect(await new FanInHandler().execute(input)).toEqual({ status: 'fail', failure_reason: 'No parallel results to evaluate' });
    }
  });

  it('fails when every candidate failed', async () => {
    const { input } = fanIn({}, [candidates[3], { id: 'other', status: 'fail', completed_nodes: [] }]);
    expect(await new FanInHandler().execute(input)).toEqual({ status: 'fail', failure_reason: 'All 2 parallel candidates failed' });
  });

  it('without a prompt picks by status, then score, then id', async () => {
    const { input } = fanIn({}, candidates);
    expect(await new FanInHandler().execute(input)).toEqual({
      status: 'success',
      notes: 'Selected best candidate: bold (heuristic)',
      context_updates: { 'parallel.fan_in.best_id': 'bold', 'parallel.fan_in.best_outcome': 'success' },
    });
  });

  it('heuristic: a better status beats a higher score; equal scores fall back to the id; no score counts as 0', () => {
    expect(heuristicSelect(candidates).id).toBe('bold');
    expect(heuristicSelect([candidates[0]!, { ...candidates[1]!, score: 0.1 }]).id).toBe('careful');
    expect(heuristicSelect([{ id: 'b', status: 'success', completed_nodes: [] }, { id: 'a', status: 'success', completed_nodes: [] }]).id).toBe('a');
    expect(heuristicSelect([{ id: 'a', status: 'success', completed_nodes: [] }, { id: 'b', status: 'success', score: 0.1, completed_nodes: [] }]).id).toBe('b');
    expect(heuristicSelect([{ id: 'a', status: 'retry', completed_nodes: [] }, { id: 'b', status: 'partial_success', score: -1, completed_nodes: [] }]).id).toBe('b');
  });

  it('with a prompt asks the backend, listing the candidates, and follows a "best: <id>" line', async () => {
    const { backend, requests } = backendAnswering('The careful one is safer.\nbest: `careful`');
    const { input } = fanIn({ prompt: 'Which candidate best delivers $goal?' }, candidates, backend);
    const outcome = await new FanInHandler().execute(input);
    expect(outcome).toMatchObject({ status: 'success', notes: 'Selected best candidate: careful (ranked by the backend)', context_updates: { 'parallel.fan_in.best_id': 'careful' } });
    const prompt = requests[0]!.prompt;
    expect(prompt.startsWith('Which candidate best delivers a faster parser?\n')).toBe(true);
    for (const c of candidates) expect(prompt).toContain(`- ${c.id} (status: ${c.status}`);
    expect(prompt).toContain('notes: all tests pass');
    expect(prompt).toContain('Answer with a line "best: <candidate id>"');
    expect(readFileSync(join(input.stageDir, 'prompt.md'), 'utf8')).toBe(prompt);
    expect(readFileSync(join(input.stageDir, 'response.md'), 'utf8')).toContain('best: `careful`');
  });

  it('takes the first candidate a free-form answer mentions, ignoring ids inside other words', async () => {
    const { backend } = backendAnswering('Unlike the boldest ideas, careful work wins; bold was close.');
    const { input } = fanIn({ prompt: 'rank' }, candidates, backend);
    expect((await new FanInHandler().execute(input)).context_updates?.['parallel.fan_in.best_id']).toBe('careful');
  });

  it('accepts an Outcome naming a candidate and keeps its usage and cost', async () => {
    const { backend } = backendAnswering({ status: 'success', suggested_next_ids: ['nope', 'quick'], usage: { input_tokens: 3, output_tokens: 1 }, cost_usd: 0.01 });
    const { input } = fanIn({ prompt: 'rank' }, candidates, backend);
    const outcome = await new FanInHandler().execute(input);
    expect(outcome).toMatchObject({
      context_updates: { 'parallel.fan_in.best_id': 'quick', 'parallel.fan_in.best_outcome': 'partial_success' },
      usage: { input_tokens: 3, output_tokens: 1 },
      cost_usd: 0.01,
    });
  });

  it.each([
    ['names no candidate', 'They are all fine.'],
    ['names a failed candidate', 'best: broken'],
  ])('falls back to the heuristic with a note when the answer %s', async (_case, answer) => {
    const { backend } = backendAnswering(answer);
    const { input } = fanIn({ prompt: 'rank' }, candidates, backend);
    expect(await new FanInHandler().execute(input)).toMatchObject({
      notes: 'Selected best candidate: bold (heuristic; the backend named no successful candidate)',
      context_updates: { 'parallel.fan_in.best_id': 'bold' },
    });
  });

  it('uses the heuristic when the node has a prompt but no backend is configured', async () => {
    const { input } = fanIn({ prompt: 'rank' }, candidates);
    expect((await new FanInHandler().execute(input)).notes).toBe('Selected best candidate: bold (heuristic; no backend to rank with)');
  });
});
