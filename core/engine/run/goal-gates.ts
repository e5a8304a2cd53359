// Goal gate enforcement at the exit (Attractor §3.4).
import { attrBoolean, attrString, type Graph, type GraphNode } from '../graph.ts';
import { isSuccessful, type Outcome } from '../outcome.ts';

/** The first visited goal-gate node whose latest outcome is not success or partial success. */
export function findUnsatisfiedGoalGate(graph: Graph, nodeOutcomes: Readonly<Record<string, Outcome>>): GraphNode | undefined {
  for (const [nodeId, outcome] of Object.entries(nodeOutcomes)) {
    const node = graph.nodes.get(nodeId);
    if (node && attrBoolean(node.attrs, 'goal_gate') && !isSuccessful(outcome.status)) return node;
  }
  return undefined;
}

/** Node `retry_target`, node `fallback_retry_target`, then the graph's, skipping ids that do not exist. */
export function goalGateRetryTarget(graph: Graph, gate: GraphNode): string | undefined {
  const candidates = [
    attrString(gate.attrs, 'retry_target'),
    attrString(gate.attrs, 'fallback_retry_target'),
    attrString(graph.attrs, 'retry_target'),
    attrString(graph.attrs, 'fallback_retry_target'),
  ];
  return candidates.find((id) => id !== '' && graph.nodes.has(id));
}
