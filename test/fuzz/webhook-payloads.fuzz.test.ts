// Property over damaged webhook payloads (real deliveries from @octokit/webhooks-examples with one
// field deleted or replaced by a hostile value): a payload that does not fit the App's schema is
// acknowledged without a single GitHub request, and the delivery never fails (the first fuzz run
// found an installation id of the wrong type making Probot throw before any handler).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import nock from 'nock';
import { payloadProblems, type HandledEvent } from '../../app/payloads.ts';
import { deliver } from '../../app/webhook-intake.ts';
import { createHarness } from '../app/harness.ts';
import { example } from '../support/github-payloads.ts';
import { fuzzParameters } from './fuzz-budget.ts';
import { hostileValue, pathsOf, replaceAt } from './generators.ts';

const EXAMPLES: Array<[HandledEvent, unknown]> = [
  ['push', example('push')],
  ['pull_request', example('pull_request.opened')],
  ['issue_comment', replaceAt(example('issue_comment.created'), ['comment', 'body'], '/factory rerun')],
  ['check_run', example('check_run.rerequested')],
  ['workflow_run', replaceAt(example('workflow_run.completed'), ['workflow_run', 'path'], '.github/workflows/factory.yml')],
];

const damagedDelivery = fc.constantFrom(...EXAMPLES).chain(([event, payload]) => {
  const paths = pathsOf(payload);
  return fc.tuple(fc.constant(event), fc.constant(payload), fc.constantFrom(...paths), hostileValue);
}).map(([event, payload, path, value]) => ({ event, payload: replaceAt(payload, path, value), path: path.join('.') }));

describe('damaged webhook payloads', () => {
  const attempted: string[] = [];
  const record = (request: { method?: string; href?: string; url?: string; path?: string }) => attempted.push(`${request.method} ${request.href ?? request.url ?? request.path}`);
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    nock.emitter.on('no match', record);
  });
  afterAll(() => {
    nock.emitter.off('no match', record);
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });

  it('are acknowledged without a GitHub request whenever they do not fit the schema', async () => {
    const harness = createHarness();
    let rejected = 0;
    await fc.assert(fc.asyncProperty(damagedDelivery, async ({ event, payload }) => {
      if (payloadProblems(event, payload).length === 0) return;
      rejected++;
      attempted.length = 0;
      // The path the HTTP endpoint takes after the signature check.
      expect(await deliver(harness.probot, { name: event, id: randomUUID(), payload })).not.toBe('failed');
      expect(attempted).toEqual([]);
    }), fuzzParameters(120));
    expect(rejected).toBeGreaterThan(0);
    expect(harness.violations()).toEqual([]);
  });
});
