import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodergenBackend, CodergenRequest } from '../../../core/engine/backend.ts';
import { Context } from '../../../core/engine/context.ts';
import type { Attrs } from '../../../core/engine/graph.ts';
import { CodergenHandler } from '../../../core/engine/handlers/codergen.ts';
import type { Outcome } from '../../../core/engine/outcome.ts';
import { buildGraph } from '../../support/graph-builder.ts';
import { stageInput, tempDir } from './stage-input.ts';

const root = tempDir('codergen-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function graphWith(attrs: Attrs) {
  return buildGraph({ attrs: { goal: 'ship the parser' }, nodes: { plan: attrs } });
}

function recordingBackend(reply: (request: CodergenRequest) => string | Outcome): CodergenBackend & { requests: CodergenRequest[] } {
  const requests: CodergenRequest[] = [];
  return {
    requests,
    run: async (request) => {
      requests.push(request);
      return reply(request);
    },
  };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('codergen handler (§4.5, §11.6)', () => {
  it('expands $goal, writes prompt.md and response.md, and hands the backend the stage request', async () => {
    const backend = recordingBackend(() => 'Plan: write the tokenizer first.');
    const context = new Context({ x: 1 });
    const { input } = stageInput(graphWith({ prompt: 'Plan how to $goal. Then $goal.' }), 'plan', { root, context, services: { backend } });
    input.fidelity = 'full';
    input.threadKey = 'main';

    const outcome = await new CodergenHandler().execute(input);

    expect(read(input.stageDir, 'prompt.md')).toBe('Plan how to ship the parser. Then ship the parser.');
    expect(read(input.stageDir, 'response.md')).toBe('Plan: write the tokenizer first.');
    expect(outcome).toEqual({
      status: 'success',
      notes: 'Stage completed: plan',
      context_updates: { last_stage: 'plan', last_response: 'Plan: write the tokenizer first.' },
    });
    const [request] = backend.requests;
    expect(request).toMatchObject({
      prompt: 'Plan how to ship the parser. Then ship the parser.',
      stageDir: input.stageDir,
      logsRoot: input.logsRoot,
      fidelity: 'full',
      threadKey: 'main',
      signal: input.signal,
    });
    expect(request!.node.id).toBe('plan');
    expect(request!.context).toBe(context);
    expect(request!.graph).toBe(input.graph);
    expect(request!.history).toBe(input.history);
  });

  it('keeps only the first 200 characters of the response in the context', async () => {
    const long = 'a'.repeat(150) + 'b'.repeat(150);
    const { input } = stageInput(graphWith({ prompt: 'p' }), 'plan', { root, services: { backend: recordingBackend(() => long) } });
    const outcome = await new CodergenHandler().execute(input);
    expect(outcome.context_updates?.last_response).toBe('a'.repeat(150) + 'b'.repeat(50));
    expect(read(input.stageDir, 'response.md')).toBe(long);
  });

  it.each([
    [{ label: 'Plan for $goal' }, 'Plan for ship the parser'],
    [{}, 'plan'],
  ])('falls back from prompt to label to node id (%j)', async (attrs, expected) => {
    const backend = recordingBackend(() => 'ok');
    const { input } = stageInput(graphWith(attrs), 'plan', { root, services: { backend } });
    await new CodergenHandler().execute(input);
    expect(backend.requests[0]!.prompt).toBe(expected);
  });

  it('simulates a response when no backend is configured', async () => {
    const { input } = stageInput(graphWith({ prompt: 'p' }), 'plan', { root });
    const outcome = await new CodergenHandler().execute(input);
    expect(read(input.stageDir, 'response.md')).toBe('[Simulated] Response for stage: plan');
    expect(outcome).toMatchObject({ status: 'success', context_updates: { last_stage: 'plan', last_response: '[Simulated] Response for stage: plan' } });
  });

  it('returns an Outcome from the backend as is, with last_stage added and its notes as the response', async () => {
    const reply: Outcome = {
      status: 'fail',
      failure_reason: 'tests failed',
      notes: 'ran the suite',
      preferred_label: 'Fix',
      context_updates: { tests_passed: false },
      usage: { input_tokens: 10, output_tokens: 5 },
      cost_usd: 0.25,
    };
    const { input } = stageInput(graphWith({ prompt: 'p' }), 'plan', { root, services: { backend: recordingBackend(() => reply) } });
    const outcome = await new CodergenHandler().execute(input);
    expect(outcome).toEqual({ ...reply, context_updates: { tests_passed: false, last_stage: 'plan' } });
    expect(reply.context_updates).toEqual({ tests_passed: false });
    expect(read(input.stageDir, 'response.md')).toBe('ran the suite');
  });

  it('keeps a response.md the backend wrote itself', async () => {
    const backend = recordingBackend((request) => {
      writeFileSync(join(request.stageDir, 'response.md'), 'full transcript');
      return { status: 'success', notes: 'short' };
    });
    const { input } = stageInput(graphWith({ prompt: 'p' }), 'plan', { root, services: { backend } });
    await new CodergenHandler().execute(input);
    expect(read(input.stageDir, 'response.md')).toBe('full transcript');
  });

  it('uses a status.json the agent wrote during the stage', async () => {
    const backend = recordingBackend((request) => {
      writeFileSync(
        join(request.stageDir, 'status.json'),
        JSON.stringify({ outcome: 'retry', preferred_label: 'Again', context_updates: { attempts: 2 }, notes: 'not yet' }),
      );
      return 'done, see status';
    });
    const { input } = stageInput(graphWith({ prompt: 'p' }), 'plan', { root, services: { backend } });
    const outcome = await new CodergenHandler().execute(input);
    expect(outcome).toEqual({
      status: 'retry',
      preferred_label: 'Again',
      notes: 'not yet',
      context_updates: { last_stage: 'plan', last_response: 'done, see status', attempts: 2 },
    });
  });

  it('deletes a stale status.json before calling the backend', async () => {
    let seenBeforeRun = true;
    const backend = recordingBackend((request) => {
      seenBeforeRun = existsSync(join(request.stageDir, 'status.json'));
      return 'fresh';
    });
    const { input } = stageInput(graphWith({ prompt: 'p' }), 'plan', { root, services: { backend } });
    writeFileSync(join(input.stageDir, 'status.json'), '{"outcome":"fail"}');
    const outcome = await new CodergenHandler().execute(input);
    expect(seenBeforeRun).toBe(false);
    expect(outcome.status).toBe('success');
  });

  it('fails with the file and the problem when the agent wrote an invalid status.json', async () => {
    const backend = recordingBackend((request) => {
      writeFileSync(join(request.stageDir, 'status.json'), '{"outcome":"done"}');
      return 'ok';
    });
    const { input } = stageInput(graphWith({ prompt: 'p' }), 'plan', { root, services: { backend } });
    const outcome = await new CodergenHandler().execute(input);
    expect(outcome.status).toBe('fail');
    expect(outcome.failure_reason).toContain(join(input.stageDir, 'status.json'));
    expect(outcome.failure_reason).toMatch(/outcome/);
  });

  it('synthesizes the auto-status success when auto_status is set and no status.json was written', async () => {
    const { input } = stageInput(graphWith({ prompt: 'p', auto_status: true }), 'plan', { root, services: { backend: recordingBackend(() => 'ok') } });
    const outcome = await new CodergenHandler().execute(input);
    expect(outcome).toMatchObject({ status: 'success', notes: 'auto-status: handler completed without writing status' });
    expect(outcome.context_updates).toEqual({ last_stage: 'plan', last_response: 'ok' });
  });

  it('lets backend exceptions propagate to the executor’s retry policy', async () => {
    const backend: CodergenBackend = { run: async () => Promise.reject(new Error('rate limited')) };
    const { input } = stageInput(graphWith({ prompt: 'p' }), 'plan', { root, services: { backend } });
    await expect(new CodergenHandler().execute(input)).rejects.toThrow('rate limited');
    expect(read(input.stageDir, 'prompt.md')).toBe('p');
  });
});

describe('the manager loop\'s steering, read by the child stage it steers (§4.11)', () => {
  it('the next attempt of the steered stage gets the message in its prompt, once', async () => {
    const backend = recordingBackend(() => 'ok');
    const { input } = stageInput(graphWith({ prompt: 'Build it.' }), 'plan', { root, services: { backend } });
    writeFileSync(join(input.stageDir, 'steering.md'), 'Stop retrying the same fix; read the failing test first.\n');
    await new CodergenHandler().execute(input);
    expect(backend.requests[0]!.prompt).toBe('Build it.\n\n## Steering from the supervisor\n\nStop retrying the same fix; read the failing test first.\n');
    expect(read(input.stageDir, 'prompt.md')).toContain('read the failing test first');
    expect(existsSync(join(input.stageDir, 'steering.md'))).toBe(false);
    expect(read(input.stageDir, 'steering.read.md')).toBe('Stop retrying the same fix; read the failing test first.\n');
    await new CodergenHandler().execute(input);
    expect(backend.requests[1]!.prompt).toBe('Build it.');
  });
});
