// Which provider and model serve a stage: the node's llm_provider / llm_model (the stylesheet's
// result) over the run's --model. Providers are resolved once per spec and up front, so a missing
// key fails the run before any stage starts.
import { attrString, type Graph, type GraphNode } from '../../engine/graph.ts';
import { resolveProvider, type ResolvedProvider } from '../llm/resolve.ts';
import type { ModelChoice } from './agent-backend.ts';

type Env = Record<string, string | undefined>;
export type Resolver = (spec: string, env: Env) => ResolvedProvider;

export interface ModelChooser {
  providerFor(node: GraphNode): ModelChoice;
  /** Resolves every provider the graph can ask for (and returns them); throws the first configuration error. */
  resolveAll(graph: Graph): ModelChoice[];
}

function splitSpec(spec: string): { provider: string; model: string } {
  const slash = spec.indexOf('/');
  return slash < 0 ? { provider: spec, model: '' } : { provider: spec.slice(0, slash), model: spec.slice(slash + 1) };
}

export function createModelChooser(runSpec: string, env: Env, resolve: Resolver = resolveProvider): ModelChooser {
  const resolved = new Map<string, ModelChoice>();
  const get = (spec: string): ModelChoice => {
    let choice = resolved.get(spec);
    if (!choice) {
      choice = resolve(spec, env);
      resolved.set(spec, choice);
    }
    return choice;
  };
  // A script stands in for every model of the graph, so the stylesheet does not apply to it.
  const scripted = runSpec.startsWith('scripted:');
  const run = splitSpec(runSpec);
  const specFor = (node: GraphNode): string => {
    if (scripted) return runSpec;
    const provider = attrString(node.attrs, 'llm_provider') || run.provider;
    const model = attrString(node.attrs, 'llm_model') || run.model;
    return `${provider}/${model}`;
  };
  return {
    providerFor: (node) => get(specFor(node)),
    resolveAll(graph) {
      const choices = new Set<ModelChoice>([get(runSpec)]);
      for (const node of graph.nodes.values()) {
        if (attrString(node.attrs, 'llm_provider') || attrString(node.attrs, 'llm_model')) choices.add(get(specFor(node)));
      }
      return [...choices];
    },
  };
}
