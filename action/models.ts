// Which models serve the graph's LLM stages: the graph's own stylesheet, then the config's
// `factory.models` stylesheet on top, then the `models` input on top of both. "On top" means the
// layer wins over anything below it, node attributes included. `scripted:<file>` replays a script
// for every stage (tests, demos).
import { attrString, cloneGraph, declaredHandlerType, parseStylesheet, resolveStyle, StylesheetSyntaxError, type Graph, type Transform } from '../core/engine/index.ts';

type StyleRule = ReturnType<typeof parseStylesheet>[number];
import { ActionError } from './errors.ts';

export interface ModelPlan {
  /** Stylesheet layers applied after the graph's own, lowest first. */
  layers: StyleRule[][];
  /** `scripted:<file>` when a script stands in for every model. */
  scripted?: string;
}

const MODEL_SPEC = /^([\w.-]+)\/([\w.:/-]+)$/;

function parseLayer(text: string, where: string): StyleRule[] {
  try {
    return parseStylesheet(text);
  } catch (error) {
    if (error instanceof StylesheetSyntaxError) throw new ActionError('model', `${where}: ${error.message}; expected a model stylesheet such as "* { llm_provider: anthropic; llm_model: claude-sonnet-4-6; }"`);
    throw error;
  }
}

/** `models` input: `scripted:<file>`, `<provider>/<model>` for every stage, or a stylesheet. */
export function planModels(configModels: string | undefined, configPath: string, inputModels: string | undefined): ModelPlan {
  const plan: ModelPlan = { layers: [] };
  if (configModels !== undefined) plan.layers.push(parseLayer(configModels, `${configPath}: \`factory.models\``));
  if (inputModels === undefined) return plan;
  if (inputModels.startsWith('scripted:')) {
    if (inputModels.length === 'scripted:'.length) throw new ActionError('model', 'input `models`: name the script file, as scripted:<file>');
    plan.scripted = inputModels;
    return plan;
  }
  const spec = MODEL_SPEC.exec(inputModels);
  if (spec) {
    plan.layers.push(parseLayer(`* { llm_provider: ${spec[1]}; llm_model: ${spec[2]}; }`, 'input `models`'));
    return plan;
  }
  if (!inputModels.includes('{')) {
    throw new ActionError('model', `input \`models\`: expected <provider>/<model>, a model stylesheet, or scripted:<file>, got "${inputModels}"`);
  }
  plan.layers.push(parseLayer(inputModels, 'input `models`'));
  return plan;
}

/** Applies the plan's layers over whatever the graph's stylesheet and attributes set. */
export function modelLayersTransform(plan: ModelPlan): Transform {
  return {
    name: 'factory_models',
    apply(graph) {
      const result = cloneGraph(graph);
      for (const rules of plan.layers) {
        for (const node of result.nodes.values()) Object.assign(node.attrs, resolveStyle(rules, node));
      }
      return result;
    },
  };
}

export function isLlmStage(graph: Graph, nodeId: string): boolean {
  const node = graph.nodes.get(nodeId);
  return node !== undefined && declaredHandlerType(node) === 'codergen';
}

/** `<provider>/<model>` of an LLM stage, for the Factory-Model trailer and the manifest. */
export function modelOf(graph: Graph, nodeId: string, plan: ModelPlan): string | undefined {
  const node = graph.nodes.get(nodeId);
  if (!node || !isLlmStage(graph, nodeId)) return undefined;
  if (plan.scripted !== undefined) return 'scripted/script';
  const provider = attrString(node.attrs, 'llm_provider');
  const model = attrString(node.attrs, 'llm_model');
  return provider && model ? `${provider}/${model}` : undefined;
}

/** The run-wide model spec for the chooser: the script, or the first LLM stage's model. */
export function runModelSpec(graph: Graph, plan: ModelPlan): string | undefined {
  if (plan.scripted !== undefined) return plan.scripted;
  for (const id of graph.nodes.keys()) {
    const spec = modelOf(graph, id, plan);
    if (spec !== undefined) return spec;
  }
  return undefined;
}
