import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineEngine, loadCheckpoint, type CodergenBackend, type CodergenRequest } from '../../core/engine/index.ts';
import { REPO_ROOT, runCli } from '../support/run-cli.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'graphs');
const dirs: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'factory-realistic-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function writeJson(value: unknown): string {
  const path = join(temp(), 'file.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
}

function run(graph: string, args: string[]) {
  const logs = join(temp(), 'logs');
  const cli = runCli(['run', join(FIXTURES, graph), '--logs', logs, '--workdir', temp(), '--json', ...args]);
  expect(cli.stderr).not.toMatch(/\n\s+at /);
  return { ...cli, logs, result: cli.stdout ? JSON.parse(cli.stdout) : undefined };
}

describe('realistic graphs parse and lint', () => {
  for (const file of ['review-board.dot', 'release-train.dot', 'nightly.dot', 'smoke.dot']) {
    it(`${file} lints without errors`, () => {
      const lint = runCli(['lint', join(FIXTURES, file), '--json']);
      expect(lint.status).toBe(0);
      const report = JSON.parse(lint.stdout);
      expect(report.ok).toBe(true);
      expect(report.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
    });
  }

  it('review-board: multi-line prompts, stylesheet, subgraph defaults and derived classes', () => {
    const { graph } = new PipelineEngine().prepare(readFileSync(join(FIXTURES, 'review-board.dot'), 'utf8'));
    const node = (id: string) => graph.nodes.get(id)!;
    expect(String(node('design').attrs.prompt)).toBe('Design the change for: Add rate limiting to the public API.\nList the endpoints affected,\nthe limits per client, and the headers returned.');
    expect(node('docs_review').attrs.timeout).toMatchObject({ ms: 300_000 });
    expect(node('security_review').attrs.timeout).toMatchObject({ ms: 600_000 });
    expect(node('security_review').attrs.fidelity).toBe('summary:medium');
    expect(node('correctness_review').classes).toContain('review');
    expect(node('correctness_review').attrs).toMatchObject({ llm_model: 'gpt-5.2', llm_provider: 'openai', reasoning_effort: 'high' });
    expect(node('security_review').attrs).toMatchObject({ llm_model: 'claude-opus-4-5', llm_provider: 'anthropic' });
    expect(node('design').attrs).toMatchObject({ llm_model: 'claude-sonnet-4-5' });
  });
});

describe('realistic graphs run', () => {
  it('review-board: parallel review, retried reviewer, human revise loop, then approval', () => {
    const stub = writeJson({ outcomes: { implement: ['fail', 'success'], security_review: ['fail', 'success'] } });
    const answers = writeJson({ answers: { signoff: ['R', 'A'] } });
    const { status, result, logs } = run('review-board.dot', ['--stub', stub, '--answers', answers]);
    expect(status).toBe(0);
    expect(result.status).toBe('success');
    const order: string[] = result.completed_nodes;
    expect(order.filter((n) => n === 'signoff')).toHaveLength(2);
    expect(order.filter((n) => n === 'revise')).toHaveLength(1);
    expect(order.filter((n) => n === 'collect')).toHaveLength(2);
    for (const reviewer of ['correctness_review', 'security_review', 'docs_review']) expect(order).toContain(reviewer);
    const events = readFileSync(join(logs, 'events.jsonl'), 'utf8');
    expect(events).toMatch(/"type":"stage_retrying"[^\n]*"name":"security_review"/);
    expect(events).toContain('"type":"parallel_completed"');
    expect(events).toContain('"type":"interview_completed"');
  });

  it('review-board: an exhausted answer queue skips the gate and fails the run', () => {
    const answers = writeJson({ answers: { signoff: [] } });
    const { status, result } = run('review-board.dot', ['--simulate', '--answers', answers]);
    expect(status).toBe(1);
    expect(result.failure_reason).toMatch(/human skipped interaction/);
  });

  it('release-train: tool stages really run; a red test routes through the diamond to repair', () => {
    const stub = writeJson({ outcomes: { test: ['fail', 'fail', 'success'] } });
    const { status, result } = run('release-train.dot', ['--stub', stub]);
    expect(status).toBe(0);
    expect(result.completed_nodes).toEqual(['start', 'prepare', 'build', 'test', 'verdict', 'repair', 'build', 'test', 'verdict', 'notes', 'done']);
  });

  it('release-train: --simulate runs the real tool commands in the workdir', () => {
    const workdir = temp();
    const logs = join(temp(), 'logs');
    const cli = runCli(['run', join(FIXTURES, 'release-train.dot'), '--simulate', '--logs', logs, '--workdir', workdir, '--json']);
    expect(cli.status).toBe(0);
    expect(readFileSync(join(workdir, 'out', 'prepare.txt'), 'utf8')).toBe('prepared\n');
    expect(readFileSync(join(logs, 'test', 'tool_output.txt'), 'utf8')).toContain('tests-ok');
  });

  it('nightly: a red goal gate reaching the exit is sent back through the graph retry target', () => {
    const stub = writeJson({ outcomes: { test: ['fail', 'success'] } });
    const { status, result } = run('nightly.dot', ['--stub', stub]);
    expect(status).toBe(0);
    expect(result.completed_nodes).toEqual(['start', 'lint', 'test', 'report', 'autofix', 'test', 'report', 'exit']);
  });

  it('nightly: a gate that keeps failing the same way ends the run, naming the reason', () => {
    const stub = writeJson({ outcomes: { test: [{ status: 'fail', failure_reason: 'flaky db' }, { status: 'fail', failure_reason: 'disk full' }] } });
    const { status, result } = run('nightly.dot', ['--stub', stub]);
    expect(status).toBe(1);
    expect(result.failure_reason).toBe('node "test" failed 3 visits in a row with the same reason: disk full');
  });
});

describe('§11.13 integration smoke test, with an LLM callback', () => {
  it('plan -> implement -> review -> done with artifacts, goal gate and checkpoint', async () => {
    const prompts: CodergenRequest[] = [];
    const backend: CodergenBackend = {
      run: async (request) => {
        prompts.push(request);
        return `response for ${request.node.id}`;
      },
    };
    const engine = new PipelineEngine({ backend });
    const { graph, diagnostics } = engine.prepare(readFileSync(join(FIXTURES, 'smoke.dot'), 'utf8'));
    expect(graph.attrs.goal).toBe('Create a hello world Python script');
    expect(graph.nodes.size).toBe(5);
    expect(graph.edges).toHaveLength(6);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

    const logsRoot = temp();
    const outcome = await engine.run(graph, { logsRoot });
    expect(outcome.status).toBe('success');
    expect(outcome.completed_nodes).toContain('implement');
    for (const stage of ['plan', 'implement', 'review']) {
      for (const file of ['prompt.md', 'response.md', 'status.json']) expect(existsSync(join(logsRoot, stage, file))).toBe(true);
    }
    expect(readFileSync(join(logsRoot, 'plan', 'prompt.md'), 'utf8')).toBe('Plan how to create a hello world script for: Create a hello world Python script');
    expect(outcome.node_outcomes.implement!.status).toBe('success');
    const checkpoint = loadCheckpoint(logsRoot);
    expect(checkpoint.current_node).toBe('done');
    for (const stage of ['plan', 'implement', 'review']) expect(checkpoint.completed_nodes).toContain(stage);
    expect(prompts.map((p) => p.node.id)).toEqual(['plan', 'implement', 'review']);
  });
});
