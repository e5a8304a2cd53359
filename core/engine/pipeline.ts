// The engine's front door: parse → transform → validate → run (Attractor §3.1), with registries
// for handlers, transforms and lint rules.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CodergenBackend } from './backend.ts';
import type { Clock, Random } from './clock.ts';
import type { Diagnostic } from './diagnostics.ts';
import { ConfigurationError, ValidationError } from './errors.ts';
import { EventBus, type EventObserver } from './events.ts';
import type { Graph } from './graph.ts';
import type { Handler, HandlerRegistry } from './handler.ts';
import { createDefaultHandlers } from './handlers/index.ts';
import type { Interviewer } from './interviewer.ts';
import { AutoApproveInterviewer } from './interviewers/index.ts';
import { parseDot } from './parser/index.ts';
import { startRun, type RunHandle, type RunOptions } from './run/executor.ts';
import type { RunResult } from './run/run-dir.ts';
import { applyTransforms, type Transform } from './transforms.ts';
import { validate, type LintRule } from './validate/index.ts';

export interface PreparedGraph {
  graph: Graph;
  /** Parse diagnostics (aliases, attribute types) followed by lint results. */
  diagnostics: Diagnostic[];
}

export interface EngineOptions {
  backend?: CodergenBackend;
  interviewer?: Interviewer;
  clock?: Clock;
  random?: Random;
}

export type EngineRunOptions = Omit<RunOptions, 'registry' | 'interviewer' | 'backend' | 'clock' | 'random' | 'bus' | 'loadChildGraph'> & {
  observers?: EventObserver[];
};

export class PipelineEngine {
  readonly registry: HandlerRegistry = createDefaultHandlers();
  readonly #transforms: Transform[] = [];
  readonly #rules: LintRule[] = [];
  readonly #extraAttributes = new Set<string>();
  readonly #observers = new Set<EventObserver>();
  readonly #options: EngineOptions;

  constructor(options: EngineOptions = {}) {
    this.#options = options;
  }

  /** Registers (or replaces) the handler for a type; `attributes` are the node attributes it reads. */
  registerHandler(type: string, handler: Handler, attributes: string[] = []): this {
    this.registry.register(type, handler);
    for (const key of attributes) this.#extraAttributes.add(key);
    return this;
  }

  /** Custom transforms run after the built-ins, in registration order (§9.3). */
  registerTransform(transform: Transform): this {
    this.#transforms.push(transform);
    return this;
  }

  registerRule(rule: LintRule): this {
    this.#rules.push(rule);
    return this;
  }

  /** Observes every event of every run started by this engine. */
  subscribe(observer: EventObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** Parse, transform and lint; throws DotSyntaxError when the source is not in the DOT subset. */
  prepare(source: string, file?: string): PreparedGraph {
    const parsed = parseDot(source, { file });
    const graph = applyTransforms(parsed.graph, this.#transforms);
    const lint = validate(graph, { extraRules: this.#rules, knownTypes: this.registry.types(), extraAttributes: this.#extraAttributes });
    return { graph, diagnostics: [...parsed.diagnostics, ...lint] };
  }

  /** Like prepare, but error-severity diagnostics raise ValidationError. */
  prepareOrRaise(source: string, file?: string): PreparedGraph {
    const prepared = this.prepare(source, file);
    if (prepared.diagnostics.some((d) => d.severity === 'error')) throw new ValidationError(prepared.diagnostics);
    return prepared;
  }

  prepareFile(path: string): PreparedGraph {
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigurationError(`cannot read graph ${path}: ${(error as Error).message}`);
    }
    return this.prepareOrRaise(source, path);
  }

  start(graph: Graph, options: EngineRunOptions): RunHandle {
    const { observers = [], ...runOptions } = options;
    const bus = new EventBus(options.runId ?? '', (this.#options.clock ?? { now: Date.now }).now);
    for (const observer of [...this.#observers, ...observers]) bus.subscribe(observer);
    return startRun(graph, {
      ...runOptions,
      registry: this.registry,
      backend: this.#options.backend,
      interviewer: this.#options.interviewer ?? new AutoApproveInterviewer(),
      clock: this.#options.clock,
      random: this.#options.random,
      bus,
      loadChildGraph: (dotfile) => this.prepareFile(resolve(options.graphPath ? dirname(options.graphPath) : (options.workdir ?? '.'), dotfile)).graph,
    });
  }

  run(graph: Graph, options: EngineRunOptions): Promise<RunResult> {
    return this.start(graph, options).result;
  }
}
