// The bundled Action (dist/main.js) as a runner runs it: a child process with INPUT_* / GITHUB_*,
// a real checkout pushing to a local bare remote, the GitHub API served locally and checked
// against GitHub's OpenAPI description, the scripted model (or a local provider wire server).
import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { branchCommitMessages, git, remoteBranches } from '../support/git-fixtures.ts';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { startWireServer } from '../support/wire-server.ts';
import { MAX_RUN_ARTIFACT_BYTES } from '../../action/artifact.ts';
import { parseTrailers } from '../../action/trailers.ts';
import { decodeExternalId } from '../../core/domain/checks.ts';
import { createScene, fixture, POST, productFiles, RUN_ID, runAction, type Scene } from './harness.ts';

const TOKEN = 'ghs_test-token';
const CANARY_KEY = 'sk-ant-canary-5f1e2d';

let scene: Scene | undefined;
afterEach(async () => {
  await scene?.close();
  scene = undefined;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The full run's config: its check command also dumps the environment a tool stage sees. */
function configWithCheck(check: string, extra = ''): string {
  return fixture('factory.yml').replace(/check_command: .*/, `check_command: ${JSON.stringify(check)}`) + extra;
}

/** @actions/artifact refuses GitHub Enterprise Server, which it recognises by GITHUB_SERVER_URL. */
const ON_GITHUB_COM = { GITHUB_SERVER_URL: 'https://github.com' };

function zipDirectory(dir: string): Buffer {
  const out = join(dir, '..', `${Date.now()}-artifact.zip`);
  execFileSync('zip', ['-qr', out, '.'], { cwd: dir });
  return readFileSync(out);
}

/** The `factory` check as the App creates it before dispatching: queued, with its context in external_id. */
function seedFactoryCheck(target: Scene, id: number, externalId: Record<string, unknown>): void {
  target.github.checkRuns.push({ id, name: 'factory', head_sha: target.repo.head, status: 'queued', conclusion: null, external_id: JSON.stringify(externalId), details_url: null, output: { title: 'Factory run queued', summary: null, text: null } });
}

function commitOnTopic(target: Scene, files: Record<string, string>): string {
  git(target.repo.work, ['checkout', '--quiet', '-b', 'topic']);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(target.repo.work, path), content);
  git(target.repo.work, ['commit', '--quiet', '-am', 'topic']);
  const sha = git(target.repo.work, ['rev-parse', 'HEAD']).trim();
  git(target.repo.work, ['checkout', '--quiet', target.repo.defaultBranch]);
  return sha;
}

describe('the run command, bundled, on a runner', () => {
  it('runs the graph, commits every changing stage with trailers, pushes, opens the PR and reports', async () => {
    scene = await createScene(productFiles({ '.github/factory.yml': configWithCheck('test -f src/hello.txt && env') }));
    seedFactoryCheck(scene, 77, { round: 1, request: 'delivery-1', run: Number(RUN_ID) });
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { 'check-run-id': '77' }, env: { ANTHROPIC_API_KEY: CANARY_KEY } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const sha = scene.repo.head;
    const branch = `factory/${sha.slice(0, 7)}`;
    expect(run.outputs).toMatchObject({ status: 'success', branch, 'pr-number': '101', 'tokens-in': '4350', 'tokens-out': '100' });
    expect(run.outputs['error-code']).toBeUndefined();

    // One commit per stage that changed files, each with the §9 trailers, pushed to origin.
    expect(remoteBranches(scene.repo).sort()).toEqual([branch, 'main'].sort());
    const messages = branchCommitMessages(scene.repo, branch);
    expect(messages).toHaveLength(2);
    const trailers = messages.map(parseTrailers);
    expect(trailers.map((t) => t['Factory-Node'])).toEqual(['implement', 'document']);
    for (const t of trailers) {
      expect(t['Factory-Run']).toBe(`https://github.example/acme/widgets/actions/runs/${RUN_ID}`);
      expect(t['Factory-Spec']).toBe(sha);
      expect(t['Factory-Graph']).toMatch(/^factory\/pipeline\.dot@[0-9a-f]{12}$/);
      expect(t['Factory-Model']).toBe('scripted/script');
    }
    expect(git(scene.repo.remote, ['show', `${branch}:src/hello.txt`])).toBe('hello\n');

    // The PR: from the factory branch to the default branch, titled from the spec, with the run summary.
    expect(scene.github.pulls).toHaveLength(1);
    const [pull] = scene.github.pulls;
    expect(pull).toMatchObject({ head: branch, base: 'main', title: 'factory: Greeting service' });
    expect(pull!.body).toContain('**Path taken:** start → implement → document → check → done');
    expect(pull!.body).toContain('| implement | ✅ success | 1 |');

    // Job summary: the drawing of the path taken, the stage table, totals against the budget.
    expect(run.summary).toContain('```mermaid\nflowchart');
    expect(run.summary).toContain('| document | ✅ success | 1 |');
    expect(run.summary).toContain('of a $5 budget');

    // The check: in progress with elapsed time, tokens and cost against the budget — once, as the
    // updates are throttled to one per 10 s and the run takes less — then concluded with the summary.
    const updates = scene.github.checkUpdates.filter((update) => update.id === 77);
    const inProgress = updates.filter((update) => update.body.status === 'in_progress').map((update) => update.body.output as { title: string; summary: string });
    expect(inProgress).toHaveLength(1);
    expect(inProgress[0]!.title).toBe('Factory run started');
    expect(inProgress[0]!.summary).toMatch(/\*\*Elapsed:\*\* \d+ ms of a 30 min budget/);
    expect(inProgress[0]!.summary).toContain('**Cost so far:** $0.0000 of a $5 budget');
    const last = updates.at(-1)!.body;
    expect(last).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(last.actions).toBeUndefined();
    // Its external_id keeps the App's context and adds what this run spent.
    const spent = decodeExternalId(last.external_id as string);
    expect(spent).toMatchObject({ round: 1, request: 'delivery-1', run: Number(RUN_ID), spent: { usd: 0 } });
    // Minutes are rounded to 0.01 (0.6 s), so a run this short may record 0; in milliseconds it would not fit under 1.
    expect(spent!.spent!.minutes).toBeGreaterThanOrEqual(0);
    expect(spent!.spent!.minutes).toBeLessThan(1);
    expect((last.output as { summary: string }).summary.length).toBeLessThanOrEqual(65_535);
    expect(scene.github.violations()).toEqual([]);

    // The run directory is the artifact: it has the checkpoint and never a credential.
    const runDir = run.outputs['run-dir']!;
    expect(existsSync(join(runDir, 'checkpoint.json'))).toBe(true);
    const toolOutput = readFileSync(join(runDir, 'check', 'tool_output.txt'), 'utf8');
    expect(toolOutput).toContain('FACTORY_CHECK_COMMAND=');
    for (const file of filesUnder(runDir)) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(CANARY_KEY);
    }
  });

  it('refuses a stage that touches protected paths: the step fails listing them and nothing is pushed', async () => {
    scene = await createScene();
    const run = await runAction(scene, { script: 'protected.script.json' });
    expect(run.code).toBe(1);
    expect(run.outputs.status).toBe('fail');
    expect(run.outputs['error-code']).toBe('protected_paths');
    expect(run.stdout).toMatch(/stage implement changed protected paths[^\n]*\n- spec\/README\.md/);
    expect(run.stdout).not.toMatch(/- src\/hello\.txt/);
    expect(remoteBranches(scene.repo)).toEqual(['main']);
    expect(scene.github.pulls).toEqual([]);
    expect(scene.github.violations()).toEqual([]);
  });

  it('fails the step on an invalid config, naming the file and the key path, before anything runs', async () => {
    scene = await createScene(productFiles({ '.github/factory.yml': fixture('bad-factory.yml') }));
    const run = await runAction(scene, { script: 'greet.script.json' });
    expect(run.code).toBe(1);
    expect(run.outputs['error-code']).toBe('config');
    expect(run.stdout).toContain('::error::.github/factory.yml is not a valid factory config');
    expect(run.stdout).toMatch(/\.github\/factory\.yml(:\d+:\d+)?: `factory\.budget\.max_usd` expected number/);
    expect(run.stdout).not.toContain('    at ');
    expect(remoteBranches(scene.repo)).toEqual(['main']);
  });

  it('reads the config from the default branch, not from the spec commit', async () => {
    scene = await createScene(productFiles({ '.github/factory.yml': fixture('bad-factory.yml') }));
    // The spec commit (not on the default branch) carries a valid config; the default branch's is what counts.
    const spec = commitOnTopic(scene, { '.github/factory.yml': fixture('factory.yml') });
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { 'spec-sha': spec } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('`factory.budget.max_usd`');
  });

  it('fails before any stage runs when a model key is missing, naming the variable', async () => {
    scene = await createScene();
    const run = await runAction(scene, {});
    expect(run.code).toBe(1);
    expect(run.outputs['error-code']).toBe('model');
    expect(run.stdout).toMatch(/::error::model anthropic\/claude-sonnet-4-5 needs ANTHROPIC_API_KEY in the environment/);
    expect(run.stdout).not.toContain('stage implement');
    expect(remoteBranches(scene.repo)).toEqual(['main']);
  });

  it('stops an exhausted budget: the run fails with the budget reason and the check says so', async () => {
    scene = await createScene();
    const wire = await startWireServer();
    try {
      // One turn bills 1M input tokens of claude-sonnet-4-5 ($3) against a $1 budget.
      for (let i = 0; i < 4; i++) {
        wire.push({ turn: { tool_calls: [{ id: `w${i}`, name: 'write_file', arguments: { path: 'src/hello.txt', content: 'hello\n' } }], usage: { input: 1_000_000, output: 100 } } });
      }
      seedFactoryCheck(scene, 78, { pr: 101, round: 2, request: 'comment:55' });
      const run = await runAction(scene, { inputs: { 'max-usd': '1', 'check-run-id': '78' }, env: { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: wire.url } });
      expect(run.code).toBe(1);
      expect(run.outputs.status).toBe('fail');
      expect(run.outputs['error-code']).toBe('budget');
      expect(Number(run.outputs['cost-usd'])).toBeGreaterThan(1);
      expect(run.stdout).toMatch(/budget/i);
      expect(run.summary).toContain('of a $1 budget');
      const last = scene.github.checkUpdates.at(-1)!.body;
      expect(last).toMatchObject({ status: 'completed', conclusion: 'failure' });
      // The spend the App sums against factory.budget across rounds: this run's cost, to the micro-dollar.
      const spent = decodeExternalId(last.external_id as string);
      expect(spent).toMatchObject({ pr: 101, round: 2, request: 'comment:55' });
      expect(spent!.spent!.usd).toBeCloseTo(Number(run.outputs['cost-usd']), 5);
      expect(scene.github.violations()).toEqual([]);
    } finally {
      await wire.close();
    }
  });

  it('on SIGTERM from the runner: flushes the checkpoint, keeps pushed stages, concludes the check cancelled', async () => {
    scene = await createScene(productFiles({ '.github/factory.yml': configWithCheck('sleep 20') }));
    const run = await runAction(scene, {
      script: 'greet.script.json',
      inputs: { 'check-run-id': '79' },
      onOutput: { text: 'stage check (attempt 1)', act: (child) => child.kill('SIGTERM') },
    });
    expect(run.code).toBe(1);
    expect(run.outputs.status).toBe('cancelled');
    expect(run.outputs['error-code']).toBe('cancelled');
    const checkpoint = JSON.parse(readFileSync(join(run.outputs['run-dir']!, 'checkpoint.json'), 'utf8')) as { completed_nodes: string[] };
    expect(checkpoint.completed_nodes).toEqual(['start', 'implement', 'document']);
    const branch = `factory/${scene.repo.head.slice(0, 7)}`;
    expect(branchCommitMessages(scene.repo, branch).map((message) => parseTrailers(message)['Factory-Node'])).toEqual(['implement', 'document']);
    expect(scene.github.checkUpdates.at(-1)!.body).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(run.state['check-concluded']).toBe('true');
  });

  it('a later run for the same spec updates the pull request instead of opening another', async () => {
    scene = await createScene();
    const first = await runAction(scene, { script: 'greet.script.json' });
    expect(first.outputs['pr-number']).toBe('101');
    const second = await runAction(scene, { script: 'greet.script.json', inputs: { 'pr-number': '101' }, env: { GITHUB_RUN_ID: '4243' } });
    expect(second.code).toBe(0);
    expect(second.outputs['pr-number']).toBe('101');
    expect(scene.github.pulls).toHaveLength(1);
    expect(scene.github.pulls[0]!.body).toContain('https://github.example/acme/widgets/actions/runs/4243');
    expect(scene.github.calls.filter((call) => call.method === 'PATCH' && call.path === '/repos/acme/widgets/pulls/101')).toHaveLength(1);
    // The branch holds the second run's commits only (a rerun replaces the earlier run's branch).
    const branch = `factory/${scene.repo.head.slice(0, 7)}`;
    expect(branchCommitMessages(scene.repo, branch).map((message) => parseTrailers(message)['Factory-Run'])).toEqual([
      'https://github.example/acme/widgets/actions/runs/4243', 'https://github.example/acme/widgets/actions/runs/4243',
    ]);
    expect(scene.github.violations()).toEqual([]);
  });

  it('the post step concludes a check the main step left open, and says where the run directory is', async () => {
    scene = await createScene();
    const runDir = join(scene.runner, 'temp', 'factory-run-1');
    const run = await runAction(scene, { inputs: { 'check-run-id': '80' }, env: { 'STATE_run-dir': runDir } }, POST);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`run directory ${runDir} has no checkpoint`);
    expect(scene.github.checkUpdates).toEqual([{ id: 80, body: expect.objectContaining({ status: 'completed', conclusion: 'failure' }) }]);
    expect(scene.github.violations()).toEqual([]);
  });

  it('`validate` without a scenarios token fails saying so', async () => {
    scene = await createScene();
    const run = await runAction(scene, { inputs: { command: 'validate' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::input `scenarios-token`: required for `validate`');
  });

  it('runs a feedback round on the branch the last round left, with the leak-safe feedback in the context as factory.feedback', async () => {
    scene = await createScene();
    const first = await runAction(scene, { script: 'greet.script.json' });
    expect(first.code).toBe(0);
    const branch = first.outputs.branch!;
    const roundOneHead = git(scene.repo.remote, ['rev-parse', branch]).trim();

    const feedback = { version: 1, round: 2, categories: { edge: 0.65 }, tags: {}, spec: ['spec/README.md'] };
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { feedback: JSON.stringify(feedback), 'pr-number': first.outputs['pr-number']! } });
    expect(run.code).toBe(0);
    const checkpoint = JSON.parse(readFileSync(join(run.outputs['run-dir']!, 'checkpoint.json'), 'utf8')) as { context: Record<string, unknown> };
    expect(JSON.parse(checkpoint.context['factory.feedback'] as string)).toEqual(feedback);
    // Round 1's commits stay in the PR's history: the feedback round refines them, never force-pushes them away.
    expect(git(scene.repo.remote, ['merge-base', '--is-ancestor', roundOneHead, branch])).toBe('');
    expect(scene.github.pulls).toHaveLength(1);
  });

  it('continues the branch on a feedback round that carries no feedback block (feedback level none)', async () => {
    scene = await createScene();
    const first = await runAction(scene, { script: 'greet.script.json' });
    const branch = first.outputs.branch!;
    const roundOneHead = git(scene.repo.remote, ['rev-parse', branch]).trim();
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { reason: 'feedback', 'pr-number': first.outputs['pr-number']! } });
    expect(run.code).toBe(0);
    expect(git(scene.repo.remote, ['merge-base', '--is-ancestor', roundOneHead, branch])).toBe('');
  });

  it('refuses feedback that is not leak-safe before anything runs', async () => {
    scene = await createScene();
    const leaky = { version: 1, round: 2, categories: {}, tags: {}, spec: [], transcript: 'GET /secret' };
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { feedback: JSON.stringify(leaky) } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::input `feedback`');
    expect(remoteBranches(scene.repo)).toEqual(['main']);
  });

  it('parks at a human gate: status waiting, the work so far pushed and in the PR, the check asks for action', async () => {
    scene = await createScene(productFiles({ 'factory/pipeline.dot': fixture('pipeline-gate.dot') }));
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { 'check-run-id': '81' } });
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('waiting');
    expect(run.summary).toContain('waiting at human gate approve: Ship this greeting?');
    expect(scene.github.pulls).toHaveLength(1);
    expect(scene.github.comments).toHaveLength(1);
    expect(scene.github.comments[0]!.issue).toBe(101);
    expect(scene.github.comments[0]!.body).toContain('> Ship this greeting?');
    expect(scene.github.comments[0]!.body).toContain('- `/factory answer Y check=81` — [Y] Yes');
    expect(scene.github.comments[0]!.body).toContain('- `/factory answer N check=81` — [N] No, redo');
    expect(scene.github.checkUpdates.at(-1)!.body).toMatchObject({ status: 'completed', conclusion: 'action_required', details_url: `https://github.example/acme/widgets/actions/runs/${RUN_ID}` });
    expect(scene.github.violations()).toEqual([]);
  });

  it('parked at a gate before any commit: asks on the issue that started the run, with a button per choice', async () => {
    const gateFirst = fixture('pipeline-gate.dot').replace('start -> implement -> approve', 'start -> approve').replace('approve -> implement [label="[N] No, redo"]', 'approve -> implement [label="[N] No, redo"]\n    implement -> done');
    scene = await createScene(productFiles({ 'factory/pipeline.dot': gateFirst }));
    seedFactoryCheck(scene, 83, { round: 1, request: 'comment:77' });
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { 'check-run-id': '83', 'issue-number': '12' } });
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('waiting');
    expect(scene.github.pulls).toEqual([]);
    expect(scene.github.comments.map((comment) => comment.issue)).toEqual([12]);
    // On an issue no factory PR leads the App to the parked run, so the command names its check.
    expect(scene.github.comments[0]!.body).toContain('- `/factory answer Y check=83` — [Y] Yes');
    const last = scene.github.checkUpdates.at(-1)!.body;
    expect(last).toMatchObject({ status: 'completed', conclusion: 'action_required' });
    expect(last.actions).toEqual([
      { label: 'Yes', description: 'Answer Y and resume the run', identifier: 'answer:Y' },
      { label: 'No, redo', description: 'Answer N and resume the run', identifier: 'answer:N' },
    ]);
    expect(decodeExternalId(last.external_id as string)).toMatchObject({ round: 1, request: 'comment:77', spent: { usd: 0 } });
    expect(scene.github.violations()).toEqual([]);
  });

  it('retries GitHub 5xx with backoff and secondary rate limits after Retry-After, logging each wait', async () => {
    scene = await createScene();
    scene.github.failNext('GET', '/repos/acme/widgets', 502);
    scene.github.failNext('POST', '/repos/acme/widgets/pulls', 403, '1', 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.');
    const run = await runAction(scene, { script: 'greet.script.json' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('GitHub API GET /repos/{owner}/{repo}: HTTP 502; retry 1 of 3 in 1 s');
    expect(run.stdout).toContain('GitHub API POST /repos/{owner}/{repo}/pulls: secondary rate limit; waiting 1 s as GitHub asks (retry-after), then retry 1');
    expect(run.outputs['pr-number']).toBe('101');
    expect(scene.github.calls.filter((call) => call.method === 'GET' && call.path === '/repos/acme/widgets')).toHaveLength(2);
    expect(scene.github.calls.filter((call) => call.method === 'POST' && call.path === '/repos/acme/widgets/pulls')).toHaveLength(2);
  });

  it('a job killed mid-run and resumed from its artifact continues without re-running completed stages', async () => {
    // The check is slow while $HOME/slow exists: the first job is cancelled in it.
    scene = await createScene(productFiles({ '.github/factory.yml': configWithCheck('if test -f "$HOME/slow"; then sleep 20; fi; test -f src/hello.txt') }));
    writeFileSync(join(scene.runner, 'slow'), '');
    const first = await runAction(scene, { script: 'greet.script.json', onOutput: { text: 'stage check (attempt 1)', act: (child) => child.kill('SIGTERM') } });
    expect(first.outputs.status).toBe('cancelled');
    scene.github.addArtifact(Number(RUN_ID), `factory-run-${RUN_ID}-1`, zipDirectory(first.outputs['run-dir']!));
    rmSync(join(scene.runner, 'slow'));

    const second = await runAction(scene, { script: 'greet.script.json', inputs: { 'resume-run-id': RUN_ID }, env: { ...ON_GITHUB_COM, GITHUB_RUN_ID: '4300' } });
    // The one thing on stderr: Node's deprecation notice for @actions/artifact's zip reader (unzip-stream's new Buffer()).
    expect(second.stderr.replace(/^\(node:\d+\) \[DEP0005\] DeprecationWarning: Buffer\(\) is deprecated[^\n]*\n(\(Use `node --trace-deprecation[^\n]*\n)?/m, '')).toBe('');
    expect(second.code).toBe(0);
    expect(second.outputs.status).toBe('success');
    // Restored through @actions/artifact: the REST download, its redirect to the signed blob URL, the digest.
    expect(scene.github.calls.filter((call) => call.path.endsWith('/zip')).map((call) => call.path)).toEqual(['/repos/acme/widgets/actions/artifacts/900/zip']);
    expect(second.stdout).toContain('Redirecting to blob download url:');
    expect(second.stdout).toMatch(/SHA256 digest of downloaded artifact is [0-9a-f]{64}/);
    const events = readFileSync(join(second.outputs['run-dir']!, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; name?: string; resumed?: boolean });
    const resumedAt = events.findIndex((event) => event.type === 'pipeline_started' && event.resumed);
    expect(resumedAt).toBeGreaterThan(0);
    expect(events.slice(resumedAt).filter((event) => event.type === 'stage_started').map((event) => event.name)).toEqual(['check', 'done']);
    const branch = `factory/${scene.repo.head.slice(0, 7)}`;
    expect(branchCommitMessages(scene.repo, branch).map((message) => parseTrailers(message)['Factory-Node'])).toEqual(['implement', 'document']);
    expect(scene.github.pulls).toHaveLength(1);
    expect(second.summary).toContain('| implement | ✅ success | 1 |');
    expect(scene.github.violations()).toEqual([]);
  });

  it('refuses to resume from an artifact over the size cap, with its code, before downloading it', async () => {
    scene = await createScene();
    scene.github.addArtifact(Number(RUN_ID), `factory-run-${RUN_ID}-1`, Buffer.from('PK'), { sizeInBytes: 2 * MAX_RUN_ARTIFACT_BYTES });
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { 'resume-run-id': RUN_ID }, env: { ...ON_GITHUB_COM, GITHUB_RUN_ID: '4302' } });
    expect(run.code).toBe(1);
    expect(run.outputs['error-code']).toBe('artifact_too_large');
    expect(run.stdout).toContain(`::error::input \`resume-run-id\`: workflow run ${RUN_ID}: artifact factory-run-${RUN_ID}-1 (id 900) is 512.0 MiB, over the 256.0 MiB a run directory may be; not downloading it`);
    expect(scene.github.calls.filter((call) => call.path.endsWith('/zip'))).toEqual([]);
    expect(remoteBranches(scene.repo)).toEqual(['main']);
  });

  it('refuses to resume from an artifact whose zip does not match the digest GitHub lists, with its code', async () => {
    scene = await createScene(productFiles({ 'factory/pipeline.dot': fixture('pipeline-gate.dot') }));
    const first = await runAction(scene, { script: 'greet.script.json' });
    expect(first.outputs.status).toBe('waiting');
    scene.github.addArtifact(Number(RUN_ID), `factory-run-${RUN_ID}-1`, zipDirectory(first.outputs['run-dir']!), { digest: `sha256:${'0'.repeat(64)}` });
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { 'resume-run-id': RUN_ID, answer: 'Y' }, env: { ...ON_GITHUB_COM, GITHUB_RUN_ID: '4303' } });
    expect(run.code).toBe(1);
    expect(run.outputs['error-code']).toBe('artifact_corrupt');
    expect(run.stdout).toContain(`::error::input \`resume-run-id\`: workflow run ${RUN_ID}: artifact factory-run-${RUN_ID}-1 (id 900): the downloaded zip does not match the digest GitHub lists`);
    expect(run.stdout).not.toContain('stage approve');
  });

  it('a parked human gate, answered, resumes from the gate and finishes', async () => {
    scene = await createScene(productFiles({ 'factory/pipeline.dot': fixture('pipeline-gate.dot') }));
    const first = await runAction(scene, { script: 'greet.script.json' });
    expect(first.outputs.status).toBe('waiting');
    scene.github.addArtifact(Number(RUN_ID), `factory-run-${RUN_ID}-1`, zipDirectory(first.outputs['run-dir']!));

    const second = await runAction(scene, { script: 'greet.script.json', inputs: { 'resume-run-id': RUN_ID, answer: 'Y' }, env: { ...ON_GITHUB_COM, GITHUB_RUN_ID: '4301' } });
    expect(second.code).toBe(0);
    expect(second.outputs.status).toBe('success');
    const result = JSON.parse(readFileSync(join(second.outputs['run-dir']!, 'result.json'), 'utf8')) as { completed_nodes: string[] };
    expect(result.completed_nodes).toEqual(['start', 'implement', 'approve', 'done']);
    const events = readFileSync(join(second.outputs['run-dir']!, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; name?: string; resumed?: boolean });
    const resumedAt = events.findIndex((event) => event.type === 'pipeline_started' && event.resumed);
    expect(events.slice(resumedAt).filter((event) => event.type === 'stage_started').map((event) => event.name)).toEqual(['approve', 'done']);
    expect(scene.github.violations()).toEqual([]);
  });
});
