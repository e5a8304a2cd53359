// Probot's documented testing pattern: a Probot instance with the App loaded, GitHub mocked with
// nock (no network), and every intercepted request checked against GitHub's OpenAPI description.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import nock from 'nock';
import { Probot } from 'probot';
import type { EmitterWebhookEventName, EmitterWebhookEvent } from '@octokit/webhooks';
import { createFactoryApp } from '../../app/index.ts';
import { FactoryOctokit } from '../../app/octokit.ts';
import { OpenApiChecker } from '../support/openapi-check.ts';
import { INSTALLATION_ID } from '../support/github-payloads.ts';

export const API = 'https://api.github.com';
export const REPO_PATH = '/repos/Codertocat/Hello-World';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const checker = new OpenApiChecker();

export interface Harness {
  probot: Probot;
  /** A nock scope for api.github.com whose requests are checked against OpenAPI. */
  github(): nock.Scope;
  receive<E extends EmitterWebhookEventName>(name: E, payload: EmitterWebhookEvent<E>['payload'], id?: string): Promise<void>;
  violations(): string[];
}

export interface HarnessOptions {
  /** Retries on (with no waiting) for the 5xx and rate-limit cases. */
  retries?: number;
  /** Receives every warning the App and its Octokit log (they are otherwise silent in tests). */
  warnings?: string[];
}

/** A logger in Probot's (pino's) shape that keeps the text of warnings and drops the rest. */
function warningLogger(warnings: string[]): unknown {
  const drop = (): void => undefined;
  const log = {
    level: 'warn',
    child: () => log,
    fatal: drop, error: drop, info: drop, debug: drop, trace: drop,
    warn: (...args: unknown[]) => void warnings.push(args.map((arg) => (typeof arg === 'string' ? arg : '')).filter(Boolean).join(' ')),
  };
  return log;
}

export function createHarness(options: HarnessOptions = {}): Harness {
  const before = checker.violations().length;
  // Probot's own throttle defaults are merged over `ProbotOctokit.defaults({ throttle: { enabled: false } })`
  // (its write limiter then spaces POSTs a second apart), so the switches are applied last, here.
  const Octokit = FactoryOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    retry: options.retries ? { enabled: true, retries: options.retries, retryAfterBaseValue: 1 } : { enabled: false },
    throttle: options.retries
      ? { ...(instance.throttle as object), enabled: true, onRateLimit: () => true, onSecondaryRateLimit: () => true }
      : { ...(instance.throttle as object), enabled: false },
  }));
  const probot = new Probot({ appId: 123, privateKey, Octokit, ...(options.warnings ? { log: warningLogger(options.warnings) as never } : { logLevel: 'fatal' as const }) });
  probot.load(createFactoryApp());
  const github = (): nock.Scope => checker.watch(nock(API));
  return {
    probot,
    github,
    async receive(name, payload, id) {
      try {
        await probot.receive({ name, id: id ?? randomUUID(), payload } as EmitterWebhookEvent);
      } catch (error) {
        // Probot wraps handler errors in an AggregateError; show what GitHub (nock) answered.
        const causes = error instanceof AggregateError ? error.errors.map((cause: unknown) => (cause instanceof Error ? cause.message : String(cause))) : [];
        throw new Error(`delivery ${name} failed: ${causes.join('; ') || String(error)}`, { cause: error });
      }
    },
    violations: () => checker.violations().slice(before),
  };
}

/** The installation token exchange Probot makes before the first API call of a delivery. */
export function mockToken(scope: nock.Scope): nock.Scope {
  return scope.post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, { token: 'ghs_test', expires_at: '2999-01-01T00:00:00Z', permissions: { checks: 'write', actions: 'write', contents: 'read' } });
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function fileContent(path: string, text: string) {
  return { type: 'file', encoding: 'base64', size: text.length, name: path.split('/').pop(), path, content: base64(text), sha: 'f'.repeat(40) };
}

export function checkRun(id: number, fields: Record<string, unknown> = {}) {
  return {
    id, name: 'factory', head_sha: 'a'.repeat(40), status: 'queued', conclusion: null,
    html_url: `https://github.com/Codertocat/Hello-World/runs/${id}`, details_url: null, external_id: null,
    output: { title: null, summary: null, text: null }, ...fields,
  };
}

export const MINIMAL_CONFIG = 'version: 1\nspec:\n  paths: ["spec/**"]\n  ready: [spec/README.md]\n';

export function repoPath(fullName: string): string {
  return `/repos/${fullName}`;
}

export const NO_CHECKS = { total_count: 0, check_runs: [] };

export function dispatched(runId: number, fullName = 'Codertocat/Hello-World') {
  return { workflow_run_id: runId, run_url: `https://api.github.com/repos/${fullName}/actions/runs/${runId}`, html_url: `https://github.com/${fullName}/actions/runs/${runId}` };
}

/** The usual nock hygiene of Probot's documented tests, plus the OpenAPI check. */
export function cleanUp(harness: Harness): void {
  const pending = nock.pendingMocks();
  const violations = harness.violations();
  nock.cleanAll();
  nock.enableNetConnect();
  if (pending.length > 0 || violations.length > 0) {
    throw new Error(`pending mocks: ${JSON.stringify(pending)}\nOpenAPI violations: ${JSON.stringify(violations)}`);
  }
}

/**
 * Registers the nock lifecycle for a test file and returns the current harness: nock is active for
 * this file only (each file loads its own copy, so the previous one is restored at the end), no
 * request reaches the network, and every test ends with no pending mocks and no OpenAPI violations.
 */
export function useHarness(options: HarnessOptions = {}): () => Harness {
  let harness: Harness | undefined;
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
  });
  beforeEach(() => {
    nock.disableNetConnect();
    harness = createHarness(options);
  });
  afterEach(() => {
    if (harness) cleanUp(harness);
  });
  afterAll(() => {
    nock.restore();
  });
  return () => {
    if (!harness) throw new Error('useHarness: no test is running');
    return harness;
  };
}
