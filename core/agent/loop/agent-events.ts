// What the loop reports about each model turn and tool call; the backend stamps the node id and
// passes them to the engine's event bus as `agent_turn` / `agent_tool_call`.
import type { FinishReason, Usage } from '../llm/types.ts';

/** Set on the events of a subagent's session: which child of the stage's agent it was. */
interface FromSubagent {
  subagent_id?: string;
}

export interface AgentTurnEvent extends FromSubagent {
  type: 'agent_turn';
  turn: number;
  provider: string;
  model: string;
  finish_reason: FinishReason;
  usage: Usage;
  cost_usd: number | null;
  tool_calls: number;
  text: string;
}

export interface AgentToolCallEvent extends FromSubagent {
  type: 'agent_tool_call';
  turn: number;
  call_id: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** The full output, before truncation for the model. */
  output: string;
  truncated: boolean;
  is_error: boolean;
  duration_ms: number;
  /** Set when a hook refused the call or failed. */
  hook?: string;
}

export interface AgentNoticeEvent extends FromSubagent {
  type: 'agent_notice';
  turn: number;
  kind: 'steering' | 'loop_warning' | 'loop_stop' | 'turn_limit' | 'tool_call_limit' | 'reminder';
  message: string;
}

export type AgentEvent = AgentTurnEvent | AgentToolCallEvent | AgentNoticeEvent;
