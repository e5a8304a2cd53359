// `factory validate` with an alias-bomb scenario among good ones: the bomb is that file's harness
// error, located in the detailed report by file and field; every other scenario is still judged; the
// gate fails closed.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { fixture, runCli, tempDirs } from '../validation/helpers.ts';
import { aliasBomb } from './hostile-inputs.ts';

const temp = tempDirs();
afterAll(() => temp.removeAll());

interface Report {
  decision: string;
  result: {
    scenarios: Array<{ id: string; trials: Array<{ outcome: string }> }>;
    malformed: Array<{ file: string; issues: Array<{ field: string; expected: string; line?: number; column?: number }> }>;
  };
}

describe('a hostile scenario among good ones', () => {
  it('is reported as that scenario\'s harness error while the others are judged', async () => {
    const dir = temp.make();
    cpSync(fixture('scenarios', 'cli'), dir, { recursive: true });
    writeFileSync(join(dir, 'bomb.md'), `---\n${aliasBomb()}---\n## Story\nx\n`);
    writeFileSync(join(dir, 'huge.md'), `---\nid: huge\n---\n${'x'.repeat(2 * 1024 * 1024)}\n`);
    const report = join(temp.make(), 'report.json');
    const result = await runCli(['validate', '--scenarios', dir, '--artifact', fixture('cli-artifact', 'factory.yml'), '--model', `scripted:${fixture('models', 'cli.json')}`, '--trials', '1', '--report', report]);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('internal error');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('2 malformed scenario file(s)');
    expect(result.stdout).toContain('Decision: FAIL');
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(parsed.result.malformed.map((entry) => entry.file)).toEqual(['bomb.md', 'huge.md']);
    expect(parsed.result.malformed[0]!.issues[0]).toMatchObject({ field: '', line: 3, column: 8, expected: expect.stringContaining('aliases expand too far') });
    expect(parsed.result.malformed[1]!.issues[0]!.expected).toMatch(/at most 1048576 bytes/);
    expect(parsed.result.scenarios.length).toBeGreaterThan(0);
    for (const scenario of parsed.result.scenarios) expect(scenario.trials.map((trial) => trial.outcome)).toEqual(['satisfied']);
  });
});
