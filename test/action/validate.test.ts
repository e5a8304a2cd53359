// The bundled Action's `validate` and `aggregate` commands on a runner: the product repository
// served by the local GitHub server, the holdouts repository (scenarios, results branch) served in
// front of it, the HTTP fixture artifact and the scripted validation model. The canary in a
// scenario must reach the validation side only.
import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { extractFeedback } from '../../core/domain/feedback.ts';
import { ValidateDispatchInputsSchema } from '../../core/domain/dispatch.ts';
import { startHoldouts, type HoldoutsServer } from '../support/holdouts-server.ts';
import { createScene, OWNER, POST, REPO, REPO_ROOT, runAction, RUN_ID, type ActionRun, type Scene } from './harness.ts';

const VALIDATION = join(REPO_ROOT, 'test/fixtures/validation');
const CANARY = 'CANARY-c4n4ry-9f2d71';
const APP_TOKEN = 'ghs_app-token-for-checks';
const SCENARIOS_TOKEN = 'ghs_scenarios-token-7c1d0e';
const HOLDOUTS = 'holdouts';
const MODEL = `scripted:${join(VALIDATION, 'models/http.json')}`;

function scenarioFiles(dir: string, names?: string[]): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((name) => name.endsWith('.md') && (!names || names.includes(name))).map((name) => [`scenarios/${name}`, readFileSync(join(dir, name), 'utf8')]));
}

function productConfig(extra = ''): string {
  return `${readFileSync(join(VALIDATION, 'http-artifact/.github/factory.yml'), 'utf8')
    .replace('validation:\n', `validation:\n  scenarios_repo: ${OWNER}/${HOLDOUTS}\n  scenarios_path: scenarios/\n`)}${extra}`;
}

function productFiles(config = productConfig()): Record<string, string> {
  return {
    '.github/factory.yml': config,
    'server.mjs': readFileSync(join(VALIDATION, 'http-artifact/server.mjs'), 'utf8'),
    'spec/README.md': '# Items\n',
  };
}

/**
 * The holdouts repository in front of the product's GitHub server (one API URL, as on github.com),
 * which also answers the scenarios token's probe of the product repository and the check run.
 */
function startFront(scene: Scene, options: { scenarios: Record<string, string>; scenariosTokenCanWrite?: boolean }): Promise<HoldoutsServer> {
  return startHoldouts({
    upstream: scene.github.url,
    owner: OWNER,
    repo: HOLDOUTS,
    token: SCENARIOS_TOKEN,
    files: options.scenarios,
    route: ({ method, path, auth }) => {
      if (path === `/repos/${OWNER}/${REPO}` && auth.includes(SCENARIOS_TOKEN)) {
        if (!options.scenariosTokenCanWrite) return { status: 404, json: { message: 'Not Found' } };
        return { status: 200, json: { name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: 'main', permissions: { admin: false, maintain: false, push: true, triage: true, pull: true } } };
      }
      if (path === `/repos/${OWNER}/${REPO}/check-runs/77` && method === 'GET') {
        return { status: 200, json: { id: 77, name: 'factory/satisfaction', external_id: JSON.stringify({ pr: 7, round: 2, request: 'delivery-1' }) } };
      }
      return undefined;
    },
  });
}

let scene: Scene | undefined;
let front: HoldoutsServer | undefined;
afterEach(async () => {
  await front?.close();
  await scene?.close();
  front = undefined;
  scene = undefined;
});

async function setUp(options: { config?: string; scenarios?: Record<string, string>; scenariosTokenCanWrite?: boolean } = {}): Promise<{ scene: Scene; front: HoldoutsServer }> {
  scene = await createScene(productFiles(options.config));
  front = await startFront(scene, { scenarios: options.scenarios ?? scenarioFiles(join(VALIDATION, 'scenarios/http-pass')), ...(options.scenariosTokenCanWrite ? { scenariosTokenCanWrite: true } : {}) });
  return { scene, front };
}

function validate(target: { scene: Scene; front: HoldoutsServer }, inputs: Record<string, string> = {}, env: Record<string, string> = {}, entry?: string): Promise<ActionRun> {
  return runAction(target.scene, {
    inputs: { command: 'validate', 'github-token': APP_TOKEN, 'scenarios-token': SCENARIOS_TOKEN, 'check-run-id': '77', models: MODEL, ...inputs },
    env: { GITHUB_API_URL: target.front.url, FACTORY_VISIBLE_MARKER: 'visible', GITHUB_TOKEN: 'ghs_workflow-token', ...env },
  }, entry);
}

/** The Action's post step after `main`, as the runner runs it: same inputs, the main step's saved state. */
function postAfter(target: { scene: Scene; front: HoldoutsServer }, main: ActionRun, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return validate(target, inputs, Object.fromEntries(Object.entries(main.state).map(([name, value]) => [`STATE_${name}`, value])), POST);
}

/** Everything the product side can read: step logs, job summary, outputs, and every request to the product repository. */
function productSide(run: ActionRun, target: { scene: Scene; front: HoldoutsServer }): string {
  const productCalls = target.front.calls.filter((call) => !call.path.startsWith(`/repos/${OWNER}/${HOLDOUTS}`));
  return [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs), JSON.stringify(target.scene.github.calls), JSON.stringify(productCalls.map((call) => call.body))].join('\n');
}

function lastCheckUpdate(target: { scene: Scene }): Record<string, unknown> {
  const updates = target.scene.github.checkUpdates.filter((update) => update.body.status === 'completed');
  expect(updates).toHaveLength(1);
  return updates[0]!.body;
}

describe('the validate command, bundled, on a runner', () => {
  it('validates the checkout, concludes factory/satisfaction leak-safely and keeps the canary on the validation side', async () => {
    const target = await setUp();
    const run = await validate(target);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'success', gate: 'pass', satisfaction: '1' });
    expect(Number(run.outputs['satisfaction-lower'])).toBeGreaterThan(0.5);

    const check = lastCheckUpdate(target);
    expect(check.conclusion).toBe('success');
    const output = check.output as { title: string; summary: string };
    expect(output.title).toMatch(/^Satisfaction 100\.0% .*gate passed$/);
    expect(output.summary).toContain('Decision: PASS');
    expect(output.summary).toMatch(/Scenario set: sha256:[0-9a-f]{64}/);
    expect(output.summary).toContain('network: not applied');
    const feedback = extractFeedback(output.summary);
    expect(feedback).toMatchObject({ version: 1, round: 2, categories: { happy: 1 } });
    expect(run.summary).toContain('Decision: PASS');

    // The canary: nowhere the product side can read; in the holdouts repository's results and RUNNER_TEMP.
    expect(productSide(run, target)).not.toContain(CANARY);
    const reportPath = `results/${target.scene.repo.head}/${RUN_ID}-1/report.json`;
    expect([...target.front.results.keys()]).toEqual([reportPath]);
    const committed = target.front.results.get(reportPath)!;
    expect(committed).toContain(CANARY);
    const tempReport = join(target.scene.runner, 'temp', 'factory-validation-report.json');
    expect(readFileSync(tempReport, 'utf8')).toContain(CANARY);
    // The scenarios were fetched outside the checkout and removed afterwards.
    expect(readdirSync(join(target.scene.runner, 'temp')).filter((name) => name.startsWith('factory-scenarios-'))).toEqual([]);
    expect(existsSync(join(target.scene.repo.work, 'scenarios'))).toBe(false);

    // The artifact's environment (its /env answer, in the detailed report) holds no token.
    const report = JSON.parse(committed) as { result: { scenarios: Array<{ id: string; trials: Array<{ interactions: Array<{ response?: { body: string } }> }> }> } };
    const envBody = report.result.scenarios.find((scenario) => scenario.id === 'env-clean')!.trials[0]!.interactions[0]!.response!.body;
    expect(envBody).toContain('FACTORY_VISIBLE_MARKER');
    expect(envBody).not.toContain(SCENARIOS_TOKEN);
    expect(envBody).not.toContain(APP_TOKEN);
    expect(envBody).not.toContain('ghs_workflow-token');

    // Tokens: the App token for the product repository, the scenarios token for the holdouts one.
    for (const call of target.scene.github.calls) expect(call.path.startsWith(`/repos/${OWNER}/${REPO}`)).toBe(true);
    for (const call of target.front.calls.filter((c) => c.path.startsWith(`/repos/${OWNER}/${HOLDOUTS}`))) expect(call.auth).toContain(SCENARIOS_TOKEN);
    for (const call of target.front.calls.filter((c) => c.path.includes('/check-runs/'))) expect(call.auth).toContain(APP_TOKEN);
    expect(target.scene.github.violations()).toEqual([]);
    expect(target.front.violations()).toEqual([]);
  });

  it('concludes failure when the gate fails, leaking no scenario name', async () => {
    const target = await setUp({ scenarios: { ...scenarioFiles(join(VALIDATION, 'scenarios/http-pass')), ...scenarioFiles(join(VALIDATION, 'scenarios/http-extra'), ['judged-down.md']) }, config: productConfig().replace('thresholds: { overall: 0.5 }', 'thresholds: { overall: 0.9 }') });
    const run = await validate(target);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'fail', gate: 'fail', 'error-code': 'gate_failed' });
    const check = lastCheckUpdate(target);
    expect(check.conclusion).toBe('failure');
    expect((check.output as { title: string }).title).toMatch(/gate failed$/);
    expect((check.output as { summary: string }).summary).toContain('Decision: FAIL');
    expect(productSide(run, target)).not.toContain(CANARY);
    expect(productSide(run, target)).not.toContain('judged-down');
    expect(extractFeedback((check.output as { summary: string }).summary)?.categories.failure).toBeDefined();
  });

  it('concludes failure with a harness-error title when no trial could be judged', async () => {
    const target = await setUp({ config: productConfig().replace('start: "node server.mjs"', 'start: "node missing.mjs"').replace('timeout_s: 10', 'timeout_s: 1') });
    const run = await validate(target, { trials: '1' });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'fail', gate: 'fail', 'error-code': 'harness' });
    const check = lastCheckUpdate(target);
    expect(check.conclusion).toBe('failure');
    expect((check.output as { title: string }).title).toBe('Validation harness error: no trial could be judged');
  });

  it('refuses a fork pull-request event before touching the holdouts repository', async () => {
    const target = await setUp();
    const event = join(target.scene.runner, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { repo: { full_name: 'mallory/widgets' } }, base: { repo: { full_name: `${OWNER}/${REPO}` } } } }));
    const run = await validate(target, {}, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('refusing to validate: this is a pull_request event from a fork (mallory/widgets)');
    expect(target.front.calls.filter((call) => call.auth.includes(SCENARIOS_TOKEN))).toEqual([]);
    expect(lastCheckUpdate(target).conclusion).toBe('failure');
  });

  it('refuses a scenarios token that can write to the product repository', async () => {
    const target = await setUp({ scenariosTokenCanWrite: true });
    const run = await validate(target);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`refusing to validate: the scenarios token can write to ${OWNER}/${REPO}`);
    expect(target.front.calls.filter((call) => call.path.startsWith(`/repos/${OWNER}/${HOLDOUTS}`))).toEqual([]);
    // Only the runner's own mask command (never shown in the log) carries it.
    expect(run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n')).not.toContain(SCENARIOS_TOKEN);
    expect(run.stdout).toContain(`::add-mask::${SCENARIOS_TOKEN}`);
    expect(lastCheckUpdate(target).conclusion).toBe('failure');
  });

  it('records shard results on the holdouts repository and aggregate concludes the check from them', async () => {
    const target = await setUp();
    const first = await validate(target, { shard: '1/2' });
    const second = await validate(target, { shard: '2/2' });
    for (const run of [first, second]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ status: 'success', gate: '' });
    }
    expect(target.scene.github.checkUpdates.filter((update) => update.body.status === 'completed')).toEqual([]);
    const dir = `results/${target.scene.repo.head}/${RUN_ID}-1`;
    expect([...target.front.results.keys()].sort()).toEqual([`${dir}/shard-1-of-2.json`, `${dir}/shard-2-of-2.json`]);

    const combined = await runAction(target.scene, {
      inputs: { command: 'aggregate', 'github-token': APP_TOKEN, 'scenarios-token': SCENARIOS_TOKEN, 'check-run-id': '77' },
      env: { GITHUB_API_URL: target.front.url },
    });
    expect(combined.stderr).toBe('');
    expect(combined.code).toBe(0);
    expect(combined.outputs).toMatchObject({ status: 'success', gate: 'pass', satisfaction: '1' });
    const check = lastCheckUpdate(target);
    expect(check.conclusion).toBe('success');
    expect((check.output as { summary: string }).summary).toMatch(/overall +100\.0% .*\(6\/6 trials, 3 scenarios\)/);
    expect(target.front.results.get(`${dir}/report.json`)).toContain(CANARY);
    for (const run of [first, second, combined]) expect(productSide(run, target)).not.toContain(CANARY);
  });

  it('the post step after validate and aggregate leaves their verdict on the check alone', async () => {
    const target = await setUp();
    const run = await validate(target);
    expect(run.code).toBe(0);
    const post = await postAfter(target, run);
    expect(post.code).toBe(0);
    expect(lastCheckUpdate(target).conclusion).toBe('success');

    const shard = await validate(target, { shard: '1/2' });
    await postAfter(target, shard, { shard: '1/2' });
    await validate(target, { shard: '2/2' });
    const combined = await validate(target, { command: 'aggregate' });
    expect(combined.code).toBe(0);
    await postAfter(target, combined, { command: 'aggregate' });
    const completed = target.scene.github.checkUpdates.filter((update) => update.body.status === 'completed');
    expect(completed.map((update) => update.body.conclusion)).toEqual(['success', 'success']);
    expect(target.scene.github.violations()).toEqual([]);
  });

  it('keeps a passing verdict when the job summary cannot be written', async () => {
    const target = await setUp();
    // A summary file in a directory that does not exist: @actions/core cannot open it.
    const run = await validate(target, {}, { GITHUB_STEP_SUMMARY: join(target.scene.runner, 'missing', 'summary.md') });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('::warning::could not write the job summary');
    expect(lastCheckUpdate(target).conclusion).toBe('success');
  });

  it('fails aggregate (and the check) when a shard is missing', async () => {
    const target = await setUp();
    await validate(target, { shard: '1/2' });
    const combined = await runAction(target.scene, {
      inputs: { command: 'aggregate', 'github-token': APP_TOKEN, 'scenarios-token': SCENARIOS_TOKEN, 'check-run-id': '77' },
      env: { GITHUB_API_URL: target.front.url },
    });
    expect(combined.code).toBe(1);
    expect(combined.stdout).toContain('aggregate: missing shard(s) 2/2');
    expect(lastCheckUpdate(target).conclusion).toBe('failure');
  });
});

describe('the validate workflow template and the reusable workflow', () => {
  interface Step { id?: string; uses?: string; with?: Record<string, unknown> }
  interface Workflow { on: Record<string, { inputs?: Record<string, unknown> }>; jobs: Record<string, { environment?: unknown; steps: Step[] }> }
  const load = <T>(path: string): T => parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as T;
  const action = load<{ inputs: Record<string, unknown> }>('action.yml');

  it('declares exactly the inputs the App dispatches to validate.yml', () => {
    const template = load<Workflow>('templates/workflows/validate.yml');
    expect(Object.keys(template.on.workflow_dispatch?.inputs ?? {}).sort()).toEqual(Object.keys(ValidateDispatchInputsSchema.shape).sort());
  });

  it('passes only inputs the Action declares, with the secrets behind the factory-holdouts environment', () => {
    for (const path of ['templates/workflows/validate.yml', '.github/workflows/validate-reusable.yml']) {
      const workflow = load<Workflow>(path);
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps).filter((step) => step.with?.command !== undefined);
      expect(steps.map((step) => step.with!.command).sort()).toEqual(['aggregate', 'validate', 'validate'].sort());
      for (const step of steps) for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
      for (const job of Object.values(workflow.jobs)) if (job.steps.some((step) => step.with?.command !== undefined)) expect(job.environment).toBe('factory-holdouts');
    }
  });
});
