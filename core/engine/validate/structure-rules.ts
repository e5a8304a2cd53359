// Graph shape (Attractor §7.2): one start, one exit, everything reachable, edges between real nodes.
import type { Diagnostic } from '../diagnostics.ts';
import type { Graph, GraphEdge, GraphNode } from '../graph.ts';
import { findExitNodes, findStartNodes, reachableFrom } from '../structure.ts';
import { describeEdge, edgeDiagnostic, graphDiagnostic, nodeDiagnostic, type LintRule } from './rule.ts';
import { closestMatch, didYouMean } from './suggest.ts';

function exactlyOne(rule: string, found: GraphNode[], what: string, howToAdd: string): Diagnostic[] {
  if (found.length === 0) {
    return [graphDiagnostic(rule, { severity: 'error', message: `the graph has no ${what}`, fix: howToAdd })];
  }
  if (found.length === 1) return [];
  const ids = found.map((n) => n.id).join(', ');
  return found.slice(1).map((node) => nodeDiagnostic(rule, node, {
    severity: 'error',
    message: `the graph has ${found.length} ${what}s (${ids}); exactly one is allowed`,
    fix: `keep one ${what} and change the shape or id of the others`,
  }));
}

export const startNodeRule: LintRule = {
  name: 'start_node',
  apply: (graph) => exactlyOne('start_node', findStartNodes(graph), 'start node', 'add a node with shape=Mdiamond, e.g. start [shape=Mdiamond]'),
};

export const terminalNodeRule: LintRule = {
  name: 'terminal_node',
  apply: (graph) => exactlyOne('terminal_node', findExitNodes(graph), 'exit node', 'add a node with shape=Msquare, e.g. exit [shape=Msquare]'),
};

/** engine.md decision 5: an unreachable node is an error, as §7.2 says. */
export const reachabilityRule: LintRule = {
  name: 'reachability',
  apply(graph) {
    const starts = findStartNodes(graph);
    if (starts.length === 0) return [];
    const reachable = new Set<string>();
    for (const start of starts) for (const id of reachableFrom(graph, start.id)) reachable.add(id);
    return [...graph.nodes.values()]
      .filter((node) => !reachable.has(node.id))
      .map((node) => nodeDiagnostic('reachability', node, {
        severity: 'error',
        message: `node "${node.id}" cannot be reached from the start node`,
        fix: `add an edge to "${node.id}" from a reachable node, or remove it`,
      }));
  },
};

export const edgeTargetExistsRule: LintRule = {
  name: 'edge_target_exists',
  apply(graph) {
    const diagnostics: Diagnostic[] = [];
    const ids = [...graph.nodes.keys()];
    for (const edge of graph.edges) {
      for (const [end, id] of [['source', edge.from], ['target', edge.to]] as const) {
        if (graph.nodes.has(id)) continue;
        diagnostics.push(edgeDiagnostic('edge_target_exists', edge, {
          severity: 'error',
          message: `${describeEdge(edge)}: its ${end} "${id}" is not a node of the graph`,
          fix: didYouMean(id, ids) ?? `declare node "${id}" or remove the edge`,
        }));
      }
    }
    return diagnostics;
  },
};

/** Edit-distance comparisons the typo search may make in one graph, so lint stays linear in size. */
const TYPO_SEARCH_BUDGET = 200_000;

/**
 * DOT declares a node by mentioning it, so `review -> reviw` silently adds a stage "reviw". A node
 * that only edges mention is a warning naming the declared node it most likely meant.
 */
export const undeclaredNodeRule: LintRule = {
  name: 'undeclared_node',
  apply(graph) {
    const nodes = [...graph.nodes.values()];
    const declared = nodes.filter((node) => !node.implicit).map((node) => node.id);
    const implicit = nodes.filter((node) => node.implicit);
    if (implicit.length === 0) return [];
    const searchable = implicit.length * declared.length <= TYPO_SEARCH_BUDGET;
    const firstEdge = new Map<string, GraphEdge>();
    for (const edge of graph.edges) {
      if (!firstEdge.has(edge.from)) firstEdge.set(edge.from, edge);
      if (!firstEdge.has(edge.to)) firstEdge.set(edge.to, edge);
    }
    return implicit.map((node) => {
      const edge = firstEdge.get(node.id);
      const guess = searchable ? closestMatch(node.id, declared) : undefined;
      const finding = {
        severity: 'warning' as const,
        message: guess
          ? `node "${node.id}" is never declared, only used by an edge; likely a typo for "${guess}"`
          : `node "${node.id}" is never declared, only used by an edge`,
        fix: guess ? `did you mean "${guess}"? rename the edge's endpoint, or declare ${node.id} [...]` : `declare it: ${node.id} [label="…"]`,
      };
      return edge ? edgeDiagnostic('undeclared_node', edge, finding, node.id) : nodeDiagnostic('undeclared_node', node, finding);
    });
  },
};

function edgesTouching(graph: Graph, ids: Set<string>, end: 'from' | 'to') {
  return graph.edges.filter((edge) => ids.has(edge[end]));
}

export const startNoIncomingRule: LintRule = {
  name: 'start_no_incoming',
  apply(graph) {
    const starts = new Set(findStartNodes(graph).map((n) => n.id));
    return edgesTouching(graph, starts, 'to').map((edge) => edgeDiagnostic('start_no_incoming', edge, {
      severity: 'error',
      message: `${describeEdge(edge)}: the start node must have no incoming edges`,
      fix: 'point the edge at the first real stage instead of the start node',
    }, edge.to));
  },
};

export const exitNoOutgoingRule: LintRule = {
  name: 'exit_no_outgoing',
  apply(graph) {
    const exits = new Set(findExitNodes(graph).map((n) => n.id));
    return edgesTouching(graph, exits, 'from').map((edge) => edgeDiagnostic('exit_no_outgoing', edge, {
      severity: 'error',
      message: `${describeEdge(edge)}: the exit node must have no outgoing edges`,
      fix: 'remove the edge; use a goal gate retry_target to loop back before exiting',
    }, edge.from));
  },
};

export const STRUCTURE_RULES: readonly LintRule[] = [
  startNodeRule, terminalNodeRule, reachabilityRule, edgeTargetExistsRule, undeclaredNodeRule, startNoIncomingRule, exitNoOutgoingRule,
];
