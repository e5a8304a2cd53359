// The Action's `review` command on a real checkout of a spec PR, GitHub answered by nock (every
// request checked against GitHub's OpenAPI description), the critic by a wire twin: one PR review
// whose line comments sit on the planted lines, and the `factory/spec` check concluded with counts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import { extractReviewReport, lintMark } from '../../core/domain/review.ts';
import { readInputs } from '../../action/inputs.ts';
import { reviewCommand } from '../../action/review.ts';
import { createFixtureRepo, git, type FixtureRepo } from '../support/git-fixtures.ts';
import { OpenApiChecker } from '../support/openapi-check.ts';
import { startWireServer, type WireServer } from '../support/wire-server.ts';
import { BASE_SPEC, CHANGED_SPEC, criticAnswer, PLANTED, PRODUCT_EXTRAS, REVIEW_CONFIG, SCENARIO_CANARY, SOURCE_CANARY } from './fixtures.ts';

const API = 'https://api.github.com';
const REPO = '/repos/acme/widgets';
const checker = new OpenApiChecker();

describe('the review command', () => {
  let repo: FixtureRepo;
  let wire: WireServer;
  let base: string;
  let head: string;
  beforeAll(async () => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    repo = createFixtureRepo({ ...BASE_SPEC, '.github/factory.yml': REVIEW_CONFIG, ...PRODUCT_EXTRAS });
    base = repo.head;
    git(repo.work, ['checkout', '--quiet', '-b', 'spec-unknown-codes']);
    for (const [path, text] of Object.entries(CHANGED_SPEC)) writeFileSync(`${repo.work}/${path}`, text);
    git(repo.work, ['commit', '--quiet', '-am', 'spec: unknown codes']);
    head = git(repo.work, ['rev-parse', 'HEAD']).trim();
    wire = await startWireServer();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(async () => {
    nock.restore();
    await wire.close();
    repo.cleanup();
  });

  it('posts one review with line comments on the planted lines and concludes factory/spec with the counts', async () => {
    wire.push({ turn: { text: criticAnswer() } });
    let review: { comments: Array<{ path: string; line: number; body: string }>; body: string; event: string; commit_id: string } | undefined;
    const updates: Array<{ conclusion?: string; output: { title: string; summary: string; text: string; annotations?: unknown[] } }> = [];
    checker.watch(nock(API))
      .get(REPO).reply(200, { name: 'widgets', full_name: 'acme/widgets', default_branch: 'main' })
      .post(`${REPO}/pulls/7/reviews`, (body) => { review = body; return true; }).reply(200, { id: 1 })
      .get(`${REPO}/check-runs/41`).reply(200, { id: 41, name: 'factory/spec', head_sha: head, status: 'in_progress', conclusion: null, external_id: null,
        output: { title: 'Spec review running', summary: '**Config**: valid.\n\n**Readiness review**: running; its findings follow.', text: lintMark(false) } })
      .patch(`${REPO}/check-runs/41`, (body) => { updates.push(body); return true; }).reply(200, { id: 41 });
    const inputs = readInputs((name) => ({ command: 'review', 'github-token': 'ghs_x', 'pr-number': '7', 'check-run-id': '41', 'base-sha': base, 'spec-sha': head })[name] ?? '');
    const outputs = await reviewCommand({
      inputs, env: { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: wire.url }, octokit: new Octokit({ auth: 'ghs_x', baseUrl: API }),
      repo: { owner: 'acme', repo: 'widgets' }, workspace: repo.work, log: () => undefined,
    });
    expect(checker.violations()).toEqual([]);
    expect(outputs.status).toBe('fail');

    expect(review?.event).toBe('COMMENT');
    expect(review?.commit_id).toBe(head);
    expect(review?.comments.map((comment) => [comment.path, comment.line])).toEqual([
      [PLANTED.contradiction.file, PLANTED.contradiction.line],
      [PLANTED.untestable.file, PLANTED.untestable.line],
    ]);
    expect(review?.comments[0]?.body).toContain('```suggestion\n| `GET /{code}` unknown | 404 |\n```');
    expect(review?.body).toContain('| contradiction | 1 | 1 |');

    const last = updates.at(-1)!;
    expect(last.conclusion).toBe('failure');
    expect(last.output.title).toBe('Spec not ready: 1 blocking finding(s)');
    expect(last.output.summary).toContain('**Config**: valid.');
    expect(last.output.summary).not.toContain('running');
    expect(last.output.summary).toContain('| untestable | 1 | 0 |');
    expect(last.output.annotations).toHaveLength(2);
    expect(extractReviewReport(last.output.text)).toMatchObject({ head_sha: head, blocking: 1, counts: { contradiction: 1, untestable: 1, gap: 0, ambiguity: 0 } });

    const request = JSON.stringify(wire.requests.at(-1)?.body);
    expect(request).toContain('Redirects must be fast.');
    expect(request).toContain('.github/factory.yml');
    expect(request).not.toContain(SOURCE_CANARY);
    expect(request).not.toContain(SCENARIO_CANARY);
  });
});
