// Drafted holdout scenarios: the CLI writes files that parse with the scenario schema and prints
// the coverage table; the Action's `scenarios` command opens a PR on the holdouts repository (none
// on the product repository) and the product repository sees one comment — count and link, no
// scenario text.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Octokit } from '@octokit/rest';
import { readInputs } from '../../action/inputs.ts';
import { scenariosCommand } from '../../action/scenarios.ts';
import { main } from '../../cli/main.ts';
import { parseScenario } from '../../core/domain/scenario.ts';
import { createFixtureRepo, git, type FixtureRepo } from '../support/git-fixtures.ts';
import { startGitHubServer, type GitHubServer } from '../support/github-server.ts';
import { startHoldouts, type HoldoutsServer } from '../support/holdouts-server.ts';
import { BASE_SPEC, CHANGED_SPEC } from './fixtures.ts';

const DRAFT_CANARY = 'CANARY-DRAFT-51c0de';
const draft = (id: string, category: string, covers: string[], status: number) => ({
  id, title: `${id} ${DRAFT_CANARY}`, category, criticality: 'high', covers,
  checks: [{ status, on: { method: 'GET', path: '/abc1234' } }], rubric: [{ id: 'answered' }], criteria: { answered: 'the service answered as the spec says' },
  story: `A visitor follows a link. ${DRAFT_CANARY}`, steps: '1. GET /abc1234', expected: `The service answers ${status}.`, feedback_tags: ['redirect'],
});
const ANSWER = JSON.stringify({ scenarios: [
  draft('follow-known', 'happy', ['S3'], 302), draft('unknown-code', 'failure', ['S2'], 404), draft('broken', 'edge', [], 200),
  { id: 'no-rubric', title: 'x', category: 'edge', story: 's', steps: 's', expected: 'e', criteria: {} },
] });

describe('drafted holdout scenarios', () => {
  const temp: string[] = [];
  const make = () => { const dir = mkdtempSync(join(tmpdir(), 'factory-drafts-')); temp.push(dir); return dir; };
  let repo: FixtureRepo;
  let base: string;
  let script: string;
  beforeAll(() => {
    repo = createFixtureRepo({ ...BASE_SPEC, '.github/factory.yml': 'version: 1\nvalidation:\n  scenarios_repo: acme/holdouts\n' });
    base = repo.head;
    for (const [path, text] of Object.entries(CHANGED_SPEC)) writeFileSync(join(repo.work, path), text);
    git(repo.work, ['commit', '--quiet', '-am', 'spec: unknown codes']);
    script = join(make(), 'draft.script.json');
    writeFileSync(script, JSON.stringify({ stages: { draft: [{ text: ANSWER }] } }));
  });
  afterAll(() => {
    repo.cleanup();
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  });

  it('factory scenarios draft writes files that parse with the scenario schema and prints the coverage table', async () => {
    const out = join(make(), 'drafts');
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    const code = await main(['scenarios', 'draft', join(repo.work, 'spec'), '--out', out, '--base', base, '--model', `scripted:${script}`], { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} });
    expect(code).toBe(0);
    const written = readdirSync(out, { recursive: true }).map(String).filter((name) => name.endsWith('.md')).sort();
    expect(written).toEqual(['edge/broken.md', 'failure/unknown-code.md', 'happy/follow-known.md']);
    for (const name of written) expect(parseScenario(readFileSync(join(out, name), 'utf8')).ok).toBe(true);
    // The statements the change added: constraints.md:4, contracts.md:6, intent.md:8.
    expect(text).toContain('| S3 | `spec/intent.md:8` | `happy/follow-known.md` |');
    expect(text).toContain('| S2 | `spec/contracts.md:6` | `failure/unknown-code.md` |');
    expect(text).toContain('Not covered: S1 (`spec/constraints.md:4`)');
    // A second run does not overwrite drafts.
    expect(await main(['scenarios', 'draft', join(repo.work, 'spec'), '--out', out, '--model', `scripted:${script}`], { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} })).toBe(2);
  });

  describe('the scenarios command', () => {
    let product: GitHubServer;
    let holdouts: HoldoutsServer;
    const drafted = new Map<string, string>();
    const pulls: Array<{ head: string; body: string }> = [];
    beforeAll(async () => {
      product = await startGitHubServer({ owner: 'acme', repo: 'widgets', defaultBranch: 'main' });
      holdouts = await startHoldouts({
        upstream: product.url, owner: 'acme', repo: 'holdouts', token: 'ghs_holdouts', files: { 'scenarios/README.md': '# holdouts\n' },
        route: (call) => {
          if (!call.path.startsWith('/repos/acme/holdouts')) return undefined;
          if (call.method === 'PUT' && call.path.includes('/contents/')) {
            const input = JSON.parse(call.body) as { branch: string; content: string };
            if (input.branch !== 'factory-drafts-pr-7') return { status: 422, json: { message: 'wrong branch' } };
            drafted.set(decodeURIComponent(call.path.split('/contents/')[1]!), Buffer.from(input.content, 'base64').toString('utf8'));
            return { status: 201, json: { content: { path: 'x' }, commit: { sha: 'b'.repeat(40) } } };
          }
          if (call.method === 'GET' && call.path === '/repos/acme/holdouts/pulls') return { status: 200, json: [] };
          if (call.method === 'POST' && call.path === '/repos/acme/holdouts/pulls') {
            const input = JSON.parse(call.body) as { head: string; body: string };
            pulls.push(input);
            return { status: 201, json: { number: 3, html_url: 'https://github.com/acme/holdouts/pull/3' } };
          }
          return undefined;
        },
      });
    });
    afterAll(async () => {
      await holdouts.close();
      await product.close();
    });

    it('opens a PR on the holdouts repository, none on the product repository, and comments only the count and link', async () => {
      const head = git(repo.work, ['rev-parse', 'HEAD']).trim();
      const inputs = readInputs((name) => ({ command: 'scenarios', 'github-token': 'ghs_app', 'scenarios-token': 'ghs_holdouts', 'pr-number': '7', 'spec-sha': head, 'base-sha': base, models: `scripted:${script}` })[name] ?? '');
      const logs: string[] = [];
      const quiet = { debug() {}, info() {}, warn() {}, error() {} };
      const outputs = await scenariosCommand({
        inputs, env: {}, octokit: new Octokit({ auth: 'ghs_app', baseUrl: holdouts.url, log: quiet }), scenariosOctokit: new Octokit({ auth: 'ghs_holdouts', baseUrl: holdouts.url, log: quiet }),
        repo: { owner: 'acme', repo: 'widgets' }, workspace: repo.work, tempRoot: make(), log: (line) => logs.push(line),
      });
      expect(outputs.status).toBe('success');
      expect([...drafted.keys()].sort()).toEqual(['scenarios/drafts/pr-7/edge/broken.md', 'scenarios/drafts/pr-7/failure/unknown-code.md', 'scenarios/drafts/pr-7/happy/follow-known.md']);
      for (const text of drafted.values()) expect(parseScenario(text).ok).toBe(true);
      expect(pulls).toHaveLength(1);
      expect(pulls[0]?.head).toBe('factory-drafts-pr-7');
      expect(pulls[0]?.body).toContain('| S2 | `spec/contracts.md:6` | `failure/unknown-code.md` |');

      expect(product.pulls).toEqual([]);
      expect(product.comments).toEqual([{ issue: 7, body: expect.stringContaining('3 holdout scenario(s)') }]);
      expect(product.comments[0]?.body).toContain('https://github.com/acme/holdouts/pull/3');
      const productSide = JSON.stringify([product.calls, product.comments, outputs, logs]);
      expect(productSide).not.toContain(DRAFT_CANARY);
      expect(productSide).not.toContain('unknown-code');
      expect(holdouts.violations()).toEqual([]);
      expect(product.violations()).toEqual([]);
    });
  });
});
