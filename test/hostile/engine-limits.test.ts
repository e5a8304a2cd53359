// Engine findings of the hostile-input pass: a 200,000-character node id is a lint error (not an
// ENAMETOOLONG mid-run), stage directories are one safe path segment whatever the id, and a
// truncated checkpoint says so, names the file and says how to recover.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { PipelineEngine } from '../../core/engine/index.ts';
import { MAX_NODE_ID_LENGTH, stageDir } from '../../core/engine/run/run-dir.ts';
import { runCli } from '../support/run-cli.ts';

const made: string[] = [];
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'factory-hostile-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const LINEAR = fileURLToPath(new URL('../fixtures/cli/linear.dot', import.meta.url));

function longIdGraph(length: number): string {
  const id = `n${'x'.repeat(length - 1)}`;
  return `digraph G {\n  graph [goal="g"]\n  start [shape=Mdiamond]\n  exit [shape=Msquare]\n  ${id} [shape=parallelogram, tool_command="true"]\n  start -> ${id} -> exit\n}\n`;
}

describe('names that end up in paths', () => {
  it('a 200,000-character node id is a lint error naming the limit, and the run does not start', () => {
    const { diagnostics } = new PipelineEngine().prepare(longIdGraph(200_000));
    const error = diagnostics.find((diagnostic) => diagnostic.rule === 'name_length');
    expect(error).toMatchObject({ severity: 'error', line: 5 });
    expect(error!.message).toContain(`longer than ${MAX_NODE_ID_LENGTH} characters`);
    expect(error!.message.length).toBeLessThan(300);

    const dir = temp();
    const graph = join(dir, 'long.dot');
    writeFileSync(graph, longIdGraph(200_000));
    const lint = runCli(['lint', graph, '--json']);
    expect(lint.status).toBe(1);
    expect((JSON.parse(lint.stdout) as { diagnostics: Array<{ rule: string }> }).diagnostics.map((d) => d.rule)).toContain('name_length');
    const run = runCli(['run', graph, '--logs', join(dir, 'logs'), '--workdir', dir, '--simulate']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).not.toContain('ENAMETOOLONG');
    expect(run.stderr).toContain('name_length');
  });

  it('an id at the limit is fine', () => {
    const { diagnostics } = new PipelineEngine().prepare(longIdGraph(MAX_NODE_ID_LENGTH));
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  });

  it.each(['../escape', 'a/b', '', '.', `n${'y'.repeat(500)}`, 'ünïcode'])('stage directory of %j is one segment inside the logs', (id) => {
    const dir = stageDir('/logs', id);
    expect(dirname(dir)).toBe('/logs');
    expect(basename(dir)).toMatch(/^[A-Za-z0-9_-]{1,200}$/);
    expect(stageDir('/logs', id)).toBe(dir);
  });

  it('a plain id is its own stage directory', () => {
    expect(stageDir('/logs', 'implement_2')).toBe('/logs/implement_2');
  });
});

describe('a truncated checkpoint', () => {
  it('names the file, says it is truncated and how to recover, and the recovery works', () => {
    const dir = temp();
    const logs = join(dir, 'logs');
    expect(runCli(['run', LINEAR, '--logs', logs, '--workdir', dir, '--quiet']).status).toBe(0);
    const checkpoint = join(logs, 'checkpoint.json');
    truncateSync(checkpoint, Math.floor(readFileSync(checkpoint).length / 2));

    const resumed = runCli(['run', LINEAR, '--logs', logs, '--workdir', dir, '--resume']);
    expect(resumed.status).toBe(2);
    expect(resumed.stderr).toContain(`${checkpoint} is truncated`);
    expect(resumed.stderr).toMatch(/at line \d+, column \d+/);
    expect(resumed.stderr).toContain(`cp ${join(logs, 'checkpoint.previous.json')} ${checkpoint}`);
    expect(resumed.stderr).toContain('run again with --resume');
    expect(resumed.stderr).toContain('start over');
    expect(resumed.stderr).not.toContain('Unexpected end of JSON input');

    copyFileSync(join(logs, 'checkpoint.previous.json'), checkpoint);
    const recovered = runCli(['run', LINEAR, '--logs', logs, '--workdir', dir, '--resume', '--json']);
    expect(recovered.status).toBe(0);
    expect((JSON.parse(recovered.stdout) as { status: string }).status).toBe('success');
  });

  it('an empty checkpoint is truncated too; a damaged one is located', () => {
    const dir = temp();
    const logs = join(dir, 'logs');
    expect(runCli(['run', LINEAR, '--logs', logs, '--workdir', dir, '--quiet']).status).toBe(0);
    const checkpoint = join(logs, 'checkpoint.json');
    writeFileSync(checkpoint, '');
    expect(runCli(['run', LINEAR, '--logs', logs, '--workdir', dir, '--resume']).stderr).toContain(`${checkpoint} is truncated: the JSON ends early (at line 1, column 1)`);
    writeFileSync(checkpoint, '{\n  "timestamp": x\n}\n');
    const damaged = runCli(['run', LINEAR, '--logs', logs, '--workdir', dir, '--resume']);
    expect(damaged.status).toBe(2);
    expect(damaged.stderr).toContain(`${checkpoint}:2:16: invalid JSON`);
    expect(damaged.stderr).toContain('To recover');
  });
});
