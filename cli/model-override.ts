// `factory run --model <provider>/<model>`: the model the user asked for serves every LLM stage,
// over the graph's stylesheet and node attributes — as the Action's `models: <provider>/<model>`
// input does — so one key is enough to run any graph.
import { cloneGraph } from '../core/engine/graph.ts';
import type { Transform } from '../core/engine/transforms.ts';

export function everyStageUses(spec: string): Transform | null {
  const slash = spec.indexOf('/');
  if (spec.startsWith('scripted:') || slash <= 0 || slash === spec.length - 1) return null;
  const provider = spec.slice(0, slash);
  const model = spec.slice(slash + 1);
  return {
    name: 'run_model_override',
    apply(graph) {
      const result = cloneGraph(graph);
      for (const node of result.nodes.values()) Object.assign(node.attrs, { llm_provider: provider, llm_model: model });
      return result;
    },
  };
}
