// `factory run --answers`: per human gate, a queue of accelerator keys or labels consumed in order;
// an exhausted queue (or a gate the file does not name) answers SKIPPED, like Attractor's QueueInterviewer.
import { z } from 'zod';
import type { Graph } from '../core/engine/graph.ts';
import type { HandlerRegistry } from '../core/engine/handler.ts';
import type { Answer, Interviewer, Question } from '../core/engine/interviewer.ts';
import { QueueInterviewer } from '../core/engine/interviewers/index.ts';
import { UsageError } from './errors.ts';
import { readJsonFile } from './json-file.ts';

export const answersFileSchema = z.strictObject({
  answers: z.record(z.string(), z.array(z.string())),
});

export type AnswersFile = z.infer<typeof answersFileSchema>;

export function loadAnswers(path: string): AnswersFile {
  return readJsonFile(path, answersFileSchema, 'an answers file');
}

/** Every gate the file names must be a human gate (wait.human) of the graph. */
export function checkAnswersAgainstGraph(file: AnswersFile, graph: Graph, registry: HandlerRegistry, path: string): void {
  for (const gateId of Object.keys(file.answers)) {
    const node = graph.nodes.get(gateId);
    if (!node) throw new UsageError(`${path}: answers.${gateId}: the graph has no node "${gateId}"`);
    const type = registry.typeOf(node);
    if (type !== 'wait.human') throw new UsageError(`${path}: answers.${gateId}: "${gateId}" is a ${type} node, not a human gate (wait.human)`);
  }
}

/** Routes each question to the queue of the gate that asks it. */
export class GateAnswersInterviewer implements Interviewer {
  readonly #queues: ReadonlyMap<string, Interviewer>;
  readonly #unnamed = new QueueInterviewer([]);

  constructor(file: AnswersFile) {
    this.#queues = new Map(
      Object.entries(file.answers).map(([gateId, values]) => [gateId, new QueueInterviewer(values)]),
    );
  }

  ask(question: Question): Promise<Answer> {
    return (this.#queues.get(question.stage) ?? this.#unnamed).ask(question);
  }
}
