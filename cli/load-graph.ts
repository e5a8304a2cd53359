// Reads a graph file and prepares it (parse → transform → lint); unreadable files and DOT outside
// the subset become one located line with exit 2.
import type { Diagnostic } from '../core/engine/diagnostics.ts';
import { DotSyntaxError } from '../core/engine/errors.ts';
import type { Graph } from '../core/engine/graph.ts';
import type { PipelineEngine } from '../core/engine/pipeline.ts';
import { UsageError } from './errors.ts';
import { readTextFile } from './input-files.ts';

export interface LoadedGraph {
  path: string;
  source: string;
  graph: Graph;
  diagnostics: Diagnostic[];
}

export function readGraphSource(path: string): string {
  return readTextFile(path, 'a DOT graph');
}

export function prepareGraph(engine: PipelineEngine, path: string, source: string): LoadedGraph {
  try {
    const { graph, diagnostics } = engine.prepare(source, path);
    return { path, source, graph, diagnostics };
  } catch (error) {
    if (error instanceof DotSyntaxError) throw new UsageError(error.describe());
    throw error;
  }
}

export function loadGraph(engine: PipelineEngine, path: string): LoadedGraph {
  return prepareGraph(engine, path, readGraphSource(path));
}
