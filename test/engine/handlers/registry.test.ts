import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import type { Handler, StageInput } from '../../../core/engine/handler.ts';
import { CodergenHandler } from '../../../core/engine/handlers/codergen.ts';
import { ConditionalHandler } from '../../../core/engine/handlers/conditional.ts';
import { ExitHandler } from '../../../core/engine/handlers/exit.ts';
import { FanInHandler } from '../../../core/engine/handlers/fan-in.ts';
import { createDefaultHandlers } from '../../../core/engine/handlers/index.ts';
import { ManagerLoopHandler } from '../../../core/engine/handlers/manager-loop.ts';
import { ParallelHandler } from '../../../core/engine/handlers/parallel.ts';
import { StartHandler } from '../../../core/engine/handlers/start.ts';
import { ToolHandler } from '../../../core/engine/handlers/tool.ts';
import { WaitForHumanHandler } from '../../../core/engine/handlers/wait-human.ts';
import type { Outcome } from '../../../core/engine/outcome.ts';
import { buildGraph } from '../../support/graph-builder.ts';
import { stageInput, tempDir } from './stage-input.ts';

const root = tempDir('registry-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('default handler registry (§4.2, §4.12)', () => {
  it.each([
    ['Mdiamond', 'start', StartHandler],
    ['Msquare', 'exit', ExitHandler],
    ['box', 'codergen', CodergenHandler],
    ['hexagon', 'wait.human', WaitForHumanHandler],
    ['diamond', 'conditional', ConditionalHandler],
    ['component', 'parallel', ParallelHandler],
    ['tripleoctagon', 'parallel.fan_in', FanInHandler],
    ['parallelogram', 'tool', ToolHandler],
    ['house', 'stack.manager_loop', ManagerLoopHandler],
  ])('resolves shape %s to the %s handler', (shape, type, handlerClass) => {
    const registry = createDefaultHandlers();
    const graph = buildGraph({ nodes: { n: { shape } } });
    expect(registry.typeOf(graph.nodes.get('n')!)).toBe(type);
    expect(registry.resolve(graph.nodes.get('n')!)).toBeInstanceOf(handlerClass);
  });

  it('registers exactly the nine built-in types and falls back to codergen', () => {
    const registry = createDefaultHandlers();
    expect(registry.types().sort()).toEqual(
      ['codergen', 'conditional', 'exit', 'parallel', 'parallel.fan_in', 'stack.manager_loop', 'start', 'tool', 'wait.human'].sort(),
    );
    const graph = buildGraph({ nodes: { n: { shape: 'egg' } } });
    expect(registry.resolve(graph.nodes.get('n')!)).toBeInstanceOf(CodergenHandler);
  });

  it('runs a custom handler registered by type string, and lets a registration replace a built-in', async () => {
    class EchoHandler implements Handler {
      async execute(input: StageInput): Promise<Outcome> {
        return { status: 'success', notes: `echo ${String(input.node.attrs.custom_attr)}` };
      }
    }
    const registry = createDefaultHandlers();
    registry.register('my_custom_type', new EchoHandler());
    const graph = buildGraph({ nodes: { mine: { type: 'my_custom_type', shape: 'box', custom_attr: 'value' }, gate: { shape: 'hexagon' } } });
    const handler = registry.resolve(graph.nodes.get('mine')!);
    expect(handler).toBeInstanceOf(EchoHandler);
    expect(await handler.execute(stageInput(graph, 'mine', { root }).input)).toEqual({ status: 'success', notes: 'echo value' });

    const replacement = new EchoHandler();
    registry.register('wait.human', replacement);
    expect(registry.resolve(graph.nodes.get('gate')!)).toBe(replacement);
  });

  it('gives each registry its own handler instances', () => {
    const graph = buildGraph({ nodes: { n: { shape: 'box' } } });
    expect(createDefaultHandlers().resolve(graph.nodes.get('n')!)).not.toBe(createDefaultHandlers().resolve(graph.nodes.get('n')!));
  });
});
