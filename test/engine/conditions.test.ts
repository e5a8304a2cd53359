import { describe, expect, it } from '@jest/globals';
import { ConditionSyntaxError, evaluateCondition, parseCondition, resolveConditionKey } from '../../core/engine/conditions.ts';
import { Context } from '../../core/engine/context.ts';
import { EngineError } from '../../core/engine/errors.ts';

const success = { status: 'success' };

function syntaxErrorOf(expr: string): ConditionSyntaxError {
  try {
    parseCondition(expr);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected "${expr}" to be rejected`);
}

describe('§11.9 condition expressions', () => {
  it('= compares strings', () => {
    const context = new Context({ mode: 'fast' });
    expect(evaluateCondition('context.mode=fast', success, context)).toBe(true);
    expect(evaluateCondition('context.mode=slow', success, context)).toBe(false);
  });

  it('!= is the negation of =', () => {
    const context = new Context({ loop_state: 'running' });
    expect(evaluateCondition('context.loop_state!=exhausted', success, context)).toBe(true);
    expect(evaluateCondition('context.loop_state!=running', success, context)).toBe(false);
  });

  it('&& requires every clause', () => {
    const context = new Context({ tests_passed: true });
    expect(evaluateCondition('outcome=success && context.tests_passed=true', success, context)).toBe(true);
    expect(evaluateCondition('outcome=success && context.tests_passed=false', success, context)).toBe(false);
    expect(evaluateCondition('outcome=fail && context.tests_passed=true', success, context)).toBe(false);
  });

  it('outcome is the status of the current stage', () => {
    expect(evaluateCondition('outcome=fail', { status: 'fail' }, new Context())).toBe(true);
    expect(evaluateCondition('outcome=success', { status: 'fail' }, new Context())).toBe(false);
    expect(evaluateCondition('outcome=partial_success', { status: 'partial_success' }, new Context())).toBe(true);
  });

  it('preferred_label is the outcome\'s preferred label, "" when absent', () => {
    expect(evaluateCondition('preferred_label=Fix', { status: 'success', preferred_label: 'Fix' }, new Context())).toBe(true);
    expect(evaluateCondition('preferred_label=Fix', success, new Context())).toBe(false);
    expect(evaluateCondition('preferred_label=""', success, new Context())).toBe(true);
  });

  it('context.* resolves to context values and missing keys are the empty string', () => {
    const context = new Context({ ready: 'yes' });
    expect(evaluateCondition('context.ready=yes', success, context)).toBe(true);
    expect(evaluateCondition('context.missing=""', success, context)).toBe(true);
    expect(evaluateCondition('context.missing=anything', success, context)).toBe(false);
    expect(evaluateCondition('context.missing!=anything', success, context)).toBe(true);
  });

  it('an empty condition is always true', () => {
    expect(evaluateCondition('', { status: 'fail' }, new Context())).toBe(true);
    expect(evaluateCondition('   ', { status: 'fail' }, new Context())).toBe(true);
    expect(parseCondition('')).toEqual([]);
  });
});

describe('condition variable resolution (§10.4)', () => {
  it('context.<key> first looks up the full key, then the key without the prefix', () => {
    expect(resolveConditionKey('context.a', success, new Context({ 'context.a': 'full', a: 'short' }))).toBe('full');
    expect(resolveConditionKey('context.a', success, new Context({ a: 'short' }))).toBe('short');
  });

  it('an unqualified key is a direct context lookup', () => {
    expect(evaluateCondition('tool.exit_code=0', success, new Context({ 'tool.exit_code': 0 }))).toBe(true);
    expect(resolveConditionKey('absent', success, new Context())).toBe('');
  });

  it('stringifies numbers, booleans and objects before comparing', () => {
    const context = new Context({ count: 3, flag: false, list: ['a'] });
    expect(evaluateCondition('context.count=3', success, context)).toBe(true);
    expect(evaluateCondition('context.flag=false', success, context)).toBe(true);
    expect(evaluateCondition('context.list="[\\"a\\"]"', success, context)).toBe(true);
  });

  it('compares exactly and case-sensitively', () => {
    expect(evaluateCondition('outcome=Success', success, new Context())).toBe(false);
    expect(evaluateCondition('context.v=abc', success, new Context({ v: 'abc ' }))).toBe(false);
  });

  it('a bare key is true when set and not "false", "0" or ""', () => {
    const context = new Context({ yes: 'approved', no: false, zero: 0, empty: '' });
    expect(evaluateCondition('context.yes', success, context)).toBe(true);
    expect(evaluateCondition('context.no', success, context)).toBe(false);
    expect(evaluateCondition('context.zero', success, context)).toBe(false);
    expect(evaluateCondition('context.empty', success, context)).toBe(false);
    expect(evaluateCondition('context.absent', success, context)).toBe(false);
    expect(evaluateCondition('outcome=success && context.yes', success, context)).toBe(true);
  });

  it('accepts already parsed clauses', () => {
    const clauses = parseCondition('outcome=success');
    expect(evaluateCondition(clauses, success, new Context())).toBe(true);
    expect(evaluateCondition(clauses, { status: 'retry' }, new Context())).toBe(false);
  });
});

describe('parseCondition', () => {
  it('returns clauses with their operator, literal and 1-based key column', () => {
    expect(parseCondition('outcome=success && context.n != 3 && context.ok')).toEqual([
      { key: 'outcome', operator: '=', value: 'success', column: 1 },
      { key: 'context.n', operator: '!=', value: '3', column: 20 },
      { key: 'context.ok', operator: 'truthy', column: 38 },
    ]);
  });

  it('reads quoted strings with escapes, integers, booleans and bare literals', () => {
    const values = (expr: string) => parseCondition(expr).map((c) => (c.operator === 'truthy' ? undefined : c.value));
    expect(values('a="two words" && b="say \\"hi\\"\\n"')).toEqual(['two words', 'say "hi"\n']);
    expect(values('a=-12 && b=true && c=v1.2:x-y_z')).toEqual(['-12', 'true', 'v1.2:x-y_z']);
  });

  it('tolerates spaces around operators and &&', () => {
    expect(parseCondition('  outcome  =  success&&preferred_label=Fix ')).toHaveLength(2);
  });

  it.each([
    ['outcome=success || outcome=fail', 17, "'||'"],
    ['!context.done', 1, "'!'"],
    ['context.n > 3', 11, "'>'"],
    ['context.n<3', 10, "'<'"],
    ['context.n >= 3', 11, "'>='"],
    ['context.msg contains error', 13, "'contains'"],
    ['context.msg matches "^ok"', 13, "'matches'"],
    ['NOT context.done', 1, "'NOT'"],
    ['(outcome=success)', 1, 'parentheses'],
  ])('rejects the unsupported operator in %s', (expr, column, named) => {
    const error = syntaxErrorOf(expr);
    expect(error.message).toContain(named);
    expect(error.message).toContain('not supported');
    expect(error.column).toBe(column);
  });

  it.each([
    ['outcome==success', 8, "'=='"],
    ['outcome=', 9, 'expected a value'],
    ['outcome=success &&', 19, "after '&&'"],
    ['outcome=success && && x=1', 20, 'empty clause'],
    ['context.x="open', 11, 'unterminated string'],
    ['context.x="\\q"', 12, 'unknown escape'],
    ['context.x=1.5', 11, 'not an integer'],
    ['outcome=success extra', 17, "expected '&&'"],
    ['context.=x', 8, "found '.'"],
    ['outcome=a=b', 10, "found '='"],
    ['outcome & x', 9, "'&&'"],
  ])('rejects %s at column %i', (expr, column, reason) => {
    const error = syntaxErrorOf(expr);
    expect(error.column).toBe(column);
    expect(error.message).toContain(reason);
  });

  it('raises an EngineError with the stable code condition_syntax', () => {
    const error = syntaxErrorOf('outcome=');
    expect(error).toBeInstanceOf(EngineError);
    expect(error.code).toBe('condition_syntax');
    expect(error.expression).toBe('outcome=');
    expect(() => evaluateCondition('outcome==x', success, new Context())).toThrow(ConditionSyntaxError);
  });
});
