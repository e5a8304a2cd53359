// The layered system prompt (coding-agent-loop-spec §6.1): provider base instructions, the
// environment, project instructions, the context carried from earlier stages, then the stage task.

export interface PromptLayers {
  base: string;
  environment: string;
  projectInstructions: string;
  preamble: string;
  stage: { id: string; prompt: string; labels: readonly string[] };
}

export function stageInstructions(stage: PromptLayers['stage']): string {
  const routing = stage.labels.length
    ? `When you report the outcome, choose preferred_label from: ${stage.labels.map((l) => JSON.stringify(l)).join(', ')}.`
    : 'This stage has no labelled outgoing edges; report the status without a preferred_label.';
  return `<stage id="${stage.id}">\n${stage.prompt.trim()}\n</stage>\n${routing}`;
}

export function buildSystemPrompt(layers: PromptLayers): string {
  return [
    layers.base,
    layers.environment,
    layers.projectInstructions,
    layers.preamble ? `<run_context>\n${layers.preamble}\n</run_context>` : '',
    stageInstructions(layers.stage),
  ].filter((layer) => layer.trim() !== '').join('\n\n');
}
