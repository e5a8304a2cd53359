import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineEngine } from '../../core/engine/index.ts';
import { REPO_ROOT, runCli } from '../support/run-cli.ts';

const GRAPH = join(REPO_ROOT, 'graphs', 'factory.dot');
const dirs: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'factory-default-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stub(outcomes: Record<string, unknown>): string {
  const path = join(temp(), 'stub.json');
  writeFileSync(path, JSON.stringify({ outcomes }));
  return path;
}

describe('graphs/factory.dot, the default factory graph', () => {
  const prepared = new PipelineEngine().prepare(readFileSync(GRAPH, 'utf8'), GRAPH);

  it('lints with no warnings', () => {
    expect(prepared.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('chooses models per stage through its stylesheet', () => {
    const attrs = (id: string) => prepared.graph.nodes.get(id)!.attrs;
    expect(attrs('implement')).toMatchObject({ llm_provider: 'anthropic', llm_model: 'claude-sonnet-4-6', reasoning_effort: 'medium' });
    expect(attrs('plan')).toMatchObject({ reasoning_effort: 'high' });
    expect(attrs('review')).toMatchObject({ reasoning_effort: 'high' });
  });

  it('tells the coding agents about spec/ and protected paths, never where the holdouts are', () => {
    for (const id of ['understand', 'plan', 'implement', 'fix', 'refine', 'review']) {
      const prompt = String(prepared.graph.nodes.get(id)!.attrs.prompt);
      expect(prompt.length).toBeGreaterThan(100);
      expect(prompt).not.toMatch(/holdouts?[-_/]|scenarios_repo|scenarios\//i);
    }
    expect(String(prepared.graph.nodes.get('implement')!.attrs.prompt)).toMatch(/Never modify spec\//);
    expect(String(prepared.graph.nodes.get('implement')!.attrs.prompt)).toContain(String(prepared.graph.attrs.goal));
  });

  it('runs end to end with --simulate, the check stage running the configured command', () => {
    const logs = join(temp(), 'logs');
    const run = runCli(['run', GRAPH, '--simulate', '--logs', logs, '--workdir', temp(), '--json'], { env: { FACTORY_CHECK_COMMAND: 'echo checks-green' } });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('success');
    expect(result.completed_nodes).toEqual(['start', 'understand', 'plan', 'implement', 'check', 'review', 'done']);
    expect(readFileSync(join(logs, 'check', 'tool_output.txt'), 'utf8')).toContain('checks-green');
  });

  it('loops through fix when the checks fail and through refine when the review finds gaps', () => {
    // review has one retry (default_max_retries=1): two findings in a row send the run to refine.
    const reviewFinding = { status: 'fail', preferred_label: 'Refine', notes: 'missing 404 test' };
    const logs = join(temp(), 'logs');
    const stubFile = stub({ check: ['fail', 'success'], review: [reviewFinding, reviewFinding, 'success'] });
    const run = runCli(['run', GRAPH, '--stub', stubFile, '--logs', logs, '--workdir', temp(), '--json'], { env: { FACTORY_CHECK_COMMAND: 'true' } });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).completed_nodes).toEqual([
      'start', 'understand', 'plan', 'implement', 'check', 'fix', 'check', 'review', 'refine', 'check', 'review', 'done',
    ]);
  });

  it('ends the run, naming the problem, when no check command is configured', () => {
    const logs = join(temp(), 'logs');
    const env = { ...process.env };
    delete env.FACTORY_CHECK_COMMAND;
    const run = runCli(['run', GRAPH, '--simulate', '--logs', logs, '--workdir', temp(), '--json'], { env: { ...env, FACTORY_CHECK_COMMAND: '' } });
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('fail');
    expect(result.failure_reason).toMatch(/failed 3 visits in a row/);
    expect(readFileSync(join(logs, 'check', 'tool_output.txt'), 'utf8')).toContain('set factory.check_command');
  });
});
