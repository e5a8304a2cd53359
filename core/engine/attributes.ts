// The attribute vocabulary we know (Attractor §2.5–§2.7, Appendix A, engine.md §7–§8): one table
// drives value typing in the parser and the `unknown_attribute` lint rule.

export type AttrType = 'string' | 'integer' | 'float' | 'boolean' | 'duration';
export type AttrScope = 'graph' | 'node' | 'edge';

export interface AttrSpec {
  type: AttrType;
  /** Allowed values for enumerated strings. */
  values?: readonly string[];
}

const RETRY_POLICIES = ['none', 'standard', 'aggressive', 'linear', 'patient'] as const;

export const GRAPH_ATTRIBUTES: Readonly<Record<string, AttrSpec>> = {
  goal: { type: 'string' },
  label: { type: 'string' },
  model_stylesheet: { type: 'string' },
  default_max_retries: { type: 'integer' },
  retry_target: { type: 'string' },
  fallback_retry_target: { type: 'string' },
  default_fidelity: { type: 'string' },
  thread_id: { type: 'string' },
  default_max_visits: { type: 'integer' },
  max_steps: { type: 'integer' },
  default_retry_policy: { type: 'string', values: RETRY_POLICIES },
  'stack.child_dotfile': { type: 'string' },
  'stack.child_workdir': { type: 'string' },
  'tool_hooks.pre': { type: 'string' },
  'tool_hooks.post': { type: 'string' },
};

export const NODE_ATTRIBUTES: Readonly<Record<string, AttrSpec>> = {
  label: { type: 'string' },
  shape: { type: 'string' },
  type: { type: 'string' },
  prompt: { type: 'string' },
  max_retries: { type: 'integer' },
  retry_policy: { type: 'string', values: RETRY_POLICIES },
  goal_gate: { type: 'boolean' },
  retry_target: { type: 'string' },
  fallback_retry_target: { type: 'string' },
  fidelity: { type: 'string' },
  thread_id: { type: 'string' },
  class: { type: 'string' },
  timeout: { type: 'duration' },
  llm_model: { type: 'string' },
  llm_provider: { type: 'string' },
  reasoning_effort: { type: 'string', values: ['low', 'medium', 'high'] },
  auto_status: { type: 'boolean' },
  allow_partial: { type: 'boolean' },
  max_visits: { type: 'integer' },
  tool_command: { type: 'string' },
  join_policy: { type: 'string', values: ['wait_all', 'first_success'] },
  max_parallel: { type: 'integer' },
  /** Fan-in with isolated branches: apply the best branch's changes, or merge all successful ones. */
  merge_policy: { type: 'string', values: ['best', 'all'] },
  'human.default_choice': { type: 'string' },
  'manager.poll_interval': { type: 'duration' },
  'manager.max_cycles': { type: 'integer' },
  'manager.stop_condition': { type: 'string' },
  'manager.actions': { type: 'string' },
  'manager.steer_cooldown': { type: 'duration' },
  'manager.steer_message': { type: 'string' },
  'stack.child_autostart': { type: 'boolean' },
  'stack.child_dotfile': { type: 'string' },
  'stack.child_workdir': { type: 'string' },
  'tool_hooks.pre': { type: 'string' },
  'tool_hooks.post': { type: 'string' },
  // Read by the coding agent (agent/backend): a per-stage spending limit, the session's turn limit
  // and the tool rounds one input may take (coding-agent-loop-spec names).
  max_usd: { type: 'float' },
  max_turns: { type: 'integer' },
  max_tool_rounds_per_input: { type: 'integer' },
};

export const EDGE_ATTRIBUTES: Readonly<Record<string, AttrSpec>> = {
  label: { type: 'string' },
  condition: { type: 'string' },
  weight: { type: 'integer' },
  fidelity: { type: 'string' },
  thread_id: { type: 'string' },
  loop_restart: { type: 'boolean' },
};

/**
 * Graphviz presentation attributes: they only affect drawing, so they are accepted anywhere
 * without a warning and kept as written.
 */
export const PRESENTATION_ATTRIBUTES: ReadonlySet<string> = new Set([
  'rankdir', 'rank', 'ranksep', 'nodesep', 'splines', 'compound', 'concentrate', 'newrank', 'ordering',
  'bgcolor', 'color', 'fillcolor', 'fontcolor', 'fontname', 'fontsize', 'style', 'penwidth', 'peripheries',
  'width', 'height', 'fixedsize', 'margin', 'pad', 'labelloc', 'labeljust', 'xlabel', 'tooltip', 'group',
  'arrowhead', 'arrowtail', 'arrowsize', 'dir', 'constraint', 'headlabel', 'taillabel', 'minlen', 'size', 'ratio',
]);

/** Common variants found in real graphs (engine.md §8), mapped to the canonical name per scope. */
export const ATTRIBUTE_ALIASES: Readonly<Record<AttrScope, Readonly<Record<string, string>>>> = {
  graph: { default_max_retry: 'default_max_retries' },
  node: { node_type: 'type', llm_prompt: 'prompt', max_retry: 'max_retries' },
  edge: {},
};

export function attributeTable(scope: AttrScope): Readonly<Record<string, AttrSpec>> {
  return scope === 'graph' ? GRAPH_ATTRIBUTES : scope === 'node' ? NODE_ATTRIBUTES : EDGE_ATTRIBUTES;
}

export function isKnownAttribute(scope: AttrScope, key: string, extra: ReadonlySet<string> = new Set()): boolean {
  return key in attributeTable(scope) || PRESENTATION_ATTRIBUTES.has(key) || extra.has(key);
}
