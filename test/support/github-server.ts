// A local GitHub API for the bundled Action running as a child process (and for the App, in the
// end-to-end test): an HTTP server on 127.0.0.1 that records every request, checks it against
// GitHub's OpenAPI description (openapi-check.ts), and answers the few operations the Action and
// the App use from a small in-memory state.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readText } from './http-body.ts';
import { OpenApiChecker } from './openapi-check.ts';

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface FakePull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
}

/** A check run as the App creates it and the Action updates it. */
export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** The App that created the check (GitHub always names it). */
  app?: { id: number; slug: string };
  started_at?: string;
}

/** An issue comment as GitHub lists it: who wrote it, and through which App. */
export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
  performed_via_github_app?: { id: number; slug: string } | null;
  created_at: string;
}

/** A captured `workflow_dispatch`. */
export interface FakeDispatch {
  workflow: string;
  ref: string;
  inputs: Record<string, string>;
  /** The workflow run id answered with `return_run_details`. */
  runId: number;
}

export interface GitHubServerOptions {
  owner: string;
  repo: string;
  defaultBranch: string;
  checker?: OpenApiChecker;
  /** Serves the contents API of the repository: a file's text at `ref`, or null for 404. */
  readFile?: (path: string, ref: string) => string | null;
}

export interface GitHubServer {
  readonly url: string;
  readonly calls: RecordedCall[];
  readonly pulls: FakePull[];
  readonly checkUpdates: Array<{ id: number; body: Record<string, unknown> }>;
  readonly comments: Array<{ issue: number; body: string }>;
  /** Comments listed by `GET …/issues/{n}/comments` (steering); add to it to seed one. */
  readonly issueComments: FakeComment[];
  /** Check runs created through the API (updates to them are applied here too). */
  readonly checkRuns: FakeCheckRun[];
  readonly dispatches: FakeDispatch[];
  /** Records that commit `sha` is the merge of pull request `number` (the commit's associated PRs). */
  mergedPull(sha: string, number: number): void;
  /** Serves `zip` as an artifact of workflow run `runId` (list, and download via a redirect as GitHub does). */
  addArtifact(runId: number, name: string, zip: Buffer, listed?: { sizeInBytes?: number; digest?: string }): void;
  /** Answers the next request to `method path` with this status (and Retry-After, when given) instead. */
  failNext(method: string, path: string, status: number, retryAfter?: string, message?: string): void;
  /** OpenAPI violations of every request so far. */
  violations(): string[];
  close(): Promise<void>;
}

const CHECK_FIELDS = ['status', 'conclusion', 'external_id', 'details_url'] as const;

/** Applies the fields of a create or update request (GitHub ignores the ones it does not keep). */
function applyCheckFields(check: FakeCheckRun, fields: Record<string, unknown>): FakeCheckRun {
  for (const key of CHECK_FIELDS) if (typeof fields[key] === 'string') check[key] = fields[key];
  const output = fields.output as Partial<FakeCheckRun['output']> | undefined;
  if (output) check.output = { ...check.output, ...output };
  return check;
}

function checkRunJson(check: FakeCheckRun) {
  return { ...check, html_url: `https://github.example/checks/${check.id}` };
}

export async function startGitHubServer(options: GitHubServerOptions): Promise<GitHubServer> {
  const checker = options.checker ?? new OpenApiChecker();
  const calls: RecordedCall[] = [];
  const pulls: FakePull[] = [];
  const checkUpdates: Array<{ id: number; body: Record<string, unknown> }> = [];
  const comments: Array<{ issue: number; body: string }> = [];
  const issueComments: FakeComment[] = [];
  const artifacts: Array<{ id: number; runId: number; name: string; zip: Buffer; sizeInBytes: number; digest: string }> = [];
  /** The download redirects to blob storage with a signed URL; blob storage checks the signature. */
  const BLOB_SIGNATURE = 'sig=github-server-signed';
  const faults: Array<{ method: string; path: string; status: number; retryAfter?: string; message?: string }> = [];
  const checkRuns: FakeCheckRun[] = [];
  const dispatches: FakeDispatch[] = [];
  const mergedPulls = new Map<string, number>();
  const base = `/repos/${options.owner}/${options.repo}`;

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readText(req);
      const method = req.method ?? 'GET';
      const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
      // The redirect target of an artifact download is blob storage, not the API.
      if (parsed.pathname.startsWith('/_blob/')) {
        const artifact = artifacts.find((candidate) => candidate.id === Number(parsed.pathname.slice('/_blob/'.length)));
        const signed = parsed.search.includes(BLOB_SIGNATURE) && req.headers.authorization === undefined;
        res.writeHead(artifact && signed ? 200 : signed ? 404 : 403, { 'content-type': 'application/zip' });
        res.end(artifact && signed ? artifact.zip : '');
        return;
      }
      checker.check(method, parsed.pathname + parsed.search, text === '' ? undefined : text);
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      calls.push({ method, path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), body });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const pullJson = (pull: FakePull) => ({
        number: pull.number,
        html_url: `https://github.example/${options.owner}/${options.repo}/pull/${pull.number}`,
        title: pull.title,
        body: pull.body,
        head: { ref: pull.head },
        base: { ref: pull.base },
        state: 'open',
      });
      const path = parsed.pathname;
      const fault = faults.findIndex((candidate) => candidate.method === method && candidate.path === path);
      if (fault >= 0) {
        const { status, retryAfter, message } = faults.splice(fault, 1)[0]!;
        res.writeHead(status, { 'content-type': 'application/json', ...(retryAfter !== undefined ? { 'retry-after': retryAfter } : {}) });
        res.end(JSON.stringify({ message: message ?? `github-server: injected ${status}` }));
        return;
      }
      if (method === 'GET' && path === base) return send(200, { name: options.repo, full_name: `${options.owner}/${options.repo}`, default_branch: options.defaultBranch });
      if (method === 'GET' && path === `${base}/pulls`) {
        const head = parsed.searchParams.get('head') ?? '';
        const ref = head.includes(':') ? head.slice(head.indexOf(':') + 1) : head;
        return send(200, pulls.filter((pull) => ref === '' || pull.head === ref).map(pullJson));
      }
      if (method === 'POST' && path === `${base}/pulls`) {
        const input = body as { head: string; base: string; title: string; body?: string };
        const pull = { number: 100 + pulls.length + 1, head: input.head, base: input.base, title: input.title, body: input.body ?? '' };
        pulls.push(pull);
        return send(201, pullJson(pull));
      }
      const pullMatch = new RegExp(`^${base}/pulls/(\\d+)$`).exec(path);
      if (method === 'GET' && pullMatch) {
        const pull = pulls.find((candidate) => candidate.number === Number(pullMatch[1]));
        return pull ? send(200, pullJson(pull)) : send(404, { message: 'Not Found' });
      }
      if (method === 'PATCH' && pullMatch) {
        const pull = pulls.find((candidate) => candidate.number === Number(pullMatch[1]));
        if (!pull) return send(404, { message: 'Not Found' });
        Object.assign(pull, body as Partial<FakePull>);
        return send(200, pullJson(pull));
      }
      const runArtifacts = new RegExp(`^${base}/actions/runs/(\\d+)/artifacts$`).exec(path);
      if (method === 'GET' && runArtifacts) {
        const list = artifacts.filter((artifact) => artifact.runId === Number(runArtifacts[1]))
          .map((artifact) => ({ id: artifact.id, name: artifact.name, expired: false, size_in_bytes: artifact.sizeInBytes, digest: artifact.digest, created_at: '2026-01-01T00:00:00Z' }));
        return send(200, { total_count: list.length, artifacts: list });
      }
      const download = new RegExp(`^${base}/actions/artifacts/(\\d+)/zip$`).exec(path);
      if (method === 'GET' && download) {
        res.writeHead(302, { location: `${url}/_blob/${download[1]}?${BLOB_SIGNATURE}&se=2026-12-31` });
        res.end();
        return;
      }
      const commentMatch = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(path);
      if (method === 'GET' && commentMatch) {
        const since = parsed.searchParams.get('since');
        const list = issueComments.filter((comment) => comment.issue === Number(commentMatch[1]) && (since === null || comment.created_at >= since));
        return send(200, list.map((comment) => ({
          id: comment.id, node_id: `IC_${comment.id}`, body: comment.body, user: { login: comment.user.login, type: comment.user.type },
          performed_via_github_app: comment.performed_via_github_app ?? null, created_at: comment.created_at, updated_at: comment.created_at,
          html_url: `https://github.example/${options.owner}/${options.repo}/issues/${comment.issue}#issuecomment-${comment.id}`,
        })));
      }
      if (method === 'POST' && commentMatch) {
        const comment = { issue: Number(commentMatch[1]), body: (body as { body: string }).body };
        comments.push(comment);
        return send(201, { id: 5000 + comments.length, body: comment.body });
      }
      const checkMatch = new RegExp(`^${base}/check-runs/(\\d+)$`).exec(path);
      const knownCheck = checkMatch ? checkRuns.find((check) => check.id === Number(checkMatch[1])) : undefined;
      if (method === 'PATCH' && checkMatch) {
        checkUpdates.push({ id: Number(checkMatch[1]), body: body as Record<string, unknown> });
        if (knownCheck) return send(200, checkRunJson(applyCheckFields(knownCheck, body as Record<string, unknown>)));
        return send(200, { id: Number(checkMatch[1]), name: 'factory', ...(body as object) });
      }
      if (method === 'GET' && checkMatch) return knownCheck ? send(200, checkRunJson(knownCheck)) : send(404, { message: 'Not Found' });
      if (method === 'POST' && path === `${base}/check-runs`) {
        const input = body as Record<string, unknown> & { name: string; head_sha: string };
        const check: FakeCheckRun = { id: 700 + checkRuns.length + 1, name: input.name, head_sha: input.head_sha, status: 'queued', conclusion: null,
          external_id: null, details_url: null, output: { title: null, summary: null, text: null } };
        checkRuns.push(applyCheckFields(check, input));
        return send(201, checkRunJson(check));
      }
      const refChecks = new RegExp(`^${base}/commits/([^/]+)/check-runs$`).exec(path);
      if (method === 'GET' && refChecks) {
        const name = parsed.searchParams.get('check_name');
        const list = checkRuns.filter((check) => check.head_sha === refChecks[1] && (name === null || check.name === name)).map(checkRunJson);
        return send(200, { total_count: list.length, check_runs: list });
      }
      const commitPulls = new RegExp(`^${base}/commits/([^/]+)/pulls$`).exec(path);
      if (method === 'GET' && commitPulls) {
        const number = mergedPulls.get(commitPulls[1]!);
        return send(200, number === undefined ? [] : [{ number, state: 'closed', merged_at: '2026-01-01T00:00:00Z', html_url: `https://github.example/${options.owner}/${options.repo}/pull/${number}` }]);
      }
      const contentsMatch = new RegExp(`^${base}/contents/(.+)$`).exec(path);
      if (method === 'GET' && contentsMatch && options.readFile) {
        const file = decodeURIComponent(contentsMatch[1]!);
        const text = options.readFile(file, parsed.searchParams.get('ref') ?? options.defaultBranch);
        if (text === null) return send(404, { message: 'Not Found' });
        return send(200, { type: 'file', encoding: 'base64', size: Buffer.byteLength(text), name: file.split('/').pop(), path: file, sha: '0'.repeat(40), content: Buffer.from(text).toString('base64') });
      }
      const dispatchMatch = new RegExp(`^${base}/actions/workflows/([^/]+)/dispatches$`).exec(path);
      if (method === 'POST' && dispatchMatch) {
        const input = body as { ref: string; inputs?: Record<string, string>; return_run_details?: boolean };
        const runId = 9000 + dispatches.length + 1;
        dispatches.push({ workflow: decodeURIComponent(dispatchMatch[1]!), ref: input.ref, inputs: input.inputs ?? {}, runId });
        if (!input.return_run_details) {
          res.writeHead(204);
          res.end();
          return;
        }
        return send(200, { workflow_run_id: runId, run_url: `${url}${base}/actions/runs/${runId}`, html_url: `https://github.example/${options.owner}/${options.repo}/actions/runs/${runId}` });
      }
      const tokenMatch = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
      if (method === 'POST' && tokenMatch) {
        return send(201, { token: `ghs_installation-${tokenMatch[1]}`, expires_at: '2999-01-01T00:00:00Z', permissions: { checks: 'write', actions: 'write', contents: 'read' } });
      }
      send(404, { message: `github-server: no route for ${method} ${path}` });
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    pulls,
    checkUpdates,
    comments,
    issueComments,
    checkRuns,
    dispatches,
    mergedPull: (sha, number) => void mergedPulls.set(sha, number),
    addArtifact: (runId, name, zip, listed = {}) => void artifacts.push({
      id: 900 + artifacts.length, runId, name, zip,
      sizeInBytes: listed.sizeInBytes ?? zip.length,
      digest: listed.digest ?? `sha256:${createHash('sha256').update(zip).digest('hex')}`,
    }),
    failNext: (method, path, status, retryAfter, message) => void faults.push({ method, path, status, ...(retryAfter !== undefined ? { retryAfter } : {}), ...(message !== undefined ? { message } : {}) }),
    violations: () => checker.violations(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
