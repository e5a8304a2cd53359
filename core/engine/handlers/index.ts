// The built-in handlers under their type strings (Attractor §2.8, §4).
import { HandlerRegistry } from '../handler.ts';
import { CodergenHandler } from './codergen.ts';
import { ConditionalHandler } from './conditional.ts';
import { ExitHandler } from './exit.ts';
import { FanInHandler } from './fan-in.ts';
import { ManagerLoopHandler } from './manager-loop.ts';
import { ParallelHandler } from './parallel.ts';
import { StartHandler } from './start.ts';
import { ToolHandler } from './tool.ts';
import { WaitForHumanHandler } from './wait-human.ts';

export function createDefaultHandlers(): HandlerRegistry {
  const registry = new HandlerRegistry('codergen');
  registry.register('start', new StartHandler());
  registry.register('exit', new ExitHandler());
  registry.register('codergen', new CodergenHandler());
  registry.register('wait.human', new WaitForHumanHandler());
  registry.register('conditional', new ConditionalHandler());
  registry.register('parallel', new ParallelHandler());
  registry.register('parallel.fan_in', new FanInHandler());
  registry.register('tool', new ToolHandler());
  registry.register('stack.manager_loop', new ManagerLoopHandler());
  return registry;
}

export { CodergenHandler, LAST_RESPONSE_CHARS } from './codergen.ts';
export { ConditionalHandler } from './conditional.ts';
export { ExitHandler } from './exit.ts';
export { FanInHandler, heuristicSelect } from './fan-in.ts';
export { ManagerLoopHandler, DEFAULT_MAX_CYCLES, DEFAULT_POLL_INTERVAL_MS, DEFAULT_STEER_COOLDOWN_MS } from './manager-loop.ts';
export { ParallelHandler, DEFAULT_MAX_PARALLEL } from './parallel.ts';
export type { ParallelBranchRecord } from './parallel-results.ts';
export { StartHandler } from './start.ts';
export { ToolHandler, TOOL_OUTPUT_CONTEXT_CHARS, TOOL_OUTPUT_FILE, type ToolHandlerOptions } from './tool.ts';
export { WaitForHumanHandler, gateChoices, type HumanChoice } from './wait-human.ts';
