// Choosing the next edge (Attractor §3.3) and routing failures (engine.md decision 1).
import { evaluateCondition } from '../conditions.ts';
import type { Context } from '../context.ts';
import { attrNumber, attrString, outgoingEdges, type Graph, type GraphEdge, type GraphNode } from '../graph.ts';
import { declaredHandlerType } from '../handler.ts';
import { normalizeLabel } from '../labels.ts';
import type { Outcome } from '../outcome.ts';

function weight(edge: GraphEdge): number {
  return attrNumber(edge.attrs, 'weight') ?? 0;
}

function bestByWeightThenLexical(edges: GraphEdge[]): GraphEdge | undefined {
  return [...edges].sort((a, b) => weight(b) - weight(a) || (a.to < b.to ? -1 : a.to > b.to ? 1 : a.index - b.index))[0];
}

function conditionOf(edge: GraphEdge): string {
  return attrString(edge.attrs, 'condition').trim();
}

function matchingConditionalEdges(edges: GraphEdge[], outcome: Outcome, context: Context): GraphEdge[] {
  return edges.filter((edge) => {
    const condition = conditionOf(edge);
    return condition !== '' && evaluateCondition(condition, outcome, context);
  });
}

/** The five-step priority: condition → preferred label → suggested ids → weight → lexical. */
export function selectEdge(graph: Graph, nodeId: string, outcome: Outcome, context: Context): GraphEdge | undefined {
  const edges = outgoingEdges(graph, nodeId);
  if (edges.length === 0) return undefined;

  const matched = matchingConditionalEdges(edges, outcome, context);
  if (matched.length > 0) return bestByWeightThenLexical(matched);

  const unconditional = edges.filter((edge) => conditionOf(edge) === '');
  if (outcome.preferred_label) {
    const wanted = normalizeLabel(outcome.preferred_label);
    const byLabel = unconditional.find((edge) => normalizeLabel(attrString(edge.attrs, 'label')) === wanted);
    if (byLabel) return byLabel;
  }
  for (const id of outcome.suggested_next_ids ?? []) {
    const bySuggestion = unconditional.find((edge) => edge.to === id);
    if (bySuggestion) return bySuggestion;
  }
  return bestByWeightThenLexical(unconditional);
}

export type FailureRoute =
  | { kind: 'edge'; edge: GraphEdge }
  | { kind: 'jump'; target: string; via: 'retry_target' | 'fallback_retry_target' }
  | { kind: 'none' };

/**
 * Where a failed stage goes: a matching conditional edge; the node's `retry_target`; its
 * `fallback_retry_target`; the single unconditional edge when it leads to a diamond (so the
 * diamond's conditions see the failure); otherwise nowhere and the run fails.
 */
export function routeFailure(graph: Graph, node: GraphNode, outcome: Outcome, context: Context): FailureRoute {
  const edges = outgoingEdges(graph, node.id);
  const matched = matchingConditionalEdges(edges, outcome, context);
  const best = bestByWeightThenLexical(matched);
  if (best) return { kind: 'edge', edge: best };

  for (const via of ['retry_target', 'fallback_retry_target'] as const) {
    const target = attrString(node.attrs, via);
    if (target && graph.nodes.has(target)) return { kind: 'jump', target, via };
  }

  const unconditional = edges.filter((edge) => conditionOf(edge) === '');
  const only = unconditional.length === 1 ? unconditional[0] : undefined;
  const target = only && graph.nodes.get(only.to);
  if (only && target && declaredHandlerType(target) === 'conditional') return { kind: 'edge', edge: only };
  return { kind: 'none' };
}
