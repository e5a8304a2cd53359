import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { Context } from '../../../core/engine/context.ts';
import { ConditionalHandler } from '../../../core/engine/handlers/conditional.ts';
import { ExitHandler } from '../../../core/engine/handlers/exit.ts';
import { StartHandler } from '../../../core/engine/handlers/start.ts';
import { buildGraph } from '../../support/graph-builder.ts';
import { stageInput, tempDir } from './stage-input.ts';

const root = tempDir();
afterAll(() => rmSync(root, { recursive: true, force: true }));

const graph = buildGraph({
  nodes: { start: { shape: 'Mdiamond' }, check: { shape: 'diamond' }, exit: { shape: 'Msquare' } },
  edges: [['start', 'check'], ['check', 'exit']],
});

describe('start and exit handlers (§11.6)', () => {
  it('start returns success without doing anything', async () => {
    const { input, events } = stageInput(graph, 'start', { root, context: new Context({ outcome: 'fail' }) });
    expect(await new StartHandler().execute()).toEqual({ status: 'success' });
    expect(events).toEqual([]);
    expect(input.context.get('outcome')).toBe('fail');
  });

  it('exit returns success (goal gates are the executor’s job)', async () => {
    expect(await new ExitHandler().execute()).toEqual({ status: 'success' });
  });
});

describe('conditional handler', () => {
  it('engine.md decision 2: a conditional node passes the incoming outcome through', async () => {
    const context = new Context({ outcome: 'fail', preferred_label: 'Fix' });
    const { input } = stageInput(graph, 'check', { root, context });
    expect(await new ConditionalHandler().execute(input)).toEqual({
      status: 'fail',
      preferred_label: 'Fix',
      notes: 'Conditional node evaluated: check',
    });
  });

  it('passes partial_success through and omits an empty preferred label', async () => {
    const { input } = stageInput(graph, 'check', { root, context: new Context({ outcome: 'partial_success', preferred_label: '' }) });
    expect(await new ConditionalHandler().execute(input)).toEqual({ status: 'partial_success', notes: 'Conditional node evaluated: check' });
  });

  it('reports success when nothing ran before it', async () => {
    const { input } = stageInput(graph, 'check', { root });
    const outcome = await new ConditionalHandler().execute(input);
    expect(outcome.status).toBe('success');
    expect(outcome.preferred_label).toBeUndefined();
  });
});
