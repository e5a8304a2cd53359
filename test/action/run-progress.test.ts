// The run command in-process with a manual clock: the `factory` check's in-progress updates are
// throttled, and a deferred update shows the state at the time it is sent, not when it was asked for.
import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { runCommand } from '../../action/run.ts';
import { createScene, FIXTURES, OWNER, REPO, runnerEnv, type Scene } from './harness.ts';

let scene: Scene | undefined;
afterEach(async () => {
  await scene?.close();
  scene = undefined;
});

describe('live progress on the factory check', () => {
  it('sends at most one in-progress update per 10 s, each with the stage running when it is sent', async () => {
    scene = await createScene();
    let now = Date.UTC(2026, 0, 1);
    const timers: Array<{ at: number; callback: () => void; done: boolean }> = [];
    const advance = (ms: number) => {
      now += ms;
      for (const timer of timers.filter((candidate) => !candidate.done && candidate.at <= now)) {
        timer.done = true;
        timer.callback();
      }
    };
    const env = runnerEnv(scene);
    const lines: string[] = [];
    const outputs = await runCommand({
      inputs: { command: 'run', githubToken: 'ghs_test-token', configPath: '.github/factory.yml', models: `scripted:${join(FIXTURES, 'greet.script.json')}`, checkRunId: 90 },
      env,
      toolEnv: { ...env },
      octokit: new Octokit({ auth: 'ghs_test-token', baseUrl: scene.github.url, log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } }),
      repo: { owner: OWNER, repo: REPO },
      workspace: scene.repo.work,
      runRoot: env.RUNNER_TEMP!,
      now: () => now,
      setTimer: (callback, ms) => {
        const timer = { at: now + ms, callback, done: false };
        timers.push(timer);
        return () => void (timer.done = true);
      },
      // Each stage takes 6 s of the manual clock.
      log: (line) => {
        lines.push(line);
        if (line.startsWith('stage ')) advance(6_000);
      },
      signal: new AbortController().signal,
      saveState: () => undefined,
    });
    expect(outputs.status).toBe('success');
    const updates = scene.github.checkUpdates.filter((update) => update.id === 90).map((update) => update.body);
    const inProgress = updates.filter((body) => body.status === 'in_progress').map((body) => body.output as { title: string; summary: string });
    // Sent at 0 s; stages start at 6, 12, 18, 24, 30 s. The deferred sends fall due at 10 s and 22 s
    // and go out when this clock passes them (12 s, 24 s), showing the stage running by then.
    expect(inProgress.map((output) => output.title)).toEqual(['Factory run started', 'Running: implement', 'Running: check']);
    expect(inProgress[1]!.summary).toContain('**Elapsed:** 12.0 s of a 30 min budget');
    expect(inProgress[2]!.summary).toContain('**Elapsed:** 24.0 s of a 30 min budget');
    expect(inProgress[2]!.summary).toContain('**Tokens:** 4350 in, 100 out');
    expect(updates.at(-1)).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(timers.filter((timer) => !timer.done)).toEqual([]);
  });
});
