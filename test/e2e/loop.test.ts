// The loop end to end (design README "The loop"), with nothing mocked in process: the App (Probot,
// in process) and the bundled Action (dist/main.js, child processes) talk to one local GitHub API on
// 127.0.0.1 that checks every request against GitHub's OpenAPI description, and the Action works on
// real git checkouts of a bare remote. A spec merge becomes a factory run, the run a factory PR, the
// PR a validation whose verdict concludes the App's `factory/satisfaction` check.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Probot, ProbotOctokit } from 'probot';
import type { EmitterWebhookEvent, EmitterWebhookEventName } from '@octokit/webhooks';
import { createFactoryApp } from '../../app/index.ts';
import { parseTrailers } from '../../action/trailers.ts';
import { CHECK_NAMES, decodeExternalId } from '../../core/domain/checks.ts';
import { FACTORY_WORKFLOW, FactoryDispatchInputsSchema, VALIDATE_WORKFLOW, ValidateDispatchInputsSchema } from '../../core/domain/dispatch.ts';
import { OWNER, REPO, REPO_ROOT, runAction, type ActionRun, type Scene } from '../action/harness.ts';
import { branchCommitMessages, commitAndPush, createFixtureRepo, git, type FixtureRepo } from '../support/git-fixtures.ts';
import { example, override, type PayloadOf } from '../support/github-payloads.ts';
import { startGitHubServer, type FakeCheckRun, type FakeDispatch, type GitHubServer } from '../support/github-server.ts';
import { startHoldouts, type HoldoutsServer } from '../support/holdouts-server.ts';
import { actionInputsFromTemplate } from './workflow-inputs.ts';

const E2E = join(REPO_ROOT, 'test/e2e/fixtures');
const VALIDATION = join(REPO_ROOT, 'test/fixtures/validation');
const HOLDOUTS = 'widgets-holdouts';
const APP_TOKEN = 'ghs_app-installation-token';
const WORKFLOW_TOKEN = 'ghs_workflow-token';
const SCENARIOS_TOKEN = 'ghs_holdouts-token-51c9';
const STEP = 120_000;
/** The spec pull request whose merge is the pushed commit. */
const SPEC_PULL = 7;

const e2eFixture = (name: string): string => readFileSync(join(E2E, name), 'utf8');

/** The coding agent's turns: `implement` writes the service (the validation fixture's), `document` its notes. */
function factoryScript(): string {
  const write = (path: string, content: string) => ({ tool_calls: [{ name: 'write_file', arguments: { path, content } }], usage: { input_tokens: 1000, output_tokens: 50 } });
  const done = (notes: string) => ({ tool_calls: [{ name: 'report_outcome', arguments: { status: 'success', notes } }], usage: { input_tokens: 1100, output_tokens: 10 } });
  return JSON.stringify({
    stages: {
      implement: [write('server.mjs', readFileSync(join(VALIDATION, 'http-artifact/server.mjs'), 'utf8')), done('wrote server.mjs')],
      document: [write('docs/items.md', '# Items\n\nThe service lives in server.mjs.\n'), done('documented')],
    },
  });
}

/** The holdouts repository: two of the validation fixture's scenarios, which its scripted model passes. */
function holdoutFiles(): Record<string, string> {
  const dir = join(VALIDATION, 'scenarios/http-pass');
  return Object.fromEntries(['create-item.md', 'missing-name.md'].map((name) => [`scenarios/${name}`, readFileSync(join(dir, name), 'utf8')]));
}

function showFile(remote: string, ref: string, path: string): string | null {
  try {
    return git(remote, ['show', `${ref}:${path}`]);
  } catch {
    return null;
  }
}

/** A fresh runner for one job: its own files and RUNNER_TEMP, and a clone of the remote checked out at `sha`. */
function runnerJob(repo: FixtureRepo, github: GitHubServer, name: string, sha: string): Scene {
  const root = join(repo.root, name);
  const work = join(root, 'checkout');
  mkdirSync(join(root, 'temp'), { recursive: true });
  git(root, ['clone', '--quiet', repo.remote, work]);
  git(work, ['checkout', '--quiet', '--detach', sha]);
  return { repo: { ...repo, work, head: sha }, github, runner: root, close: async () => undefined };
}

function privateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** The App as Probot runs it, its GitHub calls pointed at the local server (no retries, no throttling). */
function createApp(baseUrl: string): Probot {
  const Octokit = ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    retry: { enabled: false },
    throttle: { ...(instance.throttle as object), enabled: false },
  }));
  const probot = new Probot({ appId: 123, privateKey: privateKey(), Octokit, baseUrl, logLevel: 'fatal' });
  probot.load(createFactoryApp());
  return probot;
}

async function deliver<E extends EmitterWebhookEventName>(app: Probot, name: E, payload: EmitterWebhookEvent<E>['payload']): Promise<void> {
  try {
    await app.receive({ name, id: randomUUID(), payload } as EmitterWebhookEvent);
  } catch (error) {
    const causes = error instanceof AggregateError ? error.errors.map((cause: unknown) => (cause instanceof Error ? cause.message : String(cause))) : [];
    throw new Error(`delivery ${name} failed: ${causes.join('; ') || String(error)}`, { cause: error });
  }
}

const REPOSITORY = { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER, name: OWNER }, default_branch: 'main' };

function specMergePush(before: string, after: string): PayloadOf<'push'> {
  const base = example('push', (payload) => Array.isArray(payload.commits) && payload.commits.length > 0);
  const commit = { ...base.commits[0]!, id: after, added: [], removed: [], modified: ['spec/README.md'] };
  return override<PayloadOf<'push'>>(base, { ref: 'refs/heads/main', before, after, created: false, deleted: false, forced: false, commits: [commit], head_commit: commit, repository: REPOSITORY });
}

function factoryPullOpened(number: number, branch: string, head: string, baseSha: string): PayloadOf<'pull_request.opened'> {
  const base = example('pull_request.opened', (payload) => payload.installation !== undefined);
  const side = (ref: string, sha: string) => ({ ref, sha, label: `${OWNER}:${ref}`, repo: REPOSITORY });
  return override<PayloadOf<'pull_request.opened'>>(base, {
    number, repository: REPOSITORY,
    pull_request: { number, head: side(branch, head), base: side('main', baseSha) },
  });
}

let repo: FixtureRepo | undefined;
const repoOf = (): FixtureRepo => {
  if (!repo) throw new Error('the product repository is not set up');
  return repo;
};
let github: GitHubServer;
let holdouts: HoldoutsServer;
let app: Probot;

// What each hop hands to the next, as GitHub would carry it.
let specSha = '';
let factoryCheck: FakeCheckRun;
let factoryDispatch: FakeDispatch;
let branch = '';
let factoryHead = '';
let pullNumber = 0;
let satisfactionCheck: FakeCheckRun;
let validateDispatch: FakeDispatch;

function expectValidRequests(): void {
  expect(github.violations()).toEqual([]);
  expect(holdouts.violations()).toEqual([]);
}

function expectSucceeded(run: ActionRun): void {
  if (run.code !== 0) throw new Error(`the Action failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  expect(run.stderr).toBe('');
}

beforeAll(async () => {
  repo = createFixtureRepo({
    '.github/factory.yml': e2eFixture('factory.yml'),
    'factory/pipeline.dot': e2eFixture('pipeline.dot'),
    'spec/README.md': '# Items\n',
    'README.md': '# widgets\n',
  });
  const remote = repo.remote;
  github = await startGitHubServer({ owner: OWNER, repo: REPO, defaultBranch: repo.defaultBranch, readFile: (path, ref) => showFile(remote, ref, path) });
  holdouts = await startHoldouts({ upstream: github.url, owner: OWNER, repo: HOLDOUTS, token: SCENARIOS_TOKEN, files: holdoutFiles() });
  app = createApp(github.url);
});

afterAll(async () => {
  await holdouts?.close();
  await github?.close();
  repo?.cleanup();
});

describe('the loop: spec merge → factory run → factory PR → validation → satisfaction', () => {
  it('a merged spec change: the App queues the factory check and dispatches factory.yml', async () => {
    const before = repoOf().head;
    specSha = commitAndPush(repoOf(), { 'spec/README.md': e2eFixture('spec-readme.md') }, 'spec: describe the items service');
    github.mergedPull(specSha, SPEC_PULL);
    await deliver(app, 'push', specMergePush(before, specSha));

    expect(github.checkRuns.filter((check) => check.name === CHECK_NAMES.factory)).toHaveLength(1);
    factoryCheck = github.checkRuns[0]!;
    expect(factoryCheck).toMatchObject({ name: CHECK_NAMES.factory, head_sha: specSha, status: 'queued', conclusion: null });

    expect(github.dispatches).toHaveLength(1);
    factoryDispatch = github.dispatches[0]!;
    expect(factoryDispatch).toMatchObject({ workflow: FACTORY_WORKFLOW, ref: 'main' });
    const inputs = FactoryDispatchInputsSchema.parse(factoryDispatch.inputs);
    expect(inputs).toMatchObject({ spec_sha: specSha, reason: 'spec-merge', check_run_id: String(factoryCheck.id), round: '1' });
    // The check links the dispatched run at once.
    expect(decodeExternalId(factoryCheck.external_id)).toMatchObject({ round: 1, run: factoryDispatch.runId });
    expect(factoryCheck.details_url).toBe(`https://github.example/${OWNER}/${REPO}/actions/runs/${factoryDispatch.runId}`);
    // The merged spec PR is told where its run is.
    expect(github.comments).toEqual([{ issue: SPEC_PULL, body: expect.stringContaining(`actions/runs/${factoryDispatch.runId}`) }]);
    expectValidRequests();
  }, STEP);

  it('the factory workflow: the bundled Action runs the graph, pushes the factory branch with trailers and opens the PR', async () => {
    const job = runnerJob(repoOf(), github, 'factory-job', specSha);
    const scriptFile = join(job.runner, 'factory.script.json');
    writeFileSync(scriptFile, factoryScript());
    const inputs = actionInputsFromTemplate({
      template: join(REPO_ROOT, 'templates/workflows/factory.yml'),
      job: 'factory',
      dispatch: factoryDispatch.inputs,
      runner: { 'steps.app-token.outputs.token': APP_TOKEN, 'github.token': WORKFLOW_TOKEN },
    });
    expect(inputs).toMatchObject({ command: 'run', 'github-token': APP_TOKEN, 'spec-sha': specSha, 'check-run-id': String(factoryCheck.id), models: '' });
    const run = await runAction(job, {
      inputs: { ...inputs, models: `scripted:${scriptFile}` },
      env: { GITHUB_RUN_ID: String(factoryDispatch.runId), GITHUB_SHA: specSha },
    });
    expectSucceeded(run);

    branch = `factory/${specSha.slice(0, 7)}`;
    expect(run.outputs).toMatchObject({ status: 'success', branch });
    factoryHead = git(repoOf().remote, ['rev-parse', `refs/heads/${branch}`]).trim();
    const trailers = branchCommitMessages(repoOf(), branch).map(parseTrailers);
    expect(trailers.map((t) => t['Factory-Node'])).toEqual(['implement', 'document']);
    for (const t of trailers) {
      expect(t).toMatchObject({
        'Factory-Run': `https://github.example/${OWNER}/${REPO}/actions/runs/${factoryDispatch.runId}`,
        'Factory-Spec': specSha,
        'Factory-Model': 'scripted/script',
      });
      expect(t['Factory-Graph']).toMatch(/^factory\/pipeline\.dot@[0-9a-f]{12}$/);
    }

    expect(github.pulls).toHaveLength(1);
    const [pull] = github.pulls;
    expect(pull).toMatchObject({ head: branch, base: 'main', title: 'factory: Items' });
    pullNumber = pull!.number;
    expect(run.outputs['pr-number']).toBe(String(pullNumber));
    // The App's check, concluded by the run with the token the workflow passed.
    expect(factoryCheck).toMatchObject({ status: 'completed', conclusion: 'success' });
    expectValidRequests();
  }, STEP);

  it('the factory PR opened: the App queues factory/satisfaction on its head and dispatches validate.yml', async () => {
    await deliver(app, 'pull_request', factoryPullOpened(pullNumber, branch, factoryHead, specSha));

    const satisfaction = github.checkRuns.filter((check) => check.name === CHECK_NAMES.satisfaction);
    expect(satisfaction).toHaveLength(1);
    satisfactionCheck = satisfaction[0]!;
    expect(satisfactionCheck).toMatchObject({ head_sha: factoryHead, status: 'queued', conclusion: null });

    expect(github.dispatches).toHaveLength(2);
    validateDispatch = github.dispatches[1]!;
    expect(validateDispatch).toMatchObject({ workflow: VALIDATE_WORKFLOW, ref: 'main' });
    expect(ValidateDispatchInputsSchema.parse(validateDispatch.inputs)).toMatchObject({
      pr_number: String(pullNumber), head_sha: factoryHead, check_run_id: String(satisfactionCheck.id), round: '1',
    });
    expectValidRequests();
  }, STEP);

  it('the validate workflow: the bundled Action validates the PR head against the holdouts and concludes factory/satisfaction', async () => {
    const job = runnerJob(repoOf(), github, 'validate-job', factoryHead);
    const inputs = actionInputsFromTemplate({
      template: join(REPO_ROOT, 'templates/workflows/validate.yml'),
      job: 'validate',
      dispatch: validateDispatch.inputs,
      runner: { 'steps.app-token.outputs.token': APP_TOKEN, 'steps.holdouts-token.outputs.token': SCENARIOS_TOKEN },
    });
    expect(inputs).toMatchObject({ command: 'validate', 'check-run-id': String(satisfactionCheck.id), 'scenarios-repo': `${OWNER}/${HOLDOUTS}` });
    const run = await runAction(job, {
      inputs: { ...inputs, models: `scripted:${join(VALIDATION, 'models/http.json')}` },
      env: { GITHUB_RUN_ID: String(validateDispatch.runId), GITHUB_SHA: git(repoOf().remote, ['rev-parse', 'main']).trim(), GITHUB_API_URL: holdouts.url },
    });
    expectSucceeded(run);
    expect(run.outputs).toMatchObject({ status: 'success', gate: 'pass', satisfaction: '1' });

    // The check the App created on the PR head is the one concluded, and only with the App's token.
    expect(satisfactionCheck).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(satisfactionCheck.output.title).toMatch(/gate passed$/);
    expect(github.checkUpdates.filter((update) => update.body.conclusion !== undefined).map((update) => update.id))
      .toEqual([factoryCheck.id, satisfactionCheck.id]);
    // The detailed report went to the holdouts repository, with the scenarios token only.
    expect([...holdouts.results.keys()]).toEqual([`results/${factoryHead}/${validateDispatch.runId}-1/report.json`]);
    const holdoutsCalls = holdouts.calls.filter((call) => call.path === `/repos/${OWNER}/${HOLDOUTS}` || call.path.startsWith(`/repos/${OWNER}/${HOLDOUTS}/`));
    expect(holdoutsCalls.every((call) => call.auth.includes(SCENARIOS_TOKEN))).toBe(true);
    expect(readdirSync(join(job.runner, 'temp')).filter((name) => name.startsWith('factory-scenarios-'))).toEqual([]);
    expectValidRequests();
  }, STEP);
});
