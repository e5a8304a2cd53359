// The bundled post step (dist/post.js) uploads the run directory through @actions/artifact to a local
// Actions results service, after a main step that succeeded, parked at a gate, was cancelled or was
// killed; the uploaded zip is read back and checked.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startResultsServer, type ResultsServer } from '../support/results-server.ts';
import { zipEntries } from '../support/zip-files.ts';
import { createScene, fixture, POST, productFiles, RUN_ID, runAction, type ActionRun, type RunOptions, type Scene } from './harness.ts';

const TOKEN = 'ghs_test-token';
const CANARY_KEY = 'sk-ant-canary-7c3b9a';
const ARTIFACT = `factory-run-${RUN_ID}-1`;

let scene: Scene | undefined;
let results: ResultsServer | undefined;
afterEach(async () => {
  await scene?.close();
  await results?.close();
  scene = undefined;
  results = undefined;
});

/** The post step as the runner starts it: the main step's saved state, the results service's env. */
function runPost(target: Scene, service: ResultsServer, main: ActionRun, options: RunOptions = {}): Promise<ActionRun> {
  const state = Object.fromEntries(Object.entries(main.state).map(([name, value]) => [`STATE_${name}`, value]));
  // @actions/artifact refuses GitHub Enterprise Server, which it recognises by GITHUB_SERVER_URL.
  return runAction(target, { ...options, env: { ...service.env(), GITHUB_SERVER_URL: 'https://github.com', ...state, ...options.env } }, POST);
}

function entries(service: ResultsServer): Map<string, string> {
  expect(service.artifacts.map((artifact) => artifact.name)).toEqual([ARTIFACT]);
  return zipEntries(service.artifacts[0]!.content);
}

function completedNodes(files: Map<string, string>): string[] {
  return (JSON.parse(files.get('checkpoint.json')!) as { completed_nodes: string[] }).completed_nodes;
}

function configWithCheck(check: string): string {
  return fixture('factory.yml').replace(/check_command: .*/, `check_command: ${JSON.stringify(check)}`);
}

describe('the post step uploads the run directory as the job’s run artifact', () => {
  it('after a successful run: checkpoint, events, manifest, result, prompts and responses, never a credential', async () => {
    scene = await createScene(productFiles({ '.github/factory.yml': configWithCheck('test -f src/hello.txt && env') }));
    results = await startResultsServer();
    const secrets = { ANTHROPIC_API_KEY: CANARY_KEY };
    const main = await runAction(scene, { script: 'greet.script.json', env: secrets });
    expect(main.outputs.status).toBe('success');
    const post = await runPost(scene, results, main, { env: secrets });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`uploaded artifact ${ARTIFACT}`);
    expect(post.stdout).not.toContain('::warning::');
    expect(results.refusals).toEqual([]);

    const files = entries(results);
    for (const name of ['manifest.json', 'checkpoint.json', 'events.jsonl', 'result.json', 'implement/prompt.md', 'implement/response.md', 'implement/status.json', 'check/tool_output.txt']) {
      expect([...files.keys()]).toContain(name);
    }
    expect(completedNodes(files)).toEqual(['start', 'implement', 'document', 'check', 'done']);
    // The check command dumped its environment into the run directory: still no credential in it.
    expect(files.get('check/tool_output.txt')).toContain('FACTORY_CHECK_COMMAND=');
    for (const [name, text] of files) {
      expect({ name, leaks: text.includes(TOKEN) || text.includes(CANARY_KEY) || text.includes(results.runtimeToken) }).toEqual({ name, leaks: false });
    }
    const expires = Date.parse(results.artifacts[0]!.expiresAt ?? '');
    expect(Math.round((expires - Date.now()) / 86_400_000)).toBe(30);
  });

  it('after a SIGTERM’d run: the checkpoint of the completed stages, and the check left as the main step concluded it', async () => {
    scene = await createScene(productFiles({ '.github/factory.yml': configWithCheck('sleep 20') }));
    results = await startResultsServer();
    const main = await runAction(scene, { script: 'greet.script.json', inputs: { 'check-run-id': '79' }, onOutput: { text: 'stage check (attempt 1)', act: (child) => child.kill('SIGTERM') } });
    expect(main.outputs.status).toBe('cancelled');
    const updatesBefore = scene.github.checkUpdates.length;
    const post = await runPost(scene, results, main, { inputs: { 'check-run-id': '79' } });
    expect(post.code).toBe(0);
    expect(results.refusals).toEqual([]);
    expect(completedNodes(entries(results))).toEqual(['start', 'implement', 'document']);
    expect(scene.github.checkUpdates).toHaveLength(updatesBefore);
  });

  it('after a killed main step: uploads what it left, and concludes the open check pointing at the artifact', async () => {
    scene = await createScene(productFiles({ '.github/factory.yml': configWithCheck('sleep 20') }));
    results = await startResultsServer();
    const main = await runAction(scene, { script: 'greet.script.json', inputs: { 'check-run-id': '82' }, onOutput: { text: 'stage check (attempt 1)', act: (child) => child.kill('SIGKILL') } });
    expect(main.signal).toBe('SIGKILL');
    const post = await runPost(scene, results, main, { inputs: { 'check-run-id': '82' } });
    expect(post.code).toBe(0);
    expect(completedNodes(entries(results))).toEqual(['start', 'implement', 'document']);
    const last = scene.github.checkUpdates.at(-1)!;
    expect(last.id).toBe(82);
    expect(last.body).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect((last.body.output as { summary: string }).summary).toContain(`artifact \`${ARTIFACT}\``);
    expect(scene.github.violations()).toEqual([]);
  });

  it('after a run parked at a human gate: the checkpoint a resume with the answer continues from', async () => {
    scene = await createScene(productFiles({ 'factory/pipeline.dot': fixture('pipeline-gate.dot') }));
    results = await startResultsServer();
    const main = await runAction(scene, { script: 'greet.script.json' });
    expect(main.outputs.status).toBe('waiting');
    const post = await runPost(scene, results, main);
    expect(post.code).toBe(0);
    const files = entries(results);
    expect(completedNodes(files)).toEqual(['start', 'implement']);
    expect(JSON.parse(files.get('result.json')!)).toMatchObject({ status: 'waiting' });

    // The uploaded zip is what a resume downloads: its layout restores the run directory.
    scene.github.addArtifact(Number(RUN_ID), ARTIFACT, results.artifacts[0]!.content);
    const resumed = await runAction(scene, { script: 'greet.script.json', inputs: { 'resume-run-id': RUN_ID, answer: 'Y' }, env: { GITHUB_RUN_ID: '4302', GITHUB_SERVER_URL: 'https://github.com' } });
    expect(resumed.outputs.status).toBe('success');
    expect(resumed.stdout).toContain(`restored the run directory of workflow run ${RUN_ID}`);
  });

  it('without the runner’s results service it warns and leaves the job’s outcome alone', async () => {
    scene = await createScene();
    results = await startResultsServer();
    const main = await runAction(scene, { script: 'greet.script.json' });
    const post = await runPost(scene, results, main, { env: { ACTIONS_RUNTIME_TOKEN: '' } });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('::warning::spec-factory post: run directory');
    expect(post.stdout).toContain('ACTIONS_RUNTIME_TOKEN not set');
    expect(results.artifacts).toEqual([]);
  });
});
