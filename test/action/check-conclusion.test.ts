// How the bundled Action leaves the `factory` check on its less travelled paths: a gate comment that
// cannot be posted, an external_id the App updated while the job ran, and the spend recorded when
// the main step fails after starting or the post step concludes a check the main step left open.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeExternalId } from '../../core/domain/checks.ts';
import { createScene, fixture, POST, productFiles, RUN_ID, runAction, type Scene } from './harness.ts';

let scene: Scene | undefined;
afterEach(async () => {
  await scene?.close();
  scene = undefined;
});

/** The `factory` check as the App creates it before dispatching: queued, with its context in external_id. */
function seedFactoryCheck(target: Scene, id: number, externalId: Record<string, unknown>) {
  const check = { id, name: 'factory', head_sha: target.repo.head, status: 'queued', conclusion: null, external_id: JSON.stringify(externalId), details_url: null, output: { title: 'Factory run queued', summary: null, text: null } };
  target.github.checkRuns.push(check);
  return check;
}

function lastCompleted(target: Scene, id: number): Record<string, unknown> {
  const completed = target.github.checkUpdates.filter((update) => update.id === id && update.body.status === 'completed');
  expect(completed).toHaveLength(1);
  return completed[0]!.body;
}

describe('concluding the factory check', () => {
  it('a gate question that cannot be posted (issue locked) still parks the run: action_required with the answer buttons', async () => {
    scene = await createScene(productFiles({ 'factory/pipeline.dot': fixture('pipeline-gate.dot') }));
    seedFactoryCheck(scene, 90, { round: 1, request: 'comment:1' });
    scene.github.failNext('POST', '/repos/acme/widgets/issues/101/comments', 403);
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { 'check-run-id': '90' } });
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('waiting');
    expect(run.stdout).toContain('could not ask for the answer to approve on #101');
    expect(scene.github.comments).toEqual([]);
    expect(scene.github.pulls).toHaveLength(1);
    const last = lastCompleted(scene, 90);
    expect(last).toMatchObject({ conclusion: 'action_required' });
    expect((last.actions as Array<{ identifier: string }>).map((action) => action.identifier)).toEqual(['answer:Y', 'answer:N']);
    expect(run.state['check-concluded']).toBe('true');
    expect(scene.github.violations()).toEqual([]);
  });

  it('keeps the workflow run the App linked while the job ran, and links this one when the App has not', async () => {
    scene = await createScene();
    const check = seedFactoryCheck(scene, 91, { round: 1, request: 'delivery-2' });
    // The App's link update lands after the job read the check at its start.
    const run = await runAction(scene, {
      script: 'greet.script.json',
      inputs: { 'check-run-id': '91' },
      onOutput: { text: 'stage document', act: () => void (check.external_id = JSON.stringify({ round: 1, request: 'delivery-2', run: 555 })) },
    });
    expect(run.code).toBe(0);
    expect(decodeExternalId(lastCompleted(scene, 91).external_id as string)).toMatchObject({ round: 1, request: 'delivery-2', run: 555, spent: { usd: 0 } });

    seedFactoryCheck(scene, 92, { round: 1, request: 'delivery-3' });
    const unlinked = await runAction(scene, { script: 'greet.script.json', inputs: { 'check-run-id': '92' } });
    expect(unlinked.code).toBe(0);
    expect(decodeExternalId(lastCompleted(scene, 92).external_id as string)).toMatchObject({ round: 1, request: 'delivery-3', run: Number(RUN_ID), spent: { usd: 0 } });
    expect(scene.github.violations()).toEqual([]);
  });

  it('records the spend so far when the main step fails after starting', async () => {
    scene = await createScene();
    seedFactoryCheck(scene, 93, { round: 2, request: 'comment:5' });
    scene.github.failNext('POST', '/repos/acme/widgets/pulls', 422);
    const run = await runAction(scene, { script: 'greet.script.json', inputs: { 'check-run-id': '93' } });
    expect(run.code).toBe(1);
    const last = lastCompleted(scene, 93);
    expect(last).toMatchObject({ conclusion: 'failure' });
    const context = decodeExternalId(last.external_id as string);
    expect(context).toMatchObject({ round: 2, request: 'comment:5', run: Number(RUN_ID), spent: { usd: 0 } });
    expect(context!.spent!.minutes).toBeLessThan(1);
    expect(run.state['check-concluded']).toBe('true');
    expect(scene.github.violations()).toEqual([]);
  });

  it('the post step records the spend of a main step that died: minutes since it started, cost from its events', async () => {
    scene = await createScene();
    seedFactoryCheck(scene, 94, { round: 1, request: 'comment:6' });
    const runDir = join(scene.runner, 'temp', 'factory-run-dead');
    mkdirSync(runDir, { recursive: true });
    const turn = (cost: number) => ({ type: 'agent_turn', node_id: 'implement', turn: 1, provider: 'anthropic', model: 'm', finish_reason: 'tool_use', usage: { input_tokens: 10, output_tokens: 1 }, cost_usd: cost, tool_calls: 1, text: '' });
    writeFileSync(join(runDir, 'events.jsonl'), [{ type: 'stage_started', name: 'implement', index: 1, attempt: 1 }, turn(1.25), turn(0.5)].map((event) => `${JSON.stringify(event)}\n`).join(''));
    const state = { 'STATE_run-dir': runDir, 'STATE_started-at': String(Date.now() - 3 * 60_000), 'STATE_restored-usd': '0.25' };
    const post = await runAction(scene, { inputs: { 'check-run-id': '94' }, env: state }, POST);
    expect(post.code).toBe(0);
    const last = lastCompleted(scene, 94);
    expect(last).toMatchObject({ conclusion: 'failure', output: expect.objectContaining({ title: 'Factory run stopped' }) });
    const context = decodeExternalId(last.external_id as string);
    expect(context).toMatchObject({ round: 1, request: 'comment:6', run: Number(RUN_ID), spent: { usd: 1.5 } });
    expect(context!.spent!.minutes).toBeGreaterThanOrEqual(3);
    expect(context!.spent!.minutes).toBeLessThan(4);
    expect(scene.github.violations()).toEqual([]);
  });
});
