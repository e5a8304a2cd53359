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
  /** Tokens the provider counted for this request and its answer: the context in use. */
  context_tokens?: number;
  /** context_tokens as a share of the model's window (0–100), when the window is known. */
  context_percent?: number;
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
  kind: 'loop_warning' | 'loop_stop' | 'turn_limit' | 'tool_round_limit' | 'tool_call_limit' | 'reminder';
  message: string;
}

/** The history was compacted (contracts.md: before_tokens, after_tokens, turns_removed). */
export interface ContextCompactedEvent extends FromSubagent {
  type: 'context_compacted';
  turn: number;
  before_tokens: number;
  after_tokens: number;
  turns_removed: number;
  reason: string;
  /** The summarising request's own usage and cost. */
  usage: Usage;
  cost_usd: number | null;
}

/** A steering message reached the conversation (coding-agent-loop-spec §2.6). */
export interface SteeringInjectedEvent extends FromSubagent {
  type: 'steering_injected';
  turn: number;
  content: string;
}

export type AgentEvent = AgentTurnEvent | AgentToolCallEvent | AgentNoticeEvent | ContextCompactedEvent | SteeringInjectedEvent;
