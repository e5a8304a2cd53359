import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.ts';
import { fixture, readJson, readLines, STACK_LINE, startCli, tempDirs, waitUntil } from './helpers.ts';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

interface Result {
  status: string;
  completed_nodes: string[];
  node_outcomes: Record<string, { status: string; preferred_label?: string; failure_reason?: string }>;
  failure_reason?: string;
}

interface Checkpoint extends Result {
  current_node: string;
  next_node?: string;
  context: Record<string, unknown>;
  logs: string[];
}

function eventTypes(path: string, name?: string): string[] {
  return readLines(path)
    .map((line) => JSON.parse(line) as { type: string; name?: string })
    .filter((event) => name === undefined || event.name === name)
    .map((event) => event.type);
}

describe('factory run --simulate (the default)', () => {
  it('runs LLM stages with the simulated response and tool stages for real, and writes the run directory', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const result = runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(new RegExp(`^factory run: success — 4 stages in \\S+; logs in ${logs}$`));
    expect(readFileSync(join(dir, 'trace.txt'), 'utf8')).toBe('built\n');
    expect(readFileSync(join(logs, 'plan', 'response.md'), 'utf8')).toBe('[Simulated] Response for stage: plan');
    expect(readFileSync(join(logs, 'build', 'tool_output.txt'), 'utf8')).toBe('');
    const manifest = readJson(join(logs, 'manifest.json')) as { graph: { name: string; sha256: string }; tool_version: string };
    expect(manifest.graph.name).toBe('linear');
    expect(manifest.graph.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.tool_version).toMatch(/^\d+\.\d+\.\d+/);
    const checkpoint = readJson(join(logs, 'checkpoint.json')) as Checkpoint;
    expect(checkpoint.completed_nodes).toEqual(['start', 'plan', 'build', 'exit']);
    expect(checkpoint.current_node).toBe('exit');
    expect((readJson(join(logs, 'result.json')) as Result).status).toBe('success');
  });

  it('gives the same run with --simulate spelled out', () => {
    const dir = dirs.make();
    const result = runCli(['run', fixture('linear.dot'), '--logs', join(dir, 'logs'), '--workdir', dir, '--simulate', '--json']);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as Result).completed_nodes).toEqual(['start', 'plan', 'build', 'exit']);
  });

  it('prints one plain progress line per stage event on stderr when it is not a terminal', () => {
    const dir = dirs.make();
    const result = runCli(['run', fixture('linear.dot'), '--logs', join(dir, 'logs'), '--workdir', dir]);
    const lines = result.stderr.trim().split('\n');
    expect(lines.map((line) => line.replace(/^\[\+[^\]]+\] /, ''))).toEqual([
      'start: started (start)',
      expect.stringMatching(/^start: success in /),
      'plan: started (codergen)',
      expect.stringMatching(/^plan: success in /),
      'build: started (tool)',
      expect.stringMatching(/^build: success in /),
      'exit: started (exit)',
      expect.stringMatching(/^exit: success in /),
    ]);
    expect(result.stderr).not.toContain('\r');
  });

  it('--quiet prints only the final result line', () => {
    const dir = dirs.make();
    const result = runCli(['run', fixture('linear.dot'), '--logs', join(dir, 'logs'), '--workdir', dir, '--quiet']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^factory run: success — 4 stages/)]);
  });

  it('--json prints only the result object, the same one as result.json', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const result = runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir, '--json']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const printed = JSON.parse(result.stdout) as Result;
    expect(printed).toEqual(readJson(join(logs, 'result.json')));
    expect(printed).toMatchObject({ status: 'success', completed_nodes: ['start', 'plan', 'build', 'exit'] });
    expect(printed.node_outcomes.build!.status).toBe('success');
  });

  it('--events writes every event to the extra file too', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const events = join(dir, 'out', 'events.jsonl');
    expect(runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir, '--quiet', '--events', events]).status).toBe(0);
    expect(readLines(events)).toEqual(readLines(join(logs, 'events.jsonl')));
    expect(eventTypes(events)).toEqual(expect.arrayContaining(['pipeline_started', 'stage_started', 'stage_completed', 'checkpoint_saved', 'pipeline_completed']));
  });

  it('--max-usd is accepted (simulated stages cost nothing)', () => {
    const dir = dirs.make();
    expect(runCli(['run', fixture('linear.dot'), '--logs', join(dir, 'logs'), '--workdir', dir, '--quiet', '--max-usd', '0.5']).status).toBe(0);
  });

  it('refuses a graph with lint errors: prints them, exits 1, and runs nothing', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const result = runCli(['run', fixture('lint-errors.dot'), '--logs', logs, '--workdir', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error [reachability]');
    expect(result.stderr).toContain('error [condition_syntax]');
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/2 errors, 1 warning; not running a graph with errors$/);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(logs)).toBe(false);
  });

  it('exits 1 with the failing stage named when a tool stage fails', () => {
    const dir = dirs.make();
    const graph = join(dir, 'failing.dot');
    writeFileSync(graph, 'digraph failing {\n  start [shape=Mdiamond]\n  check [shape=parallelogram, tool_command="exit 3"]\n  exit [shape=Msquare]\n  start -> check -> exit\n}\n');
    const result = runCli(['run', graph, '--logs', join(dir, 'logs'), '--workdir', dir, '--quiet']);
    expect(result.status).toBe(1);
    expect(result.stdout.trim()).toMatch(/^factory run: fail — 2 stages in \S+; stage "check" failed: tool_command exited with code 3; logs in /);
  });
});

describe('factory run --stub', () => {
  it('forces a failure with a retry, then a goal-gate loop back to implement, and succeeds', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const result = runCli(['run', fixture('goal-gate-loop.dot'), '--logs', logs, '--workdir', dir, '--stub', fixture('gate-loop.stub.json'), '--json']);
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as Result;
    expect(printed.status).toBe('success');
    // verify failed, its failure edge led to the exit, the unmet goal gate sent the run back to implement.
    expect(printed.completed_nodes).toEqual(['start', 'implement', 'record', 'verify', 'implement', 'record', 'verify', 'exit']);
    const events = join(logs, 'events.jsonl');
    expect(eventTypes(events, 'implement')).toEqual(['stage_started', 'stage_failed', 'stage_retrying', 'stage_started', 'stage_completed', 'stage_started', 'stage_completed']);
    expect(eventTypes(events, 'verify')).toEqual(['stage_started', 'stage_failed', 'stage_started', 'stage_completed']);
    const checkpoint = readJson(join(logs, 'checkpoint.json')) as Checkpoint;
    expect(checkpoint.logs).toEqual(expect.arrayContaining([expect.stringContaining('goal gate verify unsatisfied')]));
    expect(checkpoint.context.tests_passed).toBe('false');
    // The unstubbed tool stage really ran, once per visit.
    expect(readLines(join(dir, 'trace.txt'))).toEqual(['record', 'record']);
  });

  it('replaces the work of stubbed tool and human-gate nodes, routing by the stubbed label', () => {
    const dir = dirs.make();
    const stub = join(dir, 'stub.json');
    writeFileSync(stub, JSON.stringify({ outcomes: { review: [{ status: 'success', preferred_label: 'Fix' }, { preferred_label: 'Approve' }], rework: 'success' } }));
    const result = runCli(['run', fixture('human-gate.dot'), '--logs', join(dir, 'logs'), '--workdir', dir, '--stub', stub, '--json']);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as Result).completed_nodes).toEqual(['start', 'work', 'review', 'rework', 'review', 'exit']);
    // rework is a tool stage; stubbed, its command never ran.
    expect(existsSync(join(dir, 'trace.txt'))).toBe(false);
  });

  it('ends the run with the stubbed failure when nothing routes it', () => {
    const dir = dirs.make();
    const stub = join(dir, 'stub.json');
    writeFileSync(stub, JSON.stringify({ outcomes: { plan: { status: 'fail', failure_reason: 'no plan possible' } } }));
    const result = runCli(['run', fixture('linear.dot'), '--logs', join(dir, 'logs'), '--workdir', dir, '--stub', stub, '--json']);
    expect(result.status).toBe(1);
    const printed = JSON.parse(result.stdout) as Result;
    expect(printed).toMatchObject({ status: 'fail', completed_nodes: ['start', 'plan'] });
    expect(printed.failure_reason).toContain('no plan possible');
  });
});

describe('factory run: human gates', () => {
  it('--answers routes the gate by key, then by label', () => {
    const dir = dirs.make();
    const result = runCli(['run', fixture('human-gate.dot'), '--logs', join(dir, 'logs'), '--workdir', dir, '--answers', fixture('review.answers.json'), '--json']);
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as Result;
    expect(printed.completed_nodes).toEqual(['start', 'work', 'review', 'rework', 'review', 'exit']);
    expect(printed.node_outcomes.review!.preferred_label).toBe('[A] Approve');
    expect(readLines(join(dir, 'trace.txt'))).toEqual(['rework']);
  });

  it('an exhausted answer queue answers SKIPPED, which fails the gate', () => {
    const dir = dirs.make();
    const answers = join(dir, 'answers.json');
    writeFileSync(answers, JSON.stringify({ answers: { review: ['F'] } }));
    const result = runCli(['run', fixture('human-gate.dot'), '--logs', join(dir, 'logs'), '--workdir', dir, '--answers', answers, '--quiet']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^factory run: fail — 5 stages .*stage "review" failed: human skipped interaction/);
  });

  it('--auto-approve takes the first choice', () => {
    const dir = dirs.make();
    const result = runCli(['run', fixture('human-gate.dot'), '--logs', join(dir, 'logs'), '--workdir', dir, '--auto-approve', '--json']);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as Result).completed_nodes).toEqual(['start', 'work', 'review', 'exit']);
  });

  it('without either, asks on the console (stdin), showing the question on stderr', () => {
    const dir = dirs.make();
    const result = runCli(['run', fixture('human-gate.dot'), '--logs', join(dir, 'logs'), '--workdir', dir, '--json'], { input: 'F\nA\n' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('Ship the change?');
    expect(result.stderr).toContain('[F] Fix');
    expect((JSON.parse(result.stdout) as Result).completed_nodes).toEqual(['start', 'work', 'review', 'rework', 'review', 'exit']);
  });
});

describe('factory run --resume', () => {
  it('continues a run killed mid-stage without re-running completed stages', async () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const trace = join(dir, 'trace.txt');
    const first = startCli(['run', fixture('resumable.dot'), '--logs', logs, '--workdir', dir, '--quiet'], dir);
    await waitUntil(() => readLines(trace).includes('slow') && existsSync(join(logs, 'checkpoint.json')));
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const interrupted = readJson(join(logs, 'checkpoint.json')) as Checkpoint;
    expect(interrupted.completed_nodes).toEqual(['start', 'first']);
    expect(interrupted.next_node).toBe('slow');

    writeFileSync(join(dir, 'go'), '');
    const resumed = runCli(['run', fixture('resumable.dot'), '--logs', logs, '--workdir', dir, '--resume', '--json'], { cwd: dir });
    expect(resumed.status).toBe(0);
    expect((JSON.parse(resumed.stdout) as Result).completed_nodes).toEqual(['start', 'first', 'slow', 'last', 'exit']);
    // `first` ran once; `slow` was interrupted, so it ran again.
    expect(readLines(trace)).toEqual(['first', 'slow', 'slow', 'last']);
  });

  it('SIGTERM cancels the run cleanly: checkpoint kept, exit 1, and the run resumes later', async () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const trace = join(dir, 'trace.txt');
    const first = startCli(['run', fixture('resumable.dot'), '--logs', logs, '--workdir', dir, '--quiet'], dir);
    await waitUntil(() => readLines(trace).includes('slow'));
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.code).toBe(1);
    expect(first.output().stdout).toMatch(/^factory run: cancelled — 2 stages .*cancelled: interrupted by SIGTERM; logs in /);
    expect(first.output().stderr).not.toMatch(STACK_LINE);
    const checkpoint = readJson(join(logs, 'checkpoint.json')) as Checkpoint & { status: string };
    expect(checkpoint).toMatchObject({ status: 'cancelled', completed_nodes: ['start', 'first'], next_node: 'slow' });

    writeFileSync(join(dir, 'go'), '');
    const resumed = runCli(['run', fixture('resumable.dot'), '--logs', logs, '--workdir', dir, '--resume', '--quiet'], { cwd: dir });
    expect(resumed.status).toBe(0);
    expect(readLines(trace)).toEqual(['first', 'slow', 'slow', 'last']);
  });

  it('SIGINT cancels a run that waits for an answer on the console', async () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const cli = startCli(['run', fixture('human-gate.dot'), '--logs', logs, '--workdir', dir], dir, { openStdin: true });
    await waitUntil(() => cli.output().stderr.includes('Select:'));
    cli.child.kill('SIGINT');
    expect((await cli.exited).code).toBe(1);
    expect(cli.output().stdout).toMatch(/^factory run: cancelled — 2 stages .*interrupted by SIGINT/);
    expect(readJson(join(logs, 'checkpoint.json'))).toMatchObject({ status: 'cancelled', completed_nodes: ['start', 'work'], next_node: 'review' });
  });

  it('resume anything: a run whose second stage fails resumes at that stage once its input is fixed, not re-running the first', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const trace = join(dir, 'trace.txt');
    const failed = runCli(['run', fixture('fails-then-fixed.dot'), '--logs', logs, '--workdir', dir, '--quiet']);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/^factory run: fail — 3 stages .*stage "second" failed: tool_command exited with code 1/);
    expect(readJson(join(logs, 'checkpoint.json'))).toMatchObject({ status: 'fail', current_node: 'first', next_node: 'second' });

    writeFileSync(join(dir, 'fixed'), '');
    const resumed = runCli(['run', fixture('fails-then-fixed.dot'), '--logs', logs, '--workdir', dir, '--resume', '--json']);
    expect(resumed.status).toBe(0);
    const result = JSON.parse(resumed.stdout) as Result;
    expect(result.status).toBe('success');
    expect(result.completed_nodes).toEqual(['start', 'first', 'second', 'second', 'third', 'exit']);
    expect(readLines(trace)).toEqual(['first', 'second', 'second']);
    // The failed attempt's output is kept beside the new one.
    expect(existsSync(join(logs, 'second', 'attempts', '1', 'tool_output.txt'))).toBe(true);
    expect((readJson(join(logs, 'second', 'attempts', '1', 'status.json')) as { outcome: string }).outcome).toBe('fail');
    expect((readJson(join(logs, 'checkpoint.json')) as { node_retries: Record<string, number[]> }).node_retries.second).toEqual([0, 0]);
  });

  it('resume anything: after a budget stop the run continues only with a raised --max-usd, and the spent stage is not run again', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    const stub = join(dir, 'stub.json');
    writeFileSync(stub, JSON.stringify({ outcomes: { first: { status: 'success', cost_usd: 2 } } }));
    writeFileSync(join(dir, 'fixed'), '');
    const run = (...extra: string[]) => runCli(['run', fixture('fails-then-fixed.dot'), '--logs', logs, '--workdir', dir, '--stub', stub, ...extra]);
    const stopped = run('--max-usd', '1', '--quiet');
    expect(stopped.status).toBe(1);
    expect(stopped.stdout).toMatch(/budget exhausted: spent \$2\.0000 of max_usd \$1/);
    const same = run('--resume', '--max-usd', '1', '--quiet');
    expect(same.status).toBe(1);
    expect(same.stdout).toMatch(/resume with a higher max_usd \(--max-usd\)/);
    const raised = run('--resume', '--max-usd', '5', '--json');
    expect(raised.status).toBe(0);
    expect((JSON.parse(raised.stdout) as Result & { cost_usd: number })).toMatchObject({ status: 'success', cost_usd: 2, completed_nodes: ['start', 'first', 'second', 'third', 'exit'] });
    expect(eventTypes(join(logs, 'events.jsonl'), 'first').filter((type) => type === 'stage_started')).toHaveLength(1);
    expect(readLines(join(dir, 'trace.txt'))).toEqual(['second']);
  });

  it('resuming a finished run answers "already complete", exit 0, and runs nothing', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    expect(runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir, '--quiet']).status).toBe(0);
    const again = runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir, '--resume']);
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(`factory run: already complete — the run in ${logs} finished successfully (4 stages); nothing to run`);
    expect(readLines(join(dir, 'trace.txt'))).toEqual(['built']);
  });

  it('resuming a finished run reports its result without running anything', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    expect(runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir, '--quiet']).status).toBe(0);
    const again = runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir, '--resume', '--json']);
    expect(again.status).toBe(0);
    expect((JSON.parse(again.stdout) as Result).status).toBe('success');
    expect(readLines(join(dir, 'trace.txt'))).toEqual(['built']);
  });
});
