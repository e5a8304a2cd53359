// The baseline of the engine-overhead benchmark: the run directory an engine run writes, written
// again with plain fs calls and nothing else. Its shape (which stages, which files, how big the
// checkpoint is after each stage, which events) is read from a real engine run, so the baseline
// writes the same bytes the engine does, minus the engine.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

interface StageShape {
  id: string;
  prompt?: string;
  response?: string;
  status: Json;
  /** The stage's lines in events.jsonl (stage_started, stage_completed, checkpoint_saved, …). */
  events: Json[];
  /** Context keys that appear once this stage has run (e.g. internal.retry_count.<id>). */
  contextKeys: string[];
}

export interface RunDirShape {
  manifest: Json;
  result: Json;
  /** The last checkpoint of the run; earlier checkpoints hold the prefix of its per-node records. */
  finalCheckpoint: Json;
  /** Events not tied to one stage (pipeline_started, pipeline_completed). */
  leadingEvents: Json[];
  trailingEvents: Json[];
  stages: StageShape[];
  /** Context keys present from the first checkpoint on. */
  constantContextKeys: string[];
  eventLines: number;
}

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Reads what one finished engine run wrote into `logsRoot`. */
export function readRunDirShape(logsRoot: string): RunDirShape {
  const checkpoint = readJson(join(logsRoot, 'checkpoint.json'));
  const completed = checkpoint.completed_nodes as string[];
  const ids = new Set(completed);
  const events = readFileSync(join(logsRoot, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Json);
  const byStage = new Map<string, Json[]>(completed.map((id) => [id, []]));
  const leadingEvents: Json[] = [];
  const trailingEvents: Json[] = [];
  for (const event of events) {
    const owner = (event.name ?? event.node_id) as string | undefined;
    const list = owner !== undefined ? byStage.get(owner) : undefined;
    if (list) list.push(event);
    else if (event.type === 'pipeline_started') leadingEvents.push(event);
    else trailingEvents.push(event);
  }
  const context = checkpoint.context as Json;
  const keysByStage = new Map<string, string[]>();
  const constantContextKeys: string[] = [];
  for (const key of Object.keys(context)) {
    const owner = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : '';
    if (!ids.has(owner)) {
      constantContextKeys.push(key);
      continue;
    }
    const list = keysByStage.get(owner);
    if (list) list.push(key);
    else keysByStage.set(owner, [key]);
  }
  const stages = completed.map((id): StageShape => {
    const dir = join(logsRoot, id);
    const shape: StageShape = { id, status: readJson(join(dir, 'status.json')), events: byStage.get(id) ?? [], contextKeys: keysByStage.get(id) ?? [] };
    const prompt = readIfExists(join(dir, 'prompt.md'));
    const response = readIfExists(join(dir, 'response.md'));
    if (prompt !== undefined) shape.prompt = prompt;
    if (response !== undefined) shape.response = response;
    return shape;
  });
  return {
    manifest: readJson(join(logsRoot, 'manifest.json')),
    result: readJson(join(logsRoot, 'result.json')),
    finalCheckpoint: checkpoint,
    leadingEvents,
    trailingEvents,
    stages,
    constantContextKeys,
    eventLines: events.length,
  };
}

function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Writes the run directory of `shape` into `logsRoot` with plain fs calls: per stage, mkdir, prompt.md,
 * response.md, status.json, checkpoint.json through a temporary file and a rename (the checkpoint
 * holding the records of the stages so far, as the engine's does), and the stage's events.jsonl lines.
 * Returns the number of event lines written.
 */
export function writeRunDirPlain(logsRoot: string, shape: RunDirShape): number {
  mkdirSync(logsRoot, { recursive: true });
  writeFileSync(join(logsRoot, 'manifest.json'), pretty(shape.manifest));
  const fd = openSync(join(logsRoot, 'events.jsonl'), 'a');
  let lines = 0;
  const writeEvent = (template: Json): void => {
    writeSync(fd, `${JSON.stringify({ ...template, ts: new Date().toISOString() })}\n`);
    lines++;
  };
  try {
    for (const event of shape.leadingEvents) writeEvent(event);

    const final = shape.finalCheckpoint;
    const finalContext = final.context as Json;
    const finalOutcomes = final.node_outcomes as Json;
    const finalRetries = final.node_retries as Record<string, number>;
    const finalVisits = final.node_visits as Record<string, number>;
    const context: Json = {};
    for (const key of shape.constantContextKeys) context[key] = finalContext[key];
    const checkpoint: Json = {
      ...final,
      completed_nodes: [] as string[],
      node_outcomes: {} as Json,
      node_retries: {} as Json,
      node_visits: {} as Json,
      context,
      status: 'running',
    };
    const checkpointFile = join(logsRoot, 'checkpoint.json');
    const checkpointTemporary = `${checkpointFile}.tmp`;

    shape.stages.forEach((stage, index) => {
      const dir = join(logsRoot, stage.id);
      mkdirSync(dir);
      if (stage.prompt !== undefined) writeFileSync(join(dir, 'prompt.md'), stage.prompt);
      if (stage.response !== undefined) writeFileSync(join(dir, 'response.md'), stage.response);
      writeFileSync(join(dir, 'status.json'), pretty(stage.status));

      (checkpoint.completed_nodes as string[]).push(stage.id);
      (checkpoint.node_outcomes as Json)[stage.id] = finalOutcomes[stage.id];
      (checkpoint.node_retries as Json)[stage.id] = finalRetries[stage.id];
      if (stage.id in finalVisits) (checkpoint.node_visits as Json)[stage.id] = finalVisits[stage.id];
      for (const key of stage.contextKeys) context[key] = finalContext[key];
      const last = index === shape.stages.length - 1;
      checkpoint.timestamp = new Date().toISOString();
      checkpoint.current_node = stage.id;
      checkpoint.next_node = last ? undefined : shape.stages[index + 1]!.id;
      checkpoint.steps = index + 1;
      if (last) checkpoint.status = final.status;
      writeFileSync(checkpointTemporary, pretty(checkpoint));
      renameSync(checkpointTemporary, checkpointFile);

      for (const event of stage.events) writeEvent(event);
    });

    writeFileSync(join(logsRoot, 'result.json'), pretty(shape.result));
    for (const event of shape.trailingEvents) writeEvent(event);
  } finally {
    closeSync(fd);
  }
  return lines;
}
