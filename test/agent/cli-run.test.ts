import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.ts';
import { readJson, readLines, startCli, tempDirs, waitUntil } from '../cli/helpers.ts';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const GRAPH = new URL('../fixtures/agent/greet.dot', import.meta.url).pathname;
const SCRIPT = new URL('../fixtures/agent/greet.script.json', import.meta.url).pathname;

interface Result {
  status: string;
  completed_nodes: string[];
  node_outcomes: Record<string, { status: string; preferred_label?: string; notes?: string }>;
}

describe('factory run --model scripted:<file>', () => {
  it('runs agent stages that write files, run a check, route on the reported label, and resume after a kill', async () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const events = join(dir, 'events.jsonl');
    const first = startCli(['run', GRAPH, '--logs', logs, '--workdir', dir, '--model', `scripted:${SCRIPT}`, '--events', events, '--quiet'], dir);
    await waitUntil(() => existsSync(join(dir, 'fix-started')));
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const checkpoint = readJson(join(logs, 'checkpoint.json')) as Result & { next_node?: string };
    expect(checkpoint.completed_nodes).toEqual(['start', 'write', 'review']);
    expect(checkpoint.node_outcomes.review).toMatchObject({ status: 'success', preferred_label: 'fix' });
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('helo world\n');

    writeFileSync(join(dir, 'go'), '');
    const resumed = runCli(['run', GRAPH, '--logs', logs, '--workdir', dir, '--model', `scripted:${SCRIPT}`, '--events', events, '--resume', '--json'], { cwd: dir });
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    const result = JSON.parse(resumed.stdout) as Result;
    expect(result.status).toBe('success');
    expect(result.completed_nodes).toEqual(['start', 'write', 'review', 'fix', 'verify', 'done']);
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello world\n');
    expect(readFileSync(join(logs, 'fix', 'response.md'), 'utf8')).toBe('Fixed and checked.');
    expect(readFileSync(join(logs, 'review', 'prompt.md'), 'utf8')).toContain('Run the check');

    const agentEvents = readLines(events).map((line) => JSON.parse(line) as { type: string; node_id?: string; tool?: string; output?: string });
    const checks = agentEvents.filter((e) => e.type === 'agent_tool_call' && e.node_id === 'fix' && e.tool === 'shell');
    expect(checks.at(-1)!.output).toContain('check passed');
    expect(agentEvents.filter((e) => e.type === 'agent_turn' && e.node_id === 'review')).toHaveLength(2);
  });

  it('refuses a model whose key is missing with one line and exit 2, before any stage runs', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const result = runCli(['run', GRAPH, '--logs', logs, '--workdir', dir, '--model', 'anthropic/claude-sonnet-4-5'], { env: { ANTHROPIC_API_KEY: '' } });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['--model: model anthropic/claude-sonnet-4-5 needs ANTHROPIC_API_KEY in the environment; it is not set']);
    expect(existsSync(join(logs, 'checkpoint.json'))).toBe(false);
  });

  it('serves every LLM stage with --model <provider>/<model>, over the graph\'s stylesheet', () => {
    const dir = dirs.make();
    const graph = join(dir, 'styled.dot');
    writeFileSync(graph, `digraph styled {
      graph [goal="Say hello", model_stylesheet="* { llm_provider: anthropic; llm_model: claude-sonnet-4-6; }"]
      start [shape=Mdiamond]
      write [prompt="Write hello.txt"]
      done [shape=Msquare]
      start -> write -> done
    }`);
    // No Anthropic key: the stylesheet's model would be refused before the run; OpenAI's is used instead.
    const result = runCli(['run', graph, '--logs', join(dir, 'logs'), '--workdir', dir, '--model', 'openai/gpt-5.2', '--json'], {
      env: { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' },
    });
    expect(result.status).toBe(1);
    const outcome = JSON.parse(result.stdout) as Result & { failure_reason: string };
    expect(outcome.node_outcomes.write!.status).toBe('fail');
    expect(outcome.failure_reason).toMatch(/openai: connection failed/);
    expect(readFileSync(join(dir, 'logs', 'manifest.json'), 'utf8')).not.toContain('anthropic');
  }, 60_000);

  it('refuses an unreadable script the same way', () => {
    const dir = dirs.make();
    const result = runCli(['run', GRAPH, '--logs', join(dir, 'logs'), '--model', `scripted:${join(dir, 'missing.json')}`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^--model: scripted: cannot read .*missing\.json/);
  });
});
