// A set of running twins: one fresh instance of every declared twin, each started like the artifact
// (startHttpArtifact: $PORT, its own process group, a health check), optionally behind a recording
// proxy. Its `env` is the config's twin env with `${port}` the port the product should talk to —
// the proxy's when recording, the twin's own otherwise. Stopping it stops every twin and proxy.
import { TWIN_PORT_PLACEHOLDER, type TwinConfig } from '../../domain/config.ts';
import { ArtifactError, startHttpArtifact, type HttpArtifact } from '../artifact.ts';
import type { TwinExchange } from '../types.ts';
import { startRecordingProxy, type RecordingProxy } from './proxy.ts';

/** A twin did not start or become healthy, or a request meant for one could not be made: a harness error. */
export class TwinError extends Error {
  readonly twin: string;
  constructor(twin: string, message: string) {
    super(message);
    this.twin = twin;
  }
}

export interface TwinRequest {
  method: string;
  /** Path and query, starting with `/`. */
  path: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

export interface TwinAnswer {
  status: number;
  body: string;
}

export interface TwinSession {
  names: string[];
  /** The variables the product gets (artifact build/start, tool stages, the agents' shell). */
  env: Record<string, string>;
  /** Where the product reaches each twin (the proxy when recording). */
  urls: Record<string, string>;
  /** Everything the product sent through the proxies so far, in arrival order. */
  exchanges(): TwinExchange[];
  /** Sends a request straight to a twin (not recorded): setup requests, fidelity replays. */
  send(twin: string, request: TwinRequest): Promise<TwinAnswer>;
  /** Every twin process still runs. */
  alive(): boolean;
  /** Stops every twin and proxy; resolves to each twin's output, labelled (validation side only). */
  stop(): Promise<string[]>;
}

export interface StartTwinsOptions {
  twins: Readonly<Record<string, TwinConfig>>;
  /** Where the twins' `start` commands run (the product checkout or its scenario-free copy). */
  cwd: string;
  /** Their environment (already without credentials). */
  env: Record<string, string>;
  /** Put a recording proxy in front of each twin (validation). */
  record: boolean;
  fetch?: typeof fetch;
  /** Only these twins (default all). */
  only?: readonly string[];
}

export function substitutePort(template: string, port: number): string {
  return template.split(TWIN_PORT_PLACEHOLDER).join(String(port));
}

function portOf(baseUrl: string): number {
  return Number(new URL(baseUrl).port);
}

interface Running {
  name: string;
  process: HttpArtifact;
  proxy?: RecordingProxy;
}

async function startOne(name: string, twin: TwinConfig, options: StartTwinsOptions, record: (exchange: TwinExchange) => void): Promise<Running> {
  let running: HttpArtifact;
  try {
    running = await startHttpArtifact({
      start: twin.start,
      cwd: options.cwd,
      env: options.env,
      healthPath: twin.health.path,
      healthTimeoutMs: twin.health.timeout_s * 1000,
      label: `twin "${name}"`,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  } catch (error) {
    const message = error instanceof ArtifactError ? error.message : `twin "${name}" could not start: ${(error as Error).message}`;
    throw new TwinError(name, message);
  }
  if (!options.record) return { name, process: running };
  try {
    const proxy = await startRecordingProxy({ twin: name, upstreamPort: portOf(running.baseUrl), record });
    return { name, process: running, proxy };
  } catch (error) {
    await running.stop();
    throw new TwinError(name, `twin "${name}": its recording proxy could not start: ${(error as Error).message}`);
  }
}

async function stopAll(running: readonly Running[]): Promise<string[]> {
  return Promise.all(running.map(async ({ name, process, proxy }) => {
    await proxy?.close();
    await process.stop();
    const log = process.log();
    return log ? `[twin ${name}]\n${log}` : '';
  })).then((logs) => logs.filter((log) => log !== ''));
}

/** Starts every twin at once; when one fails, the others are stopped and its TwinError is thrown. */
export async function startTwins(options: StartTwinsOptions): Promise<TwinSession> {
  const names = Object.keys(options.twins).filter((name) => !options.only || options.only.includes(name));
  const exchanges: TwinExchange[] = [];
  const record = (exchange: TwinExchange): void => {
    exchanges.push(exchange);
  };
  const settled = await Promise.allSettled(names.map((name) => startOne(name, options.twins[name]!, options, record)));
  const running = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await stopAll(running);
    throw failed.reason instanceof TwinError ? failed.reason : new TwinError('?', String(failed.reason));
  }
  const byName = new Map(running.map((entry) => [entry.name, entry]));
  const env: Record<string, string> = {};
  const urls: Record<string, string> = {};
  for (const { name, process, proxy } of running) {
    const port = proxy?.port ?? portOf(process.baseUrl);
    urls[name] = `http://127.0.0.1:${port}`;
    for (const [variable, template] of Object.entries(options.twins[name]!.env)) env[variable] = substitutePort(template, port);
  }
  const fetchImpl = options.fetch ?? fetch;
  return {
    names,
    env,
    urls,
    exchanges: () => [...exchanges],
    alive: () => running.every((entry) => entry.process.alive()),
    async send(twin, request) {
      const target = byName.get(twin);
      if (!target) throw new TwinError(twin, `no twin named "${twin}" is declared (declared: ${names.join(', ') || 'none'})`);
      const headers: Record<string, string> = { ...request.headers };
      let body: string | undefined;
      if (typeof request.body === 'string') body = request.body;
      else if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      }
      try {
        const response = await fetchImpl(new URL(request.path, target.process.baseUrl), { method: request.method.toUpperCase(), headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
        return { status: response.status, body: await response.text() };
      } catch (error) {
        throw new TwinError(twin, `twin "${twin}" did not answer ${request.method.toUpperCase()} ${request.path}: ${(error as Error).message}`);
      }
    },
    stop: () => stopAll(running),
  };
}
