// The private holdouts repository, served in front of the product's local GitHub server under one
// API URL (as on github.com): its scenarios (contents API on the default branch) and its results
// branch (written with PUT contents) answer here, for the scenarios token only, and every request
// to it is checked against GitHub's OpenAPI description (openapi-check.ts). Every other request is
// passed through to the product's server untouched, unless the test's own `route` answers it.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readText } from './http-body.ts';
import { OpenApiChecker } from './openapi-check.ts';

export const RESULTS_BRANCH = 'factory-results';

/** A request to the server, whichever repository it is for. */
export interface HoldoutsCall {
  method: string;
  /** The URL's path, without the query. */
  path: string;
  /** The Authorization header ('' when absent). */
  auth: string;
  /** The body, as text ('' when empty). */
  body: string;
}

/** A test's own answer to a request, before the holdouts repository and the pass-through. */
export type HoldoutsRoute = (call: HoldoutsCall) => { status: number; json: unknown } | undefined;

export interface HoldoutsOptions {
  /** The product's GitHub server, which gets every request that is not for the holdouts repository. */
  upstream: string;
  owner: string;
  repo: string;
  /** The only token that can read it. */
  token: string;
  /** Files on the default branch, by path. */
  files: Record<string, string>;
  /** Answers some requests itself (each checked against the OpenAPI description too); undefined passes on. */
  route?: HoldoutsRoute;
}

export interface HoldoutsServer {
  url: string;
  /** Every request, in order, including the ones passed through. */
  calls: HoldoutsCall[];
  /** Files committed to the results branch, by path (decoded). */
  results: Map<string, string>;
  violations(): string[];
  close(): Promise<void>;
}

/** A file, or the listing of a directory, among `files`; null when neither exists. */
function contentsOf(files: Record<string, string>, path: string): unknown {
  const text = files[path];
  if (text !== undefined) {
    return { type: 'file', name: path.split('/').pop(), path, sha: 'c'.repeat(40), encoding: 'base64', content: Buffer.from(text).toString('base64') };
  }
  const prefix = `${path.replace(/\/$/, '')}/`;
  const children = new Map<string, 'file' | 'dir'>();
  for (const file of Object.keys(files).filter((candidate) => candidate.startsWith(prefix))) {
    const [head, ...tail] = file.slice(prefix.length).split('/');
    children.set(head!, tail.length > 0 ? 'dir' : 'file');
  }
  if (children.size === 0) return null;
  return [...children].map(([name, type]) => ({ type, name, path: prefix + name, sha: 'd'.repeat(40) }));
}

export async function startHoldouts(options: HoldoutsOptions): Promise<HoldoutsServer> {
  const checker = new OpenApiChecker();
  const calls: HoldoutsCall[] = [];
  const results = new Map<string, string>();
  const branches = new Set(['main']);
  const base = `/repos/${options.owner}/${options.repo}`;
  const upstream = new URL(options.upstream);

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readText(req);
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const auth = String(req.headers.authorization ?? '');
      const call: HoldoutsCall = { method, path: url.pathname, auth, body: text };
      calls.push(call);
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const own = options.route?.(call);
      const holdouts = url.pathname === base || url.pathname.startsWith(`${base}/`);
      if (!own && !holdouts) {
        const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        forward.end(text);
        return;
      }
      checker.check(method, url.pathname + url.search, text === '' ? undefined : text);
      if (own) return send(own.status, own.json);
      if (!auth.includes(options.token)) return send(404, { message: 'Not Found' });
      const rest = decodeURIComponent(url.pathname.slice(base.length));
      if (method === 'GET' && rest === '') return send(200, { name: options.repo, full_name: `${options.owner}/${options.repo}`, default_branch: 'main' });
      const branch = /^\/branches\/([^/]+)$/.exec(rest);
      if (method === 'GET' && branch) {
        return branches.has(branch[1]!) ? send(200, { name: branch[1], commit: { sha: 'a'.repeat(40) } }) : send(404, { message: 'Branch not found' });
      }
      if (method === 'POST' && rest === '/git/refs') {
        const ref = (JSON.parse(text) as { ref: string }).ref;
        branches.add(ref.replace('refs/heads/', ''));
        return send(201, { ref, object: { sha: 'a'.repeat(40) } });
      }
      const contents = /^\/contents\/?(.*)$/.exec(rest);
      if (contents && method === 'PUT') {
        const input = JSON.parse(text) as { content: string; branch: string };
        if (input.branch !== RESULTS_BRANCH || !branches.has(input.branch)) return send(422, { message: `no branch ${input.branch}` });
        results.set(contents[1]!, Buffer.from(input.content, 'base64').toString('utf8'));
        return send(201, { content: { path: contents[1] }, commit: { sha: 'b'.repeat(40) } });
      }
      if (contents && method === 'GET') {
        const files = url.searchParams.get('ref') === RESULTS_BRANCH ? Object.fromEntries(results) : options.files;
        const found = contentsOf(files, contents[1]!);
        return found === null ? send(404, { message: 'Not Found' }) : send(200, found);
      }
      send(404, { message: `holdouts: no route for ${method} ${url.pathname}` });
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    results,
    violations: () => checker.violations(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
