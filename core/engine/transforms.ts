// Graph transforms between parsing and validation (Attractor §9.1–§9.3).
import { attrString, cloneGraph, type Graph } from './graph.ts';
import { parseStylesheet, StyleIndex, StylesheetSyntaxError, type StyleRule } from './stylesheet.ts';

/** Returns a new graph; never modifies the one it is given. */
export interface Transform {
  name: string;
  apply(graph: Graph): Graph;
}

function stylesheetRules(graph: Graph): StyleRule[] {
  try {
    return parseStylesheet(attrString(graph.attrs, 'model_stylesheet'));
  } catch (error) {
    // The `stylesheet_syntax` lint rule reports it; preparing the graph must still succeed so lint can run.
    if (error instanceof StylesheetSyntaxError) return [];
    throw error;
  }
}

/** §8.5: fills in model settings a node does not set itself. */
export const stylesheetTransform: Transform = {
  name: 'stylesheet',
  apply(graph) {
    const result = cloneGraph(graph);
    const rules = stylesheetRules(result);
    if (rules.length === 0) return result;
    const index = new StyleIndex(rules);
    for (const node of result.nodes.values()) {
      for (const [property, value] of Object.entries(index.resolve(node))) {
        if (!(property in node.attrs)) node.attrs[property] = value;
      }
    }
    return result;
  },
};

/** §9.2 variable expansion: `$goal` in a node's prompt becomes the graph goal ("" when unset). */
export const goalExpansionTransform: Transform = {
  name: 'goal_expansion',
  apply(graph) {
    const result = cloneGraph(graph);
    const goal = attrString(result.attrs, 'goal');
    for (const node of result.nodes.values()) {
      const prompt = node.attrs.prompt;
      if (typeof prompt === 'string' && prompt.includes('$goal')) node.attrs.prompt = prompt.replaceAll('$goal', goal);
    }
    return result;
  },
};

export const BUILT_IN_TRANSFORMS: readonly Transform[] = [stylesheetTransform, goalExpansionTransform];

/** Built-in transforms first, then custom ones in registration order (§9.3). */
export function applyTransforms(graph: Graph, custom: readonly Transform[] = []): Graph {
  return [...BUILT_IN_TRANSFORMS, ...custom].reduce((current, transform) => transform.apply(current), graph);
}
