// A small graded corpus of graphs in the style other Attractor implementations read (written for
// this repository), with the result each must give: the four cases the resume issue names.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineEngine } from '../../core/engine/pipeline.ts';

const CORPUS = fileURLToPath(new URL('../fixtures/graphs/corpus/', import.meta.url));
const source = (name: string) => readFileSync(join(CORPUS, name), 'utf8');

describe('graded corpus of Attractor-style graphs', () => {
  it.each(['newline-attrs.dot', 'semicolon-attrs.dot', 'attractor-env.dot'])('%s parses and lints with no error', (name) => {
    const { diagnostics } = new PipelineEngine().prepare(source(name), name);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('newline-separated attributes keep their values', () => {
    const { graph } = new PipelineEngine().prepare(source('newline-attrs.dot'));
    expect(graph.nodes.get('plan')?.attrs).toMatchObject({ shape: 'box', prompt: 'Plan how to Ship a greeting', max_retries: 2 });
  });

  it('a tool stage reading ATTRACTOR_STAGE_DIR, ATTRACTOR_LOGS_ROOT and ATTRACTOR_NODE_ID succeeds', async () => {
    const engine = new PipelineEngine();
    const { graph } = engine.prepareOrRaise(source('attractor-env.dot'));
    const logs = mkdtempSync(join(tmpdir(), 'corpus-'));
    try {
      const result = await engine.run(graph, { logsRoot: logs, workdir: logs });
      expect(result).toMatchObject({ status: 'success', completed_nodes: ['start', 'probe', 'exit'] });
    } finally {
      rmSync(logs, { recursive: true, force: true });
    }
  });

  it('an edge to an undeclared node is a warning naming the likely typo', () => {
    const { diagnostics } = new PipelineEngine().prepare(source('undeclared-typo.dot'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.find((d) => d.rule === 'undeclared_node')?.message).toBe('node "reveiw" is never declared, only used by an edge; likely a typo for "review"');
  });
});
