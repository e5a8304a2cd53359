// Each kind of bad input gets one line on stderr naming the file and the problem, exit 2, no stack.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/run-cli.ts';
import { fixture, STACK_LINE, tempDirs } from './helpers.ts';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.status).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(STACK_LINE);
}

function write(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('bad graph files', () => {
  it.each(['lint', 'render'])('%s: a missing file', (command) => {
    const dir = dirs.make();
    expectOneLineError(runCli([command, join(dir, 'nope.dot')]), /nope\.dot: no such file$/);
  });

  it('run: a missing file', () => {
    const dir = dirs.make();
    expectOneLineError(runCli(['run', join(dir, 'nope.dot'), '--logs', join(dir, 'logs')]), /nope\.dot: no such file$/);
    expect(existsSync(join(dir, 'logs'))).toBe(false);
  });

  it('a directory', () => {
    const dir = dirs.make();
    expectOneLineError(runCli(['lint', dir]), new RegExp(`^${dir}: is a directory, not a DOT graph$`));
  });

  it('a binary file', () => {
    const dir = dirs.make();
    const path = write(dir, 'image.dot', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    expectOneLineError(runCli(['lint', path]), /image\.dot: is a binary file, not a DOT graph$/);
  });

  it('DOT outside the subset, with file:line:col', () => {
    const dir = dirs.make();
    const path = write(dir, 'undirected.dot', 'graph G {\n  a -- b\n}\n');
    for (const args of [['lint', path], ['render', path, '--format', 'dot'], ['run', path, '--logs', join(dir, 'logs')]]) {
      expectOneLineError(runCli(args), new RegExp(`^${path}:\\d+:\\d+: `));
    }
  });
});

describe('bad stub files', () => {
  const graph = fixture('goal-gate-loop.dot');
  const run = (stub: string, dir: string) => runCli(['run', graph, '--logs', join(dir, 'logs'), '--stub', stub]);

  it('names the key path and the expected values of a bad status', () => {
    const dir = dirs.make();
    const stub = write(dir, 'stub.json', JSON.stringify({ outcomes: { implement: ['fail', 'sucess'] } }));
    expectOneLineError(run(stub, dir), /stub\.json: not a stub file: outcomes\.implement\[1\]: expected one of success\|partial_success\|retry\|fail\|skipped; got "sucess"$/);
    expect(existsSync(join(dir, 'logs'))).toBe(false);
  });

  it('names an unknown key of an outcome object', () => {
    const dir = dirs.make();
    const stub = write(dir, 'stub.json', JSON.stringify({ outcomes: { verify: { status: 'fail', reason: 'x' } } }));
    expectOneLineError(run(stub, dir), /stub\.json: not a stub file: outcomes\.verify: unknown key "reason"$/);
  });

  it('names a missing "outcomes" object', () => {
    const dir = dirs.make();
    const stub = write(dir, 'stub.json', JSON.stringify({ implement: 'fail' }));
    expectOneLineError(run(stub, dir), /stub\.json: not a stub file: outcomes: expected record; got undefined$/);
  });

  it('locates invalid JSON by line and column', () => {
    const dir = dirs.make();
    const stub = write(dir, 'stub.json', '{"outcomes":\n  {"implement": fail}}\n');
    expectOneLineError(run(stub, dir), /stub\.json:2:17: invalid JSON: /);
  });

  it('rejects a node the graph does not have', () => {
    const dir = dirs.make();
    const stub = write(dir, 'stub.json', JSON.stringify({ outcomes: { deploy: 'fail' } }));
    expectOneLineError(run(stub, dir), /stub\.json: outcomes\.deploy: the graph has no node "deploy"$/);
  });

  it('rejects stubbing the start or exit node', () => {
    const dir = dirs.make();
    const stub = write(dir, 'stub.json', JSON.stringify({ outcomes: { exit: 'fail' } }));
    expectOneLineError(run(stub, dir), /stub\.json: outcomes\.exit: .*cannot be stubbed$/);
  });
});

describe('bad answers files', () => {
  const graph = fixture('human-gate.dot');
  const run = (answers: string, dir: string) => runCli(['run', graph, '--logs', join(dir, 'logs'), '--answers', answers]);

  it('names the key path and what was expected', () => {
    const dir = dirs.make();
    const answers = write(dir, 'answers.json', JSON.stringify({ answers: { review: 'A' } }));
    expectOneLineError(run(answers, dir), /answers\.json: not an answers file: answers\.review: expected array; got "A"$/);
  });

  it('rejects a gate the graph does not have, and a node that is not a gate', () => {
    const dir = dirs.make();
    expectOneLineError(run(write(dir, 'a.json', JSON.stringify({ answers: { signoff: ['A'] } })), dir), /a\.json: answers\.signoff: the graph has no node "signoff"$/);
    expectOneLineError(run(write(dir, 'b.json', JSON.stringify({ answers: { work: ['A'] } })), dir), /b\.json: answers\.work: "work" is a codergen node, not a human gate/);
  });

  it('names a missing answers file', () => {
    const dir = dirs.make();
    expectOneLineError(run(join(dir, 'missing.json'), dir), /missing\.json: no such file$/);
  });
});

describe('bad flags', () => {
  const graph = fixture('linear.dot');

  it.each([
    [['run', graph, '--logs', 'x', '--turbo'], /^factory run: unknown option --turbo/],
    [['lint', graph, '--fix'], /^factory lint: unknown option --fix/],
    [['render', graph, '--format'], /^factory render: option --format needs a value/],
    [['render', graph, '--format', 'png'], /--format must be one of svg, mermaid, dot, not "png"$/],
    [['run', graph], /--logs <dir> is required/],
    [['run', graph, '--logs', 'x', '--simulate', '--stub', 's.json'], /--simulate and --stub cannot be used together$/],
    [['run', graph, '--logs', 'x', '--auto-approve', '--answers', 'a.json'], /--auto-approve and --answers cannot be used together$/],
    [['run', graph, '--logs', 'x', '--max-usd', 'lots'], /--max-usd must be a non-negative number, not "lots"$/],
    [['lint', graph, graph], /unexpected argument/],
  ])('%j', (args, pattern) => {
    expectOneLineError(runCli(args), pattern);
  });

  it('--workdir that does not exist', () => {
    const dir = dirs.make();
    expectOneLineError(runCli(['run', graph, '--logs', join(dir, 'logs'), '--workdir', join(dir, 'nowhere')]), /^--workdir .*nowhere: no such directory$/);
  });
});

describe('bad run directories', () => {
  it('--resume without a checkpoint', () => {
    const dir = dirs.make();
    expectOneLineError(runCli(['run', fixture('linear.dot'), '--logs', join(dir, 'logs'), '--resume', '--workdir', dir]), /^--resume: no checkpoint to resume from: .*checkpoint\.json does not exist$/);
  });

  it('--resume with a checkpoint from another graph', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    expect(runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir, '--quiet']).status).toBe(0);
    const result = runCli(['run', fixture('human-gate.dot'), '--logs', logs, '--workdir', dir, '--resume', '--auto-approve']);
    expectOneLineError(result, /^--resume: checkpoint in .*logs belongs to graph "linear".*not to "human_gate"/);
  });

  it('a corrupt checkpoint', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    write(logs, 'checkpoint.json', '{"timestamp": 1}');
    expectOneLineError(runCli(['run', fixture('linear.dot'), '--logs', logs, '--resume']), /checkpoint\.json is not a checkpoint: /);
    expectOneLineError(runCli(['render', fixture('linear.dot'), '--run', logs]), /checkpoint\.json is not a checkpoint: /);
  });

  it('a fresh run into a directory that already holds one', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    expect(runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir, '--quiet']).status).toBe(0);
    expectOneLineError(runCli(['run', fixture('linear.dot'), '--logs', logs, '--workdir', dir]), /already holds a run \(checkpoint\.json\); continue it with --resume/);
  });

  it('render --run of a directory without a checkpoint', () => {
    const dir = dirs.make();
    expectOneLineError(runCli(['render', fixture('linear.dot'), '--run', dir]), /^--run .*: no checkpoint\.json there/);
  });

  it('render --run of a run over a graph without the visited nodes', () => {
    const dir = dirs.make();
    const logs = join(dir, 'logs');
    expect(runCli(['run', fixture('human-gate.dot'), '--logs', logs, '--workdir', dir, '--auto-approve', '--quiet']).status).toBe(0);
    expectOneLineError(runCli(['render', fixture('linear.dot'), '--run', logs]), /the run visited node "work", which this graph does not have/);
  });
});
