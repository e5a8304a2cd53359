// The example product (issue 7 §1): LinkShort's spec and config, its private holdout scenarios, and
// the two recorded model sessions. End to end on real processes: the default graph builds a working
// service from the spec in a temporary copy, then `factory validate` runs every scenario against it.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseFactoryConfig, type FactoryConfig } from '../../core/domain/config.ts';
import { parseScenario, type Scenario } from '../../core/domain/scenario.ts';
import { parseScript } from '../../core/agent/llm/scripted.ts';
import { runCli, REPO_ROOT } from '../support/run-cli.ts';
import { tempDirs } from '../cli/helpers.ts';

const EXAMPLE = join(REPO_ROOT, 'examples', 'linkshort');
const SCENARIOS = join(REPO_ROOT, 'examples', 'linkshort-holdouts', 'scenarios');
const FACTORY_SCRIPT = join(REPO_ROOT, 'examples', 'recordings', 'factory.script.json');
const VALIDATION_SCRIPT = join(REPO_ROOT, 'examples', 'recordings', 'validation.script.json');
const GRAPH = join(REPO_ROOT, 'graphs', 'factory.dot');
/** The agent stages of graphs/factory.dot the recorded run passes through (check is a tool stage). */
const RECORDED_STAGES = ['understand', 'plan', 'implement', 'review'];

const temp = tempDirs();
afterAll(() => temp.removeAll());

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function loadConfig(): FactoryConfig {
  const parsed = parseFactoryConfig(readFileSync(join(EXAMPLE, '.github', 'factory.yml'), 'utf8'));
  if (!parsed.ok) throw new Error(`example config invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.config;
}

function loadScenarios(): Scenario[] {
  return filesUnder(SCENARIOS, '.md').filter((file) => !file.endsWith('README.md')).map((file) => {
    const parsed = parseScenario(readFileSync(file, 'utf8'));
    if (!parsed.ok) throw new Error(`${relative(SCENARIOS, file)}: ${JSON.stringify(parsed.issues)}`);
    return parsed.scenario;
  });
}

/** Child processes get the Node the tests run on (24), whatever `node` is first on PATH. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, ...extra };
}

describe('the example product: files', () => {
  it('has a valid .github/factory.yml with a check command, an HTTP artifact and protected paths', () => {
    const config = loadConfig();
    expect(config.factory.check_command).toBe('npm test');
    expect(config.factory.protected_paths).toEqual(expect.arrayContaining(['spec/**', '.github/**']));
    expect(config.artifact).toMatchObject({ kind: 'http', start: 'npm start', health: { path: '/healthz' } });
    expect(config.spec.ready).toEqual(['spec/README.md']);
    // One outside dependency, served by a twin that lives in the product repository and is protected.
    expect(config.twins.urlcheck).toMatchObject({ start: 'node twins/urlcheck/server.js', env: { URLCHECK_URL: 'http://127.0.0.1:${port}' }, volatile: ['id', 'checked_at'] });
    expect(config.factory.protected_paths).toContain('twins/**');
    const pkg = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies?: unknown };
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['test', 'start', 'build']));
    expect(pkg.dependencies).toBeUndefined();
    for (const file of ['spec/README.md', 'spec/intent.md', 'spec/constraints.md', 'spec/contracts/openapi.yaml']) {
      expect(readFileSync(join(EXAMPLE, file), 'utf8').length).toBeGreaterThan(100);
    }
  });

  it('has at least 12 holdout scenarios that parse, across all three categories, at least two critical', () => {
    const scenarios = loadScenarios();
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
    const ids = scenarios.map((scenario) => scenario.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const category of ['happy', 'edge', 'failure'] as const) {
      expect(scenarios.filter((scenario) => scenario.category === category).length).toBeGreaterThanOrEqual(3);
    }
    expect(scenarios.filter((scenario) => scenario.criticality === 'critical').length).toBeGreaterThanOrEqual(2);
    expect(scenarios.every((scenario) => scenario.checks.some((check) => check.must))).toBe(true);
    expect(scenarios.filter((scenario) => Object.keys(scenario.variations).length > 0).length).toBeGreaterThanOrEqual(3);
    // Holdouts that check what the service sent its URL-safety twin, one of them seeding it first.
    const twinChecked = scenarios.filter((scenario) => scenario.checks.some((check) => 'twin_requests' in check || 'twin_json' in check));
    expect(twinChecked.length).toBeGreaterThanOrEqual(3);
    expect(scenarios.some((scenario) => scenario.setup.some((request) => request.twin === 'urlcheck'))).toBe(true);
    const declared = loadConfig().feedback.tags;
    for (const scenario of scenarios) for (const tag of scenario.feedback_tags) expect(declared).toContain(tag);
  });

  it('has recorded sessions for every agent stage of the default graph and every scenario', () => {
    const factory = parseScript(readFileSync(FACTORY_SCRIPT, 'utf8'), FACTORY_SCRIPT);
    if (Array.isArray(factory)) throw new Error('the factory recording must be keyed by stage');
    expect(Object.keys(factory.stages).sort()).toEqual([...RECORDED_STAGES].sort());
    for (const stage of RECORDED_STAGES) {
      const last = factory.stages[stage]!.at(-1)!;
      expect(last.tool_calls?.map((call) => call.name)).toEqual(['report_outcome']);
    }
    const validation = parseScript(readFileSync(VALIDATION_SCRIPT, 'utf8'), VALIDATION_SCRIPT);
    if (Array.isArray(validation)) throw new Error('the validation recording must be keyed by stage');
    const expected = loadScenarios().flatMap((scenario) => [`agent:${scenario.id}`, `judge:${scenario.id}`]).sort();
    expect(Object.keys(validation.stages).sort()).toEqual(expected);
  });
});

describe('the example product: the whole loop on real processes', () => {
  const state: { workdir: string; logs: string } = { workdir: '', logs: '' };

  beforeAll(() => {
    const dir = temp.make();
    state.workdir = join(dir, 'linkshort');
    state.logs = join(dir, 'logs');
    cpSync(EXAMPLE, state.workdir, { recursive: true });
  });

  it('the default graph builds a working service from the spec with the recorded session', () => {
    const checkCommand = loadConfig().factory.check_command!;
    const run = runCli(
      ['run', GRAPH, '--model', `scripted:${FACTORY_SCRIPT}`, '--logs', state.logs, '--workdir', state.workdir, '--json'],
      { env: childEnv({ FACTORY_CHECK_COMMAND: checkCommand }), timeoutMs: 280_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { status: string; completed_nodes: string[]; node_outcomes: Record<string, { status: string; preferred_label?: string }> };
    expect(result.status).toBe('success');
    expect(result.completed_nodes).toEqual(['start', 'understand', 'plan', 'implement', 'check', 'review', 'done']);
    expect(result.node_outcomes.check!.status).toBe('success');
    expect(result.node_outcomes.review).toMatchObject({ status: 'success', preferred_label: 'Approve' });
    expect(readFileSync(join(state.logs, 'check', 'tool_output.txt'), 'utf8')).toMatch(/fail 0/);

    // The service's own tests pass in the built copy, and the protected spec is untouched.
    const tests = spawnSync('npm', ['test'], { cwd: state.workdir, env: childEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(tests.status).toBe(0);
    expect(tests.stdout).toMatch(/# fail 0|ℹ fail 0/);
    expect(tests.stdout).toMatch(/(#|ℹ) pass (1\d|[2-9]\d)/);
    for (const file of filesUnder(join(EXAMPLE, 'spec'), '')) {
      expect(readFileSync(join(state.workdir, relative(EXAMPLE, file)), 'utf8')).toBe(readFileSync(file, 'utf8'));
    }
  }, 300_000);

  it('the holdout scenarios, replayed against the running service, pass the gate', () => {
    const run = runCli(
      ['validate', '--scenarios', SCENARIOS, '--artifact', join(state.workdir, '.github', 'factory.yml'), '--model', `scripted:${VALIDATION_SCRIPT}`, '--json'],
      { env: childEnv(), timeoutMs: 280_000 },
    );
    expect(run.stderr).toBe('');
    const summary = JSON.parse(run.stdout) as {
      decision: string;
      overall: { rate: number; lower: number; scenarios: number; trials: number; satisfied: number };
      categories: Record<string, { rate: number; trials: number }>;
      harnessErrors: { trials: number; malformedFiles: number };
    };
    expect(summary.decision).toBe('pass');
    expect(run.status).toBe(0);
    const count = loadScenarios().length;
    expect(summary.overall).toMatchObject({ rate: 1, scenarios: count, trials: count * loadConfig().validation.trials, satisfied: count * loadConfig().validation.trials });
    expect(summary.overall.lower).toBeGreaterThanOrEqual(0.8);
    expect(Object.keys(summary.categories).sort()).toEqual(['edge', 'failure', 'happy']);
    expect(summary.harnessErrors).toMatchObject({ trials: 0, malformedFiles: 0 });
  }, 300_000);

  it('the same recording fails the gate when the service breaks the spec: the checks read the real responses', () => {
    // A service that lets an alias be taken over and accepts over-long URLs.
    const broken = join(temp.make(), 'linkshort');
    cpSync(state.workdir, broken, { recursive: true });
    const app = join(broken, 'src', 'app.js');
    writeFileSync(app, readFileSync(app, 'utf8').replace('if (alias !== undefined && store.has(alias))', 'if (false)'));
    const validate = join(broken, 'src', 'validate.js');
    writeFileSync(validate, readFileSync(validate, 'utf8').replace('MAX_URL_LENGTH = 2048', 'MAX_URL_LENGTH = 4096'));
    const run = runCli(
      ['validate', '--scenarios', SCENARIOS, '--artifact', join(broken, '.github', 'factory.yml'), '--model', `scripted:${VALIDATION_SCRIPT}`, '--json'],
      { env: childEnv(), timeoutMs: 280_000 },
    );
    expect(run.status).toBe(1);
    const summary = JSON.parse(run.stdout) as { decision: string; reasons: string[]; categories: Record<string, { rate: number }> };
    expect(summary.decision).toBe('fail');
    expect(summary.reasons.join('\n')).toContain('critical');
    expect(summary.categories.failure!.rate).toBeLessThan(1);
    expect(summary.categories.edge!.rate).toBeLessThan(1);
  }, 300_000);

  it('a service that stores links without asking the URL-safety service fails the gate: the twin checks see it', () => {
    const unchecked = join(temp.make(), 'linkshort');
    cpSync(state.workdir, unchecked, { recursive: true });
    const app = join(unchecked, 'src', 'app.js');
    const source = readFileSync(app, 'utf8');
    expect(source).toContain('await checkUrl(url);');
    writeFileSync(app, source.replace('await checkUrl(url);', ''));
    const report = join(temp.make(), 'report.json');
    const run = runCli(
      ['validate', '--scenarios', SCENARIOS, '--artifact', join(unchecked, '.github', 'factory.yml'), '--model', `scripted:${VALIDATION_SCRIPT}`, '--json', '--report', report],
      { env: childEnv(), timeoutMs: 280_000 },
    );
    expect(run.status).toBe(1);
    const summary = JSON.parse(run.stdout) as { decision: string; reasons: string[]; feedback: { tags: Record<string, number> } };
    expect(summary.decision).toBe('fail');
    expect(summary.reasons.join('\n')).toContain('critical');
    expect(summary.feedback.tags).toEqual({ safety: 2 });
    // Only the detailed report holds the traffic: no check reached the twin.
    const detailed = JSON.parse(readFileSync(report, 'utf8')) as { result: { scenarios: Array<{ id: string; trials: Array<{ twinTraffic?: unknown[]; outcome: string }> }> } };
    const checked = detailed.result.scenarios.find((scenario) => scenario.id === 'url-checked')!;
    expect(checked.trials.map((trial) => [trial.outcome, trial.twinTraffic])).toEqual([['unsatisfied', []], ['unsatisfied', []]]);
    expect(run.stdout).not.toContain('v1/check');
  }, 300_000);
});
