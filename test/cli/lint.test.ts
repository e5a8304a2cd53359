import { describe, expect, it } from '@jest/globals';
import { runCli } from '../support/run-cli.ts';
import { fixture, STACK_LINE } from './helpers.ts';

interface LintJson {
  ok: boolean;
  diagnostics: Array<{ rule: string; severity: string; message: string; node_id?: string; edge?: { from: string; to: string }; line?: number; column?: number; fix?: string }>;
  graph?: { name: string; attrs: Record<string, unknown>; nodes: Array<{ id: string; attrs: Record<string, unknown> }>; edges: Array<{ from: string; to: string; attrs: Record<string, unknown> }> };
}

describe('factory lint', () => {
  it('exits 0 and says so for a graph without problems', () => {
    const file = fixture('linear.dot');
    const result = runCli(['lint', file]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`${file}: no problems`);
  });

  it('prints one located line per diagnostic, then a summary, and exits 1 on errors', () => {
    const file = fixture('lint-errors.dot');
    const result = runCli(['lint', file]);
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^${file}:3:5: warning \\[unknown_attribute\\] .*"retries".* \\(node work\\)`));
    expect(lines[1]).toMatch(new RegExp(`^${file}:4:5: error \\[reachability\\] .* \\(node orphan\\) — fix: .+`));
    expect(lines[2]).toMatch(new RegExp(`^${file}:8:5: error \\[condition_syntax\\] .* \\(edge work -> exit\\) — fix: .+`));
    expect(lines[3]).toBe(`${file}: 2 errors, 1 warning`);
  });

  it('exits 0 when the only diagnostics are warnings', () => {
    const result = runCli(['lint', fixture('warnings-only.dot')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('warning [unknown_attribute]');
    expect(result.stdout).toContain('0 errors, 1 warning');
  });

  it('exits 2 with one located line for DOT outside the subset', () => {
    const file = fixture('syntax-error.dot');
    const result = runCli(['lint', file]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${file}:4:1: `));
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  describe('--json', () => {
    it('prints ok, the diagnostics and the transformed graph with typed attributes', () => {
      const result = runCli(['lint', fixture('lint-errors.dot'), '--json']);
      expect(result.status).toBe(1);
      const json = JSON.parse(result.stdout) as LintJson;
      expect(json.ok).toBe(false);
      expect(json.diagnostics.map((d) => [d.rule, d.severity])).toEqual(
        expect.arrayContaining([['reachability', 'error'], ['condition_syntax', 'error'], ['unknown_attribute', 'warning']]),
      );
      const reachability = json.diagnostics.find((d) => d.rule === 'reachability')!;
      expect(reachability).toMatchObject({ node_id: 'orphan', line: 4, column: 5 });
      expect(typeof reachability.fix).toBe('string');
      expect(json.diagnostics.find((d) => d.rule === 'condition_syntax')!.edge).toEqual({ from: 'work', to: 'exit' });
      const work = json.graph!.nodes.find((n) => n.id === 'work')!;
      expect(work.attrs.max_retries).toBe(2);
    });

    it('gives durations in milliseconds, booleans as booleans, and the graph after transforms', () => {
      const result = runCli(['lint', fixture('linear.dot'), '--json']);
      expect(result.status).toBe(0);
      const json = JSON.parse(result.stdout) as LintJson;
      expect(json).toMatchObject({ ok: true, diagnostics: [] });
      expect(json.graph!.name).toBe('linear');
      expect(json.graph!.nodes.map((n) => n.id)).toEqual(['start', 'plan', 'build', 'exit']);
      expect(json.graph!.nodes.find((n) => n.id === 'build')!.attrs.timeout).toBe(90_000);
      expect(json.graph!.nodes.find((n) => n.id === 'plan')!.attrs.prompt).toBe('Plan the greeting for: Write a greeting');
      expect(json.graph!.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['start->plan', 'plan->build', 'build->exit']);

      const gate = JSON.parse(runCli(['lint', fixture('goal-gate-loop.dot'), '--json']).stdout) as LintJson;
      expect(gate.graph!.nodes.find((n) => n.id === 'verify')!.attrs.goal_gate).toBe(true);
    });

    it('reports a syntax error as a dot_syntax diagnostic and exits 2', () => {
      const result = runCli(['lint', fixture('syntax-error.dot'), '--json']);
      expect(result.status).toBe(2);
      const json = JSON.parse(result.stdout) as LintJson;
      expect(json.ok).toBe(false);
      expect(json.diagnostics).toEqual([expect.objectContaining({ rule: 'dot_syntax', severity: 'error', line: 4, column: 1 })]);
    });
  });
});
