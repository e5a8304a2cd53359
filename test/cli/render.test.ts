import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.ts';
import { fixture, tempDirs } from './helpers.ts';
import { parseMermaidFlowchart } from './mermaid-syntax.ts';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const SUCCESS_FILL = '#c8e6c9';
const FAIL_FILL = '#ffcdd2';
const NOT_VISITED_FILL = '#f5f5f5';
const TAKEN_EDGE = '#1565c0';

describe('factory render (no run)', () => {
  it('draws SVG by default, with every node', () => {
    const result = runCli(['render', fixture('human-gate.dot')]);
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith('<svg')).toBe(true);
    expect(result.stdout.trimEnd().endsWith('</svg>')).toBe(true);
    for (const id of ['start', 'work', 'review', 'rework', 'exit']) expect(result.stdout).toContain(`<title>${id}</title>`);
    expect(result.stdout).toContain('Ship the change?');
  });

  it('writes Mermaid that parses as a flowchart with the graph\'s nodes, edges and shapes', () => {
    const result = runCli(['render', fixture('human-gate.dot'), '--format', 'mermaid']);
    expect(result.status).toBe(0);
    const chart = parseMermaidFlowchart(result.stdout);
    expect([...chart.nodes.keys()]).toEqual(['start', 'work', 'review', 'rework', 'exit']);
    expect(chart.edges).toEqual([
      { from: 'start', to: 'work' },
      { from: 'work', to: 'review' },
      { from: 'review', to: 'exit', label: '[A] Approve' },
      { from: 'review', to: 'rework', label: '[F] Fix' },
      { from: 'rework', to: 'review' },
    ]);
    expect(result.stdout).toContain('  start(("start"))');
    expect(result.stdout).toContain('  exit(["exit"])');
    expect(result.stdout).toContain('  review{{"Ship the change?"}}');
    expect(result.stdout).toContain('  rework[/"rework"/]');
    expect(chart.classDefs.size).toBe(0);
  });

  it('writes DOT that reads back as the same graph', () => {
    const dir = dirs.make();
    const out = join(dir, 'copy.dot');
    const result = runCli(['render', fixture('linear.dot'), '--format', 'dot', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    const original = JSON.parse(runCli(['lint', fixture('linear.dot'), '--json']).stdout) as { graph: unknown };
    const copy = JSON.parse(runCli(['lint', out, '--json']).stdout) as { ok: boolean; graph: unknown };
    expect(copy.ok).toBe(true);
    expect(copy.graph).toEqual(original.graph);
  });
  it('writes DOT that factory lint accepts and reads back as the same graph, for strings naive quoting breaks', () => {
    const dir = dirs.make();
    const out = join(dir, 'copy.dot');
    const original = JSON.parse(runCli(['lint', fixture('hostile-strings.dot'), '--json']).stdout) as { ok: boolean; graph: { nodes: Array<{ id: string; attrs: Record<string, unknown> }> } };
    expect(original.ok).toBe(true);
    expect(original.graph.nodes.find((node) => node.id === 'node')?.attrs.prompt).toBe('ends with \\');
    expect(runCli(['render', fixture('hostile-strings.dot'), '--format', 'dot', '--out', out]).status).toBe(0);
    const lint = runCli(['lint', out]);
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    const copy = JSON.parse(runCli(['lint', out, '--json']).stdout) as { ok: boolean; graph: unknown };
    expect(copy.graph).toEqual(original.graph);
  });
});

describe('factory render --run', () => {
  let dir: string;
  let logs: string;

  beforeAll(() => {
    dir = dirs.make();
    logs = join(dir, 'logs');
    const stub = join(dir, 'stub.json');
    // work succeeds, the gate says Fix, rework fails: the run stops there.
    writeFileSync(stub, JSON.stringify({ outcomes: { review: { preferred_label: 'Fix' }, rework: { status: 'fail', failure_reason: 'could not fix' } } }));
    const run = runCli(['run', fixture('human-gate.dot'), '--logs', logs, '--workdir', dir, '--stub', stub, '--quiet']);
    expect(run.status).toBe(1);
  });

  it('Mermaid: classes per outcome, the stopping node highlighted, and linkStyle for the path taken', () => {
    const result = runCli(['render', fixture('human-gate.dot'), '--format', 'mermaid', '--run', logs]);
    expect(result.status).toBe(0);
    const chart = parseMermaidFlowchart(result.stdout);
    expect(chart.classes.get('work')).toEqual(new Set(['success']));
    expect(chart.classes.get('review')).toEqual(new Set(['success']));
    expect(chart.classes.get('rework')).toEqual(new Set(['fail', 'stopped_here']));
    expect(chart.classes.get('exit')).toEqual(new Set(['not_visited']));
    expect(chart.classDefs.get('fail')).toContain(`fill:${FAIL_FILL}`);
    expect(chart.classDefs.get('not_visited')).toContain(`fill:${NOT_VISITED_FILL}`);
    // start->work, work->review, review->rework are taken; review->exit and rework->review are not.
    expect([...chart.linkStyles.keys()].sort()).toEqual([0, 1, 3]);
    expect(chart.linkStyles.get(0)).toContain(`stroke:${TAKEN_EDGE}`);
  });

  it('DOT: fill colours per outcome, grey for nodes not visited, bold coloured edges taken', () => {
    const result = runCli(['render', fixture('human-gate.dot'), '--format', 'dot', '--run', logs]);
    expect(result.status).toBe(0);
    const line = (prefix: string) => result.stdout.split('\n').find((l) => l.startsWith(`  ${prefix}`)) ?? '';
    expect(line('work [')).toContain(`fillcolor="${SUCCESS_FILL}"`);
    expect(line('rework [')).toContain(`fillcolor="${FAIL_FILL}"`);
    expect(line('rework [')).toContain('penwidth=4');
    expect(line('rework [')).toContain('tooltip="fail: could not fix"');
    expect(line('exit [')).toContain(`fillcolor="${NOT_VISITED_FILL}"`);
    expect(line('review -> rework')).toContain(`color="${TAKEN_EDGE}"`);
    expect(line('review -> exit')).not.toContain(TAKEN_EDGE);
  });

  it('SVG: the same colours end up in the drawing', () => {
    const dir2 = dirs.make();
    const out = join(dir2, 'run.svg');
    expect(runCli(['render', fixture('human-gate.dot'), '--run', logs, '--out', out]).status).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const colour of [SUCCESS_FILL, FAIL_FILL, NOT_VISITED_FILL, TAKEN_EDGE]) expect(svg).toContain(colour);
  });

  it('warns (but draws) when the graph file changed since the run', () => {
    const dir2 = dirs.make();
    const edited = join(dir2, 'human-gate.dot');
    writeFileSync(edited, `${readFileSync(fixture('human-gate.dot'), 'utf8')}\n// edited\n`);
    const result = runCli(['render', edited, '--format', 'mermaid', '--run', logs]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/warning: .* another version of the graph/);
    expect(parseMermaidFlowchart(result.stdout).classes.get('rework')).toContain('fail');
  });
});
