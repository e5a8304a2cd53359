// The stage prompt of Attractor §4.5: node prompt, else label, else id, with `$goal` expanded.
import { attrString, type Graph, type GraphNode } from '../graph.ts';

export function stagePrompt(node: GraphNode, graph: Graph): string {
  const template = attrString(node.attrs, 'prompt') || attrString(node.attrs, 'label') || node.id;
  return expandGoal(template, graph);
}

/** Plain replacement, not a template engine: `$goal` is the only variable. */
export function expandGoal(text: string, graph: Graph): string {
  return text.replaceAll('$goal', attrString(graph.attrs, 'goal'));
}
