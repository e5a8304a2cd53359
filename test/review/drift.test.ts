// Drift replay: `factory validate --target` judges only the production_safe scenarios against a
// service that is already running and starts nothing; the drift workflow's logic keeps one
// `factory/drift` issue — opened on a failing replay, updated on the next, closed on a pass — with
// the leak-safe summary only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import { driftCommand } from '../../action/drift.ts';
import { readInputs } from '../../action/inputs.ts';
import { decideDriftIssue, DRIFT_LABEL } from '../../core/domain/drift.ts';
import { freePort } from '../../core/validation/artifact.ts';
import { createFixtureRepo, type FixtureRepo } from '../support/git-fixtures.ts';
import { OpenApiChecker } from '../support/openapi-check.ts';
import { CANARY, fixture, runCli } from '../validation/helpers.ts';

const MODEL = `scripted:${fixture('models', 'http.json')}`;
const SAFE = ['create-item', 'missing-name'];

/** The passing HTTP scenarios, two of them marked production_safe. */
function scenarios(dir: string): string {
  cpSync(fixture('scenarios', 'http-pass'), dir, { recursive: true });
  for (const id of SAFE) {
    const path = join(dir, `${id}.md`);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\ncategory: /, '\nproduction_safe: true\ncategory: '));
  }
  return dir;
}

describe('drift replay', () => {
  const temp: string[] = [];
  const make = () => { const dir = mkdtempSync(join(tmpdir(), 'factory-drift-test-')); temp.push(dir); return dir; };
  let service: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const dir = make();
    cpSync(fixture('http-artifact', 'server.mjs'), join(dir, 'server.mjs'));
    writeFileSync(join(dir, 'build.txt'), 'built');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, ['server.mjs'], { cwd: dir, env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (let i = 0; i < 100; i += 1) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });
  afterAll(() => {
    service.kill();
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  });

  it('factory validate --target judges only the production_safe scenarios against the running service and starts nothing', async () => {
    const dir = scenarios(make());
    const cwd = make();
    const report = join(cwd, 'report.json');
    // The config names an artifact to build and start; with --target neither happens.
    const result = await runCli(['validate', '--scenarios', dir, '--target', url, '--artifact', fixture('http-artifact', '.github', 'factory.yml'), '--model', MODEL, '--report', report]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('nothing was built or started');
    expect(result.stdout).toMatch(/\(4\/4 trials, 2 scenarios\)/);
    const detailed = JSON.parse(readFileSync(report, 'utf8')) as { result: { scenarios: Array<{ id: string; trials: Array<{ interactions: Array<{ request?: { url?: string } }> }> }> } };
    expect(detailed.result.scenarios.map((scenario) => scenario.id)).toEqual(SAFE);
    const urls = detailed.result.scenarios.flatMap((scenario) => scenario.trials.flatMap((trial) => trial.interactions.map((interaction) => JSON.stringify(interaction))));
    expect(urls.length).toBeGreaterThan(0);
    // Nothing built: the copy the harness would build in never existed, so no build.txt appeared anywhere but the service's own.
    expect(readdirSync(cwd)).toEqual(['report.json']);
  });

  it('refuses a --target with no production_safe scenario (exit 2) and a malformed URL', async () => {
    const plain = make();
    cpSync(fixture('scenarios', 'http-pass'), plain, { recursive: true });
    expect((await runCli(['validate', '--scenarios', plain, '--target', url, '--model', MODEL])).code).toBe(2);
    expect((await runCli(['validate', '--scenarios', plain, '--target', 'ftp://x', '--model', MODEL])).code).toBe(2);
  });

  it('decides one issue: open, update (closing duplicates), close', () => {
    expect(decideDriftIssue([], true)).toEqual({ kind: 'open' });
    expect(decideDriftIssue([{ number: 9 }, { number: 4 }], true)).toEqual({ kind: 'update', number: 4, close: [9] });
    expect(decideDriftIssue([{ number: 4 }], false)).toEqual({ kind: 'close', numbers: [4] });
    expect(decideDriftIssue([], false)).toEqual({ kind: 'none' });
  });

  describe('the drift command', () => {
    const API = 'https://api.github.com';
    const checker = new OpenApiChecker();
    let repo: FixtureRepo;
    let holdoutFiles: Record<string, string>;
    beforeAll(() => {
      if (!nock.isActive()) nock.activate();
      nock.disableNetConnect();
      nock.enableNetConnect('127.0.0.1');
      repo = createFixtureRepo({ '.github/factory.yml': `version: 1\nvalidation:\n  scenarios_repo: acme/holdouts\n  trials: 3\n  thresholds: { overall: 0.5 }\nfeedback:\n  level: tags\n  tags: [items-create]\ndrift:\n  target_url: "${url}"\n  threshold: 0.1\n` });
      const dir = scenarios(make());
      holdoutFiles = Object.fromEntries(readdirSync(dir).map((name) => [`scenarios/${name}`, readFileSync(join(dir, name), 'utf8')]));
    });
    afterEach(() => {
      const pending = nock.pendingMocks();
      nock.cleanAll();
      expect(pending).toEqual([]);
      expect(checker.violations()).toEqual([]);
    });
    afterAll(() => {
      nock.restore();
      repo.cleanup();
    });

    /** The product repository (its issues) and the holdouts repository (its scenarios), as GitHub answers them. */
    function github(openIssues: number[], writes: Array<['POST' | 'PATCH', string]>): { issueWrites: Array<{ method: string; path: string; body: Record<string, unknown> }> } {
      const issueWrites: Array<{ method: string; path: string; body: Record<string, unknown> }> = [];
      const scope = checker.watch(nock(API));
      scope.get('/repos/acme/widgets').matchHeader('authorization', 'token ghs_app').reply(200, { name: 'widgets', full_name: 'acme/widgets', default_branch: 'main' })
        .get('/repos/acme/widgets').matchHeader('authorization', 'token ghs_holdouts').reply(404, { message: 'Not Found' })
        .get('/repos/acme/holdouts/contents/scenarios').reply(200, Object.keys(holdoutFiles).map((path) => ({ type: 'file', name: path.split('/').pop(), path, sha: 'd'.repeat(40) })));
      for (const [path, text] of Object.entries(holdoutFiles)) {
        scope.get(`/repos/acme/holdouts/contents/${encodeURIComponent(path)}`)
          .reply(200, { type: 'file', name: path.split('/').pop(), path, sha: 'c'.repeat(40), encoding: 'base64', content: Buffer.from(text).toString('base64') });
      }
      scope.get('/repos/acme/widgets/issues').query({ state: 'open', labels: DRIFT_LABEL, per_page: 100 })
        .reply(200, openIssues.map((number) => ({ number, title: 'drift', state: 'open', labels: [{ name: DRIFT_LABEL }] })));
      for (const [method, path] of writes) {
        const matcher = (body: Record<string, unknown>): boolean => { issueWrites.push({ method, path, body }); return true; };
        if (method === 'POST') scope.post(path, matcher).reply(201, { number: 12, id: 1 });
        else scope.patch(path, matcher).reply(200, { number: 12 });
      }
      return { issueWrites };
    }

    async function replay(target: string) {
      const inputs = readInputs((name) => ({ command: 'drift', 'github-token': 'ghs_app', 'scenarios-token': 'ghs_holdouts', models: MODEL, 'target-url': target })[name] ?? '');
      return driftCommand({
        inputs, env: {}, octokit: new Octokit({ auth: 'ghs_app', baseUrl: API, log: { debug() {}, info() {}, warn() {}, error() {} } }),
        scenariosOctokit: new Octokit({ auth: 'ghs_holdouts', baseUrl: API, log: { debug() {}, info() {}, warn() {}, error() {} } }),
        repo: { owner: 'acme', repo: 'widgets' }, workspace: repo.work, tempRoot: make(), log: () => undefined,
      });
    }

    it('opens one issue on a failing replay, updates it on the next failure, closes it on a pass', async () => {
      const dead = `http://127.0.0.1:${await freePort()}`;
      const first = github([], [['POST', '/repos/acme/widgets/issues']]);
      const failed = await replay(dead);
      expect(failed.status).toBe('fail');
      expect(first.issueWrites).toHaveLength(1);
      expect(first.issueWrites[0]).toMatchObject({ method: 'POST', path: '/repos/acme/widgets/issues', body: { labels: [DRIFT_LABEL] } });
      const body = String(first.issueWrites[0]!.body.body);
      expect(body).toContain('Satisfaction (criticality-weighted');
      expect(body).not.toContain(CANARY);
      expect(body).not.toMatch(/create-item|shopper|apple/);

      const second = github([12], [['PATCH', '/repos/acme/widgets/issues/12']]);
      expect((await replay(dead)).status).toBe('fail');
      expect(second.issueWrites.map((write) => [write.method, write.path])).toEqual([['PATCH', '/repos/acme/widgets/issues/12']]);
      expect(second.issueWrites[0]!.body.state).toBeUndefined();

      const third = github([12], [['POST', '/repos/acme/widgets/issues/12/comments'], ['PATCH', '/repos/acme/widgets/issues/12']]);
      const passed = await replay(url);
      expect(passed.status).toBe('success');
      expect(third.issueWrites.map((write) => [write.method, write.path])).toEqual([['POST', '/repos/acme/widgets/issues/12/comments'], ['PATCH', '/repos/acme/widgets/issues/12']]);
      expect(third.issueWrites[1]!.body).toMatchObject({ state: 'closed' });
      expect(JSON.stringify([first, second, third])).not.toContain(CANARY);
    });
  });
});
