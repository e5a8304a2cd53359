// A local Actions results service for @actions/artifact's upload, on 127.0.0.1: the Twirp JSON
// ArtifactService (CreateArtifact, FinalizeArtifact) and the Azure Blob block upload its signed URL
// points at. Like the real service it checks the runtime token's `Actions.Results` scope, refuses a
// second artifact with the same name in a workflow run, and only keeps an artifact once finalized
// with the size and sha256 of what was uploaded.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http-body.ts';

export interface UploadedArtifact {
  id: number;
  name: string;
  /** The blob as uploaded (a zip unless the client skipped archiving). */
  content: Buffer;
  expiresAt?: string;
}

export interface ResultsServer {
  readonly url: string;
  /** For ACTIONS_RUNTIME_TOKEN: an unsigned JWT whose `scp` claim names this run's backend ids. */
  readonly runtimeToken: string;
  /** Finalized artifacts, in order. */
  readonly artifacts: UploadedArtifact[];
  /** Every request that was refused, with why (an empty list is what a passing upload leaves). */
  readonly refusals: string[];
  /** The env a runner gives a JavaScript action step for artifact uploads. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/';
const RUN_BACKEND_ID = 'c0ffee00-0000-4000-8000-000000000001';
const JOB_BACKEND_ID = 'c0ffee00-0000-4000-8000-000000000002';
const SIGNATURE = 'fake-signature';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

interface PendingArtifact {
  name: string;
  expiresAt?: string;
  blocks: Map<string, Buffer>;
  content?: Buffer;
}

export async function startResultsServer(): Promise<ResultsServer> {
  const runtimeToken = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ scp: `Actions.GenericRead:${RUN_BACKEND_ID} Actions.Results:${RUN_BACKEND_ID}:${JOB_BACKEND_ID}`, exp: 4_102_444_800 })}.`;
  const artifacts: UploadedArtifact[] = [];
  const refusals: string[] = [];
  const pending = new Map<string, PendingArtifact>();
  let url = '';

  const twirpError = (res: ServerResponse, status: number, code: string, msg: string) => {
    refusals.push(msg);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, msg }));
  };
  const json = (res: ServerResponse, value: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };

  const twirp = (req: IncomingMessage, res: ServerResponse, method: string, body: Record<string, unknown>) => {
    if (req.headers.authorization !== `Bearer ${runtimeToken}`) return twirpError(res, 401, 'unauthenticated', 'results-server: missing or wrong runtime token');
    if (body.workflow_run_backend_id !== RUN_BACKEND_ID || body.workflow_job_run_backend_id !== JOB_BACKEND_ID) {
      return twirpError(res, 400, 'invalid_argument', `results-server: backend ids ${String(body.workflow_run_backend_id)}/${String(body.workflow_job_run_backend_id)} are not the token's`);
    }
    const name = String(body.name ?? '');
    if (method === 'CreateArtifact') {
      if (body.version !== 7) return twirpError(res, 400, 'invalid_argument', `results-server: artifact version ${String(body.version)}, expected 7`);
      if (pending.has(name) || artifacts.some((artifact) => artifact.name === name)) {
        return twirpError(res, 409, 'already_exists', `results-server: an artifact named ${name} already exists in this workflow run`);
      }
      pending.set(name, { name, blocks: new Map(), ...(typeof body.expires_at === 'string' ? { expiresAt: body.expires_at } : {}) });
      return json(res, { ok: true, signed_upload_url: `${url}/devstoreaccount1/actions-results/${encodeURIComponent(name)}.zip?sig=${SIGNATURE}&sv=2023-11-03` });
    }
    if (method === 'FinalizeArtifact') {
      const artifact = pending.get(name);
      if (!artifact?.content) return twirpError(res, 404, 'not_found', `results-server: finalize of ${name}, which was not created and uploaded`);
      const hash = `sha256:${createHash('sha256').update(artifact.content).digest('hex')}`;
      if (body.size !== String(artifact.content.length) || body.hash !== hash) {
        return twirpError(res, 400, 'invalid_argument', `results-server: finalize of ${name} with size ${String(body.size)} and ${String(body.hash)}, uploaded ${artifact.content.length} bytes with ${hash}`);
      }
      pending.delete(name);
      const id = 7000 + artifacts.length + 1;
      artifacts.push({ id, name, content: artifact.content, ...(artifact.expiresAt !== undefined ? { expiresAt: artifact.expiresAt } : {}) });
      return json(res, { ok: true, artifact_id: String(id) });
    }
    return twirpError(res, 404, 'bad_route', `results-server: no method ${method}`);
  };

  /** Azure Blob: PUT ?comp=block (stage), PUT ?comp=blocklist (commit), or one PUT of the whole blob. */
  const blob = (req: IncomingMessage, res: ServerResponse, parsed: URL, body: Buffer) => {
    const created = () => {
      res.writeHead(201, { 'x-ms-request-id': 'results-server', 'x-ms-version': '2023-11-03', etag: '"0x1"', 'last-modified': new Date().toUTCString() });
      res.end();
    };
    const refuse = (status: number, message: string) => {
      refusals.push(message);
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>InvalidInput</Code><Message>${message}</Message></Error>`);
    };
    if (req.method !== 'PUT') return refuse(405, `results-server: ${req.method ?? ''} on blob storage`);
    if (parsed.searchParams.get('sig') !== SIGNATURE) return refuse(403, 'results-server: blob request without the signed URL’s signature');
    const name = decodeURIComponent(parsed.pathname.replace(/^\/devstoreaccount1\/actions-results\//, '').replace(/\.zip$/, ''));
    const artifact = pending.get(name);
    if (!artifact) return refuse(404, `results-server: blob for ${name}, which was not created`);
    const comp = parsed.searchParams.get('comp');
    if (comp === 'block') {
      artifact.blocks.set(parsed.searchParams.get('blockid') ?? '', body);
      return created();
    }
    if (comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map((match) => match[1]!);
      const missing = ids.filter((id) => !artifact.blocks.has(id));
      if (missing.length > 0) return refuse(400, `results-server: block list names unstaged blocks ${missing.join(', ')}`);
      artifact.content = Buffer.concat(ids.map((id) => artifact.blocks.get(id)!));
      return created();
    }
    if (comp === null && req.headers['x-ms-blob-type'] === 'BlockBlob') {
      artifact.content = body;
      return created();
    }
    return refuse(400, `results-server: unexpected blob request comp=${comp ?? '(none)'}`);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (parsed.pathname.startsWith(SERVICE)) {
        if (req.method !== 'POST') return twirpError(res, 405, 'bad_route', `results-server: ${req.method ?? ''} on Twirp`);
        return twirp(req, res, parsed.pathname.slice(SERVICE.length), JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
      }
      return blob(req, res, parsed, body);
    })().catch((error: unknown) => {
      refusals.push(`results-server: ${String(error)}`);
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    runtimeToken,
    artifacts,
    refusals,
    env: () => ({ ACTIONS_RUNTIME_TOKEN: runtimeToken, ACTIONS_RESULTS_URL: `${url}/` }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
