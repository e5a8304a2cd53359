import { describe, expect, it } from '@jest/globals';
import { CheckSchema, type ScenarioCheck } from '../../core/domain/scenario.ts';
import { evaluateChecks, mustChecksPass, readJsonPath, substitute } from '../../core/validation/checks.ts';
import type { Interaction } from '../../core/validation/types.ts';

const check = (value: unknown): ScenarioCheck => CheckSchema.parse(value);

const http: Interaction[] = [
  { kind: 'http', request: { method: 'POST', path: '/items', headers: {} }, response: { status: 201, headers: { 'content-type': 'application/json' }, body: '{"item":{"id":"1","name":"pear","tags":["a","b"]}}' } },
  { kind: 'http', request: { method: 'GET', path: '/items/1?x=1', headers: {} }, response: { status: 200, headers: {}, body: 'plain' } },
  { kind: 'http', request: { method: 'GET', path: '/down', headers: {} }, error: 'connection refused' },
];

const cli: Interaction[] = [
  { kind: 'cli', args: ['add', '2', '3'], exitCode: 0, stdout: '5\n', stderr: '' },
  { kind: 'cli', args: ['greet'], stdin: 'Ada', exitCode: 0, stdout: 'hello Ada\n', stderr: '' },
];

describe('checks over recorded interactions', () => {
  it('reads JSON paths and substitutes variations', () => {
    expect(readJsonPath({ a: { b: [{ c: 1 }] } }, 'a.b[0].c')).toBe(1);
    expect(readJsonPath({ a: 1 }, 'a.b')).toBeUndefined();
    expect(substitute('hello {{ who }} {{other}}', { who: 'Ada' })).toBe('hello Ada {{other}}');
  });

  it('selects the last matching interaction and evaluates status, headers and JSON', () => {
    const results = evaluateChecks([
      check({ status: 201, on: { method: 'POST', path: '/items' } }),
      check({ json: { path: 'item.name', equals: '{{fruit}}' }, on: { path: '/items' } }),
      check({ json: { path: 'item.tags', equals: ['a', 'b'] }, on: { path: '/items' } }),
      check({ header: { name: 'Content-Type', contains: 'json' }, on: { path: '/items' } }),
      check({ status: 200, on: { path: '/items/1' } }),
      check({ status: [200, 204] }),
      check({ json: { path: 'x', exists: false }, on: { path: '/items' } }),
    ], http, { fruit: 'pear' });
    expect(results.map((result) => result.passed)).toEqual([true, true, true, true, true, false, true]);
    expect(results[5]!.detail).toBe('no response (connection refused)');
  });

  it('fails JSON checks on non-JSON bodies and when nothing matches', () => {
    const results = evaluateChecks([
      check({ json: { path: 'a', exists: true }, on: { path: '/items/1' } }),
      check({ status: 200, on: { method: 'DELETE' } }),
      check({ exit_code: 0 }),
    ], http, {});
    expect(results.map((result) => [result.passed, result.detail])).toEqual([
      [false, 'body is not JSON'],
      [false, 'no matching interaction was recorded'],
      [false, 'no matching interaction was recorded'],
    ]);
  });

  it('evaluates exit codes and stdout, selecting by first argument', () => {
    const results = evaluateChecks([
      check({ exit_code: 0, on: { arg: 'add' } }),
      check({ stdout: { equals: '5' }, on: { arg: 'add' } }),
      check({ stdout: { matches: '^hello (Ada|Grace)$' } }),
      check({ stdout: { contains: 'hello {{who}}', not_contains: 'Bob' } }),
      check({ stdout: { contains: 'bye' }, must: false }),
    ], cli, { who: 'Ada' });
    expect(results.map((result) => result.passed)).toEqual([true, true, true, true, false]);
    expect(mustChecksPass(results)).toBe(true);
    expect(mustChecksPass(evaluateChecks([check({ exit_code: 1 })], cli, {}))).toBe(false);
  });
});
