// The leak-safe feedback of a previous validation round, made available to the run: in the context
// as `factory.feedback` (set when the start node runs) and appended to the prompts of refine stages.
import type { Feedback } from '../core/domain/feedback.ts';
import { attrString, cloneGraph, type Graph, type Handler, type Transform } from '../core/engine/index.ts';

export const FEEDBACK_CONTEXT_KEY = 'factory.feedback';

export function feedbackText(feedback: Feedback): string {
  return JSON.stringify(feedback);
}

/** A refine stage: its id or class names refinement. */
export function isRefineStage(nodeId: string, className: string): boolean {
  return /refine/i.test(nodeId) || className.split(/[\s,]+/).some((name) => /refine/i.test(name));
}

export function feedbackPromptTransform(feedback: Feedback): Transform {
  const paragraph = `\n\nFeedback from validation round ${feedback.round} (aggregate pass rates per category, counts per failure tag, and the spec sections concerned; the scenarios themselves stay hidden):\n${feedbackText(feedback)}`;
  return {
    name: 'factory_feedback',
    apply(graph: Graph) {
      const result = cloneGraph(graph);
      for (const node of result.nodes.values()) {
        const prompt = node.attrs.prompt;
        if (typeof prompt === 'string' && isRefineStage(node.id, attrString(node.attrs, 'class'))) node.attrs.prompt = prompt + paragraph;
      }
      return result;
    },
  };
}

/** Wraps the start handler so the run's context carries the feedback from its first stage on. */
export function startWithFeedback(start: Handler, feedback: Feedback): Handler {
  return {
    async execute(input) {
      const result = await start.execute(input);
      if (result.status === 'waiting') return result;
      return { ...result, context_updates: { ...result.context_updates, [FEEDBACK_CONTEXT_KEY]: feedbackText(feedback) } };
    },
  };
}
