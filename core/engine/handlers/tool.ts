// Tool stages (Attractor §4.10): run `tool_command` through the shell in the working directory,
// keep its output in the stage directory, and report the exit code.
import { join } from 'node:path';
import { attrDurationMs, attrString } from '../graph.ts';
import type { Handler, StageInput } from '../handler.ts';
import type { Outcome } from '../outcome.ts';
import { claimedOutcome, removeStaleStatusFile } from '../status-file.ts';
import { lastLines, readOutputTail } from './output-tail.ts';
import { runShellCommand } from './shell-command.ts';

export const TOOL_OUTPUT_FILE = 'tool_output.txt';
export const TOOL_OUTPUT_CONTEXT_CHARS = 4000;
const FAILURE_OUTPUT_LINES = 20;
const DEFAULT_KILL_GRACE_MS = 5000;

export interface ToolHandlerOptions {
  /** Time a timed-out command gets between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

export class ToolHandler implements Handler {
  readonly enforcesTimeout = true;
  readonly #killGraceMs: number;

  constructor(options: ToolHandlerOptions = {}) {
    this.#killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  }

  async execute(input: StageInput): Promise<Outcome> {
    const { node, stageDir } = input;
    const command = attrString(node.attrs, 'tool_command');
    if (!command.trim()) return { status: 'fail', failure_reason: 'No tool_command specified' };

    removeStaleStatusFile(stageDir);
    const outputPath = join(stageDir, TOOL_OUTPUT_FILE);
    const timeoutMs = attrDurationMs(node.attrs, 'timeout');
    const result = await runShellCommand({
      command,
      cwd: input.services.workdir,
      // So the command can find its stage directory and honour the status-file contract.
      env: { ...process.env, ...stageVariables(stageDir, input.logsRoot, node.id) },
      outputPath,
      timeoutMs,
      killGraceMs: this.#killGraceMs,
      signal: input.signal,
      clock: input.services.clock,
    });

    const tail = await readOutputTail(outputPath, TOOL_OUTPUT_CONTEXT_CHARS);
    const updates = {
      'tool.output': tail.truncated ? `[output truncated: last ${TOOL_OUTPUT_CONTEXT_CHARS} characters; full output in ${TOOL_OUTPUT_FILE}]\n${tail.text}` : tail.text,
      'tool.exit_code': result.kind === 'exited' ? result.exitCode : null,
    };
    const withOutput = (reason: string): string => {
      const lines = lastLines(tail.text, FAILURE_OUTPUT_LINES);
      return lines ? `${reason}\n${lines}` : reason;
    };

    if (result.kind === 'timed_out') {
      return { status: 'fail', failure_reason: withOutput(`tool_command timed out after ${formatMs(timeoutMs!)}`), context_updates: updates };
    }
    // A command that reports its own outcome is believed over its exit code (Appendix C).
    const claimed = claimedOutcome(stageDir, false);
    if (claimed) return { ...claimed, context_updates: { ...updates, ...claimed.context_updates } };
    if (result.exitCode === 0) return { status: 'success', notes: `Tool completed: ${command}`, context_updates: updates };
    const reason = result.exitCode === null ? `tool_command was killed by signal ${result.signal}` : `tool_command exited with code ${result.exitCode}`;
    return { status: 'fail', failure_reason: withOutput(reason), context_updates: updates };
  }
}

/** Our names and the Attractor names other implementations' tool stages read (contracts.md §1). */
export function stageVariables(stageDir: string, logsRoot: string, nodeId: string): Record<string, string> {
  return {
    STAGE_DIR: stageDir, LOGS_ROOT: logsRoot, NODE_ID: nodeId,
    ATTRACTOR_STAGE_DIR: stageDir, ATTRACTOR_LOGS_ROOT: logsRoot, ATTRACTOR_NODE_ID: nodeId,
  };
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
