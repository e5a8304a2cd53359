import { describe, expect, it } from '@jest/globals';
import { importCycles, readImportGraph } from '../support/import-graph.ts';
import { REPO_ROOT } from '../support/run-cli.ts';

const SOURCE_FOLDERS = ['core', 'app', 'action', 'cli', 'bench'];

describe('import cycles', () => {
  it('finds a planted circle', () => {
    const graph = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('no module of ours imports itself back through others', () => {
    const graph = readImportGraph(REPO_ROOT, SOURCE_FOLDERS);
    expect(graph.size).toBeGreaterThan(200);
    expect(importCycles(graph)).toEqual([]);
  });
});
