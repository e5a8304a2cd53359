// `factory validate` end to end on real processes: the HTTP and CLI fixture artifacts, the scripted
// model as validation agent and judge, and the canary that must never reach factory-readable output.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { extractFeedback } from '../../core/domain/feedback.ts';
import { CANARY, fixture, mixedScenarios, runCli, tempDirs, type CliResult } from './helpers.ts';

const temp = tempDirs();
afterAll(() => temp.removeAll());

const HTTP_CONFIG = fixture('http-artifact', '.github', 'factory.yml');
const HTTP_MODEL = `scripted:${fixture('models', 'http.json')}`;

interface ReportTrial {
  outcome: string;
  attempts: number;
  harnessError?: string;
  interactions: Array<{ kind: string; response?: { body: string } }>;
  verdict?: { criteria: Array<{ reasoning: string }> };
}
interface Report {
  decision: string;
  result: { scenarios: Array<{ id: string; trials: ReportTrial[]; artifactLogs: string[] }>; malformed: Array<{ file: string }> };
}

function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

function outcomes(report: Report): Record<string, string[]> {
  return Object.fromEntries(report.result.scenarios.map((scenario) => [scenario.id, scenario.trials.map((trial) => trial.outcome)]));
}

describe('factory validate on the HTTP artifact', () => {
  const mixed: { text?: CliResult; json?: CliResult; report: string } = { report: '' };

  beforeAll(async () => {
    const scenarios = mixedScenarios(temp.make());
    mixed.report = join(temp.make(), 'report.json');
    mixed.text = await runCli(['validate', '--scenarios', scenarios, '--artifact', HTTP_CONFIG, '--model', HTTP_MODEL, '--report', mixed.report]);
    mixed.json = await runCli(['validate', '--scenarios', scenarios, '--artifact', HTTP_CONFIG, '--model', HTTP_MODEL, '--json', '--concurrency', '2']);
  });

  it('passes a passing scenario set with exit 0', async () => {
    const report = join(temp.make(), 'pass.json');
    const result = await runCli(['validate', '--scenarios', fixture('scenarios', 'http-pass'), '--artifact', HTTP_CONFIG, '--model', HTTP_MODEL, '--report', report]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Decision: PASS');
    expect(result.stdout).toMatch(/overall +100\.0% +\[54\.9%, 100\.0%\] at 95% +\(6\/6 trials, 3 scenarios\)/);
    expect(result.stdout).toContain('network: not applied');
    expect(outcomes(readReport(report))).toEqual({ 'create-item': ['satisfied', 'satisfied'], 'env-clean': ['satisfied', 'satisfied'], 'missing-name': ['satisfied', 'satisfied'] });
  });

  it('scores passing, failing, flaky, crashing, outage and malformed scenarios apart', () => {
    expect(mixed.text!.code).toBe(1);
    const report = readReport(mixed.report);
    expect(Object.keys(outcomes(report))).toEqual(['crasher', 'create-item', 'env-clean', 'flaky', 'judged-down', 'missing-name', 'outage']);
    expect(outcomes(report)['create-item']).toEqual(['satisfied', 'satisfied']);
    const got = outcomes(report);
    expect(got.flaky!.filter((outcome) => outcome === 'satisfied')).toHaveLength(2);
    expect(got.flaky).toHaveLength(4);
    expect(got.crasher).toEqual(['unsatisfied', 'unsatisfied']);
    expect(got['judged-down']).toEqual(['unsatisfied', 'unsatisfied']);
    expect(got.outage).toEqual(['harness_error', 'harness_error']);
    const outage = report.result.scenarios.find((scenario) => scenario.id === 'outage')!;
    expect(outage.trials[0]!.attempts).toBe(3);
    expect(outage.trials[0]!.harnessError).toMatch(/^judge: scripted: .* has no turn 1 for stage judge:outage/);
    expect(report.result.malformed.map((entry) => entry.file)).toEqual(['malformed.md']);
    const stdout = mixed.text!.stdout;
    expect(stdout).toContain('Harness errors: 2 trial(s), 1 scenario(s) without a judged trial, 1 malformed scenario file(s)');
    expect(stdout).toContain('  - 2 scenario(s) could not be judged (harness errors)');
    expect(stdout).toMatch(/edge +57\.1% +\[25\.9%, 83\.6%\] at 95% +\(4\/8 trials, 3 scenarios\)/);
    expect(stdout).toContain('Decision: FAIL');
  });

  it('keeps the artifact environment free of credentials', () => {
    const report = readReport(mixed.report);
    const envTrial = report.result.scenarios.find((scenario) => scenario.id === 'env-clean')!.trials[0]!;
    const env = JSON.parse(envTrial.interactions[0]!.response!.body) as Record<string, string>;
    expect(env.FACTORY_VISIBLE_MARKER).toBe('visible');
    expect(env.PORT).toMatch(/^\d+$/);
    for (const name of ['GITHUB_TOKEN', 'ANTHROPIC_API_KEY', 'ACTIONS_RUNTIME_TOKEN']) expect(env[name]).toBeUndefined();
    expect(JSON.stringify(env)).not.toContain('fake-secret-value');
  });

  it('keeps artifact logs and judge reasoning in the report', () => {
    const report = readReport(mixed.report);
    const created = report.result.scenarios.find((scenario) => scenario.id === 'create-item')!;
    expect(created.artifactLogs.join('')).toMatch(/listening on \d+/);
    expect(created.trials[0]!.verdict!.criteria[0]!.reasoning).toBe('stored judged from the recording');
  });

  it('canary: scenario text reaches the report but never stdout, the JSON summary or the feedback block', () => {
    expect(readFileSync(mixed.report, 'utf8')).toContain(CANARY);
    for (const output of [mixed.text!, mixed.json!]) {
      expect(output.stdout).not.toContain(CANARY);
      expect(output.stderr).not.toContain(CANARY);
      for (const word of ['create-item', 'shopper', 'apple', 'malformed.md', 'judged-down']) expect(output.stdout).not.toContain(word);
    }
    const feedback = extractFeedback(mixed.text!.stdout);
    expect(feedback).toEqual({ version: 1, round: 1, categories: { happy: 1, edge: 0.55, failure: 0.65 }, tags: { reliability: 2 }, spec: ['spec/README.md'] });
    expect(JSON.stringify(feedback)).not.toContain(CANARY);
    const summary = JSON.parse(mixed.json!.stdout) as { feedback: unknown; decision: string; scenarioSetHash: string };
    expect(summary.decision).toBe('fail');
    expect(summary.feedback).toEqual(feedback);
    expect(summary.scenarioSetHash).toMatch(/^[0-9a-f]{64}$/);
    expect(mixed.text!.stdout).toContain(`sha256:${summary.scenarioSetHash}`);
  });
});

describe('factory validate: harness errors and the CLI artifact', () => {
  it('counts an artifact that crashes at start as harness errors, never as a pass', async () => {
    const report = join(temp.make(), 'broken.json');
    const result = await runCli(['validate', '--scenarios', fixture('scenarios', 'one'), '--artifact', fixture('broken-artifact', 'factory.yml'), '--model', HTTP_MODEL, '--report', report]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Harness errors: 2 trial(s), 1 scenario(s) without a judged trial');
    const trial = readReport(report).result.scenarios[0]!.trials[0]!;
    expect(trial.outcome).toBe('harness_error');
    expect(trial.attempts).toBe(3);
    expect(trial.harnessError).toBe('artifact did not start: the artifact exited (code 3) before its health check answered');
  });

  it('runs CLI steps with arguments and stdin; the tool sees no credentials', async () => {
    const report = join(temp.make(), 'cli.json');
    const result = await runCli(['validate', '--scenarios', fixture('scenarios', 'cli'), '--artifact', fixture('cli-artifact', 'factory.yml'), '--model', `scripted:${fixture('models', 'cli.json')}`, '--report', report, '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { overall: { trials: number; satisfied: number } };
    expect(summary.overall).toMatchObject({ trials: 12, satisfied: 12 });
    const env = readReport(report).result.scenarios.find((scenario) => scenario.id === 'cli-env')!;
    expect(readFileSync(report, 'utf8')).not.toContain('fake-secret-value');
    expect(env.trials.every((trial) => trial.outcome === 'satisfied')).toBe(true);
  });

  it('fails the gate when a must check fails', async () => {
    const dir = temp.make();
    const text = readFileSync(fixture('scenarios', 'cli', 'add.md'), 'utf8').replace('equals: "5"', 'equals: "6"');
    writeFileSync(join(dir, 'add.md'), text);
    const result = await runCli(['validate', '--scenarios', dir, '--artifact', fixture('cli-artifact', 'factory.yml'), '--model', `scripted:${fixture('models', 'cli.json')}`, '--trials', '1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 critical scenario(s) did not pass every trial');
  });
});

describe('factory validate: restarts and shards', () => {
  it('restarts the artifact for the next trial after a request crashed it', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'crasher.md'), readFileSync(fixture('scenarios', 'http-extra', 'crasher.md'), 'utf8'));
    const report = join(temp.make(), 'crash.json');
    const result = await runCli(['validate', '--scenarios', dir, '--artifact', HTTP_CONFIG, '--model', HTTP_MODEL, '--concurrency', '1', '--trials', '3', '--report', report]);
    expect(result.code).toBe(1);
    const crasher = readReport(report).result.scenarios[0]!;
    expect(crasher.trials.map((trial) => trial.outcome)).toEqual(['unsatisfied', 'unsatisfied', 'unsatisfied']);
    expect(crasher.artifactLogs).toHaveLength(3);
  });

  it('runs a deterministic share with --shard and says so', async () => {
    const args = ['validate', '--scenarios', fixture('scenarios', 'cli'), '--artifact', fixture('cli-artifact', 'factory.yml'), '--model', `scripted:${fixture('models', 'cli.json')}`, '--trials', '1'];
    const first = await runCli([...args, '--shard', '1/2', '--json']);
    const second = await runCli([...args, '--shard', '2/2']);
    const summary = JSON.parse(first.stdout) as { shard: unknown; overall: { scenarios: number } };
    expect(summary.shard).toEqual({ index: 1, count: 2 });
    expect(summary.overall.scenarios).toBe(2);
    expect(second.stdout).toContain('Shard: 2/2 (partial result)');
  });
});

describe('factory validate: bad input exits 2', () => {
  const base = ['validate', '--scenarios', fixture('scenarios', 'cli'), '--artifact', fixture('cli-artifact', 'factory.yml'), '--model', `scripted:${fixture('models', 'cli.json')}`];
  it.each([
    [['validate', '--artifact', 'x'], /missing --scenarios/],
    [['validate', '--scenarios', fixture('scenarios', 'cli')], /missing --artifact/],
    [[...base, '--shard', '3/2'], /--shard must be i\/n/],
    [[...base, '--trials', '0'], /--trials must be a positive whole number/],
    [['validate', '--scenarios', '/nonexistent-dir', '--artifact', 'x'], /is not a directory/],
    [['validate', '--scenarios', fixture('scenarios', 'cli'), '--artifact', fixture('models', 'cli.json')], /is not a valid config/],
    [['validate', '--scenarios', fixture('scenarios', 'cli'), '--artifact', fixture('cli-artifact', 'factory.yml')], /no model/],
    [[...base, '--model', 'anthropic/some-model'], /needs ANTHROPIC_API_KEY/],
  ])('%j', async (argv, message) => {
    const env = { PATH: process.env.PATH ?? '' };
    const result = await runCli(argv as string[], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
