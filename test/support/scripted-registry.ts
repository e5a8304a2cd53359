// A handler registry whose work stages return scripted outcomes, for executor tests that must not
// depend on the built-in handlers' behaviour.
import { HandlerRegistry, type Handler, type StageInput } from '../../core/engine/handler.ts';
import type { HandlerResult } from '../../core/engine/outcome.ts';

export type ScriptStep = HandlerResult | Error | ((input: StageInput) => HandlerResult | Promise<HandlerResult>);

export interface ScriptedRegistry {
  registry: HandlerRegistry;
  /** Node ids in the order their handlers were called (one entry per attempt). */
  calls: string[];
  inputs: StageInput[];
}

/** Steps per node are consumed in order; the last repeats; unnamed nodes succeed. */
export function scriptedRegistry(script: Record<string, ScriptStep[]> = {}): ScriptedRegistry {
  const calls: string[] = [];
  const inputs: StageInput[] = [];
  const used = new Map<string, number>();
  const work: Handler = {
    async execute(input) {
      calls.push(input.node.id);
      inputs.push(input);
      const steps = script[input.node.id];
      if (!steps || steps.length === 0) return { status: 'success' };
      const index = used.get(input.node.id) ?? 0;
      used.set(input.node.id, index + 1);
      const step = steps[Math.min(index, steps.length - 1)]!;
      if (step instanceof Error) throw step;
      return typeof step === 'function' ? step(input) : step;
    },
  };
  const registry = new HandlerRegistry();
  for (const type of ['start', 'exit']) registry.register(type, { execute: async () => ({ status: 'success' }) });
  for (const type of ['codergen', 'tool', 'wait.human', 'conditional', 'stack.manager_loop']) registry.register(type, work);
  return { registry, calls, inputs };
}
