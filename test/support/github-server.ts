// A local GitHub API for the bundled Action running as a child process: an HTTP server on
// 127.0.0.1 that records every request, checks it against GitHub's OpenAPI description
// (openapi-check.ts), and answers the few operations the Action uses from a small in-memory state.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface GitHubServer {
  readonly url: string;
  readonly calls: RecordedCall[];
  readonly pulls: FakePull[];
  readonly checkUpdates: Array<{ id: number; body: Record<string, unknown> }>;
  readonly comments: Array<{ issue: number; body: string }>;
  /** Serves `zip` as an artifact of workflow run `runId` (list, and download via a redirect as GitHub does). */
  addArtifact(runId: number, name: string, zip: Buffer): void;
  /** Answers the next request to `method path` with this status (and Retry-After, when given) instead. */
  failNext(method: string, path: string, status: number, retryAfter?: string): void;
  /** OpenAPI violations of every request so far. */
  violations(): string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startGitHubServer(options: { owner: string; repo: string; defaultBranch: string; checker?: OpenApiChecker }): Promise<GitHubServer> {
  const checker = options.checker ?? new OpenApiChecker();
  const calls: RecordedCall[] = [];
  const pulls: FakePull[] = [];
  const checkUpdates: Array<{ id: number; body: Record<string, unknown> }> = [];
  const comments: Array<{ issue: number; body: string }> = [];
  const artifacts: Array<{ id: number; runId: number; name: string; zip: Buffer }> = [];
  const faults: Array<{ method: string; path: string; status: number; retryAfter?: string }> = [];
  const base = `/repos/${options.owner}/${options.repo}`;

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const method = req.method ?? 'GET';
      const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
      // The redirect target of an artifact download is blob storage, not the API.
      if (parsed.pathname.startsWith('/_blob/')) {
        const artifact = artifacts.find((candidate) => candidate.id === Number(parsed.pathname.slice('/_blob/'.length)));
        res.writeHead(artifact ? 200 : 404, { 'content-type': 'application/zip' });
        res.end(artifact?.zip ?? '');
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
        const { status, retryAfter } = faults.splice(fault, 1)[0]!;
        res.writeHead(status, { 'content-type': 'application/json', ...(retryAfter !== undefined ? { 'retry-after': retryAfter } : {}) });
        res.end(JSON.stringify({ message: `github-server: injected ${status}` }));
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
          .map((artifact) => ({ id: artifact.id, name: artifact.name, expired: false, size_in_bytes: artifact.zip.length, created_at: '2026-01-01T00:00:00Z' }));
        return send(200, { total_count: list.length, artifacts: list });
      }
      const download = new RegExp(`^${base}/actions/artifacts/(\\d+)/zip$`).exec(path);
      if (method === 'GET' && download) {
        res.writeHead(302, { location: `${url}/_blob/${download[1]}` });
        res.end();
        return;
      }
      const commentMatch = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(path);
      if (method === 'POST' && commentMatch) {
        const comment = { issue: Number(commentMatch[1]), body: (body as { body: string }).body };
        comments.push(comment);
        return send(201, { id: 5000 + comments.length, body: comment.body });
      }
      const checkMatch = new RegExp(`^${base}/check-runs/(\\d+)$`).exec(path);
      if (method === 'PATCH' && checkMatch) {
        checkUpdates.push({ id: Number(checkMatch[1]), body: body as Record<string, unknown> });
        return send(200, { id: Number(checkMatch[1]), name: 'factory', ...(body as object) });
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
    addArtifact: (runId, name, zip) => void artifacts.push({ id: 900 + artifacts.length, runId, name, zip }),
    failNext: (method, path, status, retryAfter) => void faults.push({ method, path, status, ...(retryAfter !== undefined ? { retryAfter } : {}) }),
    violations: () => checker.violations(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
