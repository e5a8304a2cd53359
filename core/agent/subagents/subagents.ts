// Subagents (coding-agent-loop-spec §7): a child session with its own history in the parent's
// workspace (or a subdirectory of it), started by spawn_agent, steered by send_input, awaited by
// wait and stopped by close_agent. Children share the parent's budgets and limits, report their
// events through the parent's with a subagent_id, and cannot spawn children of their own at the
// default depth limit of 1.
import { z } from 'zod';
import { addUsage, type Usage } from '../../engine/outcome.ts';
import type { AgentEvent } from '../loop/agent-events.ts';
import type { RunLimits, RunResult, Session } from '../loop/session.ts';
import { defineTool, type Tool } from '../tools/tool.ts';

export const DEFAULT_MAX_SUBAGENT_DEPTH = 1;
export const SUBAGENT_TOOL_NAMES = ['spawn_agent', 'send_input', 'wait', 'close_agent'] as const;

export type SubagentStatus = 'running' | 'completed' | 'failed' | 'closed';

export interface SpawnRequest {
  task: string;
  /** Subdirectory of the parent's working directory, relative to it. */
  workingDir?: string;
}

export interface SubagentResult {
  output: string;
  success: boolean;
  turns_used: number;
}

interface Handle {
  id: string;
  session: Session;
  status: SubagentStatus;
  controller: AbortController;
  /** The run in progress or the last one; wait awaits it. */
  current: Promise<void>;
  result?: SubagentResult;
  turns: number;
}

export interface SubagentOptions {
  /** A child session in `workingDir` (already confined to the workspace by the caller). */
  createSession(request: SpawnRequest): Session;
  /** The parent's run limits: budgets, hooks, tool-call limit, signal and event sink are shared. */
  limits: () => RunLimits;
  /** The child's turn limit when spawn_agent names none. */
  defaultMaxTurns?: number;
}

/** The children of one parent session, and their totals for the parent's accounting. */
export class Subagents {
  readonly #options: SubagentOptions;
  readonly #handles = new Map<string, Handle>();
  #next = 1;
  #usage: Usage | undefined;
  #cost: number | null = 0;

  constructor(options: SubagentOptions) {
    this.#options = options;
  }

  /** What every child's model turns used and cost (null once any turn had no known price). */
  get usage(): Usage | undefined {
    return this.#usage;
  }

  get costUsd(): number | null {
    return this.#cost;
  }

  status(id: string): SubagentStatus | undefined {
    return this.#handles.get(id)?.status;
  }

  /** Registers the child at once (a wait in the same turn finds it), then runs it in the background. */
  spawn(request: SpawnRequest, maxTurns?: number): string {
    const id = `agent-${this.#next++}`;
    const session = this.#options.createSession(request);
    const controller = new AbortController();
    const handle: Handle = { id, session, status: 'running', controller, current: Promise.resolve(), turns: 0 };
    this.#handles.set(id, handle);
    handle.current = this.#run(handle, request.task, maxTurns);
    return id;
  }

  #run(handle: Handle, input: string, maxTurns?: number): Promise<void> {
    const parent = this.#options.limits();
    const signal = parent.signal ? AbortSignal.any([parent.signal, handle.controller.signal]) : handle.controller.signal;
    const onEvent = (event: AgentEvent) => {
      if (event.type === 'agent_turn') {
        this.#usage = addUsage(this.#usage, event.usage);
        this.#cost = this.#cost === null || event.cost_usd === null ? null : this.#cost + event.cost_usd;
      }
      parent.onEvent?.({ ...event, subagent_id: handle.id });
    };
    handle.status = 'running';
    return handle.session
      .run(input, { ...parent, maxTurns: maxTurns ?? this.#options.defaultMaxTurns ?? parent.maxTurns, signal, onEvent })
      .then((result: RunResult) => {
        handle.turns += result.turns;
        const success = result.stopReason === 'completed';
        handle.result = { output: result.finalText, success, turns_used: handle.turns };
        if (handle.status === 'running') handle.status = success ? 'completed' : 'failed';
      })
      .catch((error: unknown) => {
        const closed = handle.status === 'closed';
        handle.result = { output: closed ? 'closed before it finished' : `failed: ${error instanceof Error ? error.message : String(error)}`, success: false, turns_used: handle.turns };
        // A shared budget that ran out also stops the parent at its next turn's check.
        if (!closed) handle.status = 'failed';
      });
  }

  sendInput(id: string, message: string): string {
    const handle = this.#handles.get(id);
    if (!handle) throw new Error(`no subagent ${id}`);
    if (handle.status === 'closed') throw new Error(`subagent ${id} is closed`);
    if (handle.status === 'running') {
      handle.session.steer(message);
      return `queued for ${id}; it reads the message before its next model turn`;
    }
    // A finished child continues its own conversation with the new message.
    handle.current = this.#run(handle, message);
    return `${id} is running again with the new message`;
  }

  async wait(id: string): Promise<SubagentResult> {
    const handle = this.#handles.get(id);
    if (!handle) throw new Error(`no subagent ${id}`);
    await handle.current;
    return handle.result ?? { output: '', success: false, turns_used: handle.turns };
  }

  async close(id: string): Promise<SubagentStatus> {
    const handle = this.#handles.get(id);
    if (!handle) throw new Error(`no subagent ${id}`);
    if (handle.status === 'running') {
      handle.status = 'closed';
      handle.controller.abort(new Error(`subagent ${id} closed`));
      await handle.current;
    } else if (handle.status !== 'failed') handle.status = 'closed';
    return handle.status;
  }

  /** Stops every child still running (the parent's stage is over) and waits for them to settle. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#handles.values()].filter((h) => h.status === 'running').map((h) => this.close(h.id)));
  }
}

function failure(error: unknown): { output: string; isError: true } {
  return { output: error instanceof Error ? error.message : String(error), isError: true };
}

/** The four tools of §7.2 over one parent's children. */
export function subagentTools(subagents: Subagents): Tool[] {
  return [
    defineTool({
      name: 'spawn_agent',
      kind: 'subagent',
      description:
        'Spawn a subagent to handle a scoped task autonomously, in this workspace or a subdirectory of it. It has its own conversation and the same tools; ' +
        'it runs while you continue. Returns its agent_id; call wait with it to get its final answer.',
      schema: z.object({
        task: z.string().min(1).describe('A complete, self-contained description of the task'),
        working_dir: z.string().min(1).optional().describe('Subdirectory (relative to the working directory) to scope the agent to'),
        max_turns: z.number().int().min(1).optional().describe('Turn limit for the subagent'),
      }),
      run: async (a) => {
        try {
          const id = subagents.spawn({ task: a.task, ...(a.working_dir ? { workingDir: a.working_dir } : {}) }, a.max_turns);
          return { output: JSON.stringify({ agent_id: id, status: 'running' }) };
        } catch (error) {
          return failure(error);
        }
      },
    }),
    defineTool({
      name: 'send_input',
      kind: 'subagent',
      description: 'Send a message to a subagent: a running one reads it before its next turn; a finished one continues with it.',
      schema: z.object({ agent_id: z.string().min(1), message: z.string().min(1) }),
      run: async (a) => {
        try {
          return { output: subagents.sendInput(a.agent_id, a.message) };
        } catch (error) {
          return failure(error);
        }
      },
    }),
    defineTool({
      name: 'wait',
      kind: 'subagent',
      description: 'Wait for a subagent to finish and return its result: its final text, whether it succeeded, and the turns it used.',
      schema: z.object({ agent_id: z.string().min(1) }),
      run: async (a) => {
        try {
          const result = await subagents.wait(a.agent_id);
          return { output: JSON.stringify(result), isError: !result.success };
        } catch (error) {
          return failure(error);
        }
      },
    }),
    defineTool({
      name: 'close_agent',
      kind: 'subagent',
      description: 'Terminate a subagent; returns its final status.',
      schema: z.object({ agent_id: z.string().min(1) }),
      run: async (a) => {
        try {
          return { output: JSON.stringify({ agent_id: a.agent_id, status: await subagents.close(a.agent_id) }) };
        } catch (error) {
          return failure(error);
        }
      },
    }),
  ];
}
