// Attractor §9.7 tool hooks: shell commands around every tool call, given the call as environment
// variables and as JSON on stdin. A failing pre-hook skips the call; a failing post-hook is recorded.
import type { ExecutionEnvironment } from '../env/environment.ts';

export interface ToolHooks {
  pre?: string;
  post?: string;
}

export interface HookCall {
  nodeId: string;
  callId: string;
  tool: string;
  arguments: Record<string, unknown>;
}

export interface HookResult {
  ok: boolean;
  /** Why it failed, for the tool result and the event. */
  message: string;
}

const HOOK_TIMEOUT_MS = 30_000;

async function runHook(env: ExecutionEnvironment, phase: 'pre' | 'post', command: string, call: HookCall, extra: Record<string, unknown>, signal: AbortSignal): Promise<HookResult> {
  const payload = JSON.stringify({ phase, node_id: call.nodeId, call_id: call.callId, tool: call.tool, arguments: call.arguments, ...extra });
  const result = await env.exec(command, {
    timeoutMs: HOOK_TIMEOUT_MS,
    signal,
    stdin: payload,
    extraEnv: { FACTORY_HOOK_PHASE: phase, FACTORY_NODE_ID: call.nodeId, FACTORY_TOOL_NAME: call.tool, FACTORY_TOOL_CALL_ID: call.callId },
  });
  const ok = result.exitCode === 0 && !result.timedOut;
  const status = result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}`;
  return { ok, message: ok ? '' : `tool_hooks.${phase} failed (${status})${result.output.trim() ? `: ${result.output.trim().slice(0, 500)}` : ''}` };
}

export function runPreHook(env: ExecutionEnvironment, command: string, call: HookCall, signal: AbortSignal): Promise<HookResult> {
  return runHook(env, 'pre', command, call, {}, signal);
}

export function runPostHook(env: ExecutionEnvironment, command: string, call: HookCall, output: string, isError: boolean, signal: AbortSignal): Promise<HookResult> {
  return runHook(env, 'post', command, call, { output, is_error: isError }, signal);
}
