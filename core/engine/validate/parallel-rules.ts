// Fan-out must fan back in (Attractor §4.8, §4.9): the parallel handler joins its branches at one node.
import type { Graph } from '../graph.ts';
import { declaredHandlerType } from '../handler.ts';
import { nodeDiagnostic, type LintRule } from './rule.ts';

function outgoingByNode(graph: Graph): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (!graph.nodes.has(edge.to)) continue;
    const list = targets.get(edge.from);
    if (list) list.push(edge.to);
    else targets.set(edge.from, [edge.to]);
  }
  return targets;
}

/** Fan-in nodes a branch can reach; a branch ends at the first fan-in node on each path. */
function fanInsReachedFrom(graph: Graph, outgoing: Map<string, string[]>, branchStart: string): Set<string> {
  const fanIns = new Set<string>();
  const seen = new Set<string>([branchStart]);
  const queue = [branchStart];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    if (declaredHandlerType(graph.nodes.get(id)!) === 'parallel.fan_in') {
      fanIns.add(id);
      continue;
    }
    for (const next of outgoing.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return fanIns;
}

export const parallelFanInRule: LintRule = {
  name: 'parallel_fan_in',
  apply(graph) {
    const outgoing = outgoingByNode(graph);
    const parallels = [...graph.nodes.values()].filter((node) => declaredHandlerType(node) === 'parallel');
    return parallels.flatMap((node) => {
      const branches = [...new Set(outgoing.get(node.id) ?? [])];
      if (branches.length === 0) {
        return [nodeDiagnostic('parallel_fan_in', node, {
          severity: 'warning',
          message: `parallel node "${node.id}" has no branches`,
          fix: `add an edge from "${node.id}" to each branch's first stage`,
        })];
      }
      const reached = branches.map((branch) => fanInsReachedFrom(graph, outgoing, branch));
      const common = [...reached[0]!].filter((id) => reached.every((set) => set.has(id)));
      if (common.length > 0) return [];
      const stranded = branches.filter((_, i) => reached[i]!.size === 0);
      const detail = stranded.length > 0
        ? `branch${stranded.length > 1 ? 'es' : ''} ${stranded.map((b) => `"${b}"`).join(', ')} reach no fan-in node`
        : 'its branches reach different fan-in nodes';
      return [nodeDiagnostic('parallel_fan_in', node, {
        severity: 'warning',
        message: `parallel node "${node.id}": ${detail}; all branches should join at one fan-in node`,
        fix: 'route every branch to a single node with shape=tripleoctagon',
      })];
    });
  },
};

export const PARALLEL_RULES: readonly LintRule[] = [parallelFanInRule];
