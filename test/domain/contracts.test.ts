import { describe, expect, it } from '@jest/globals';
import { CHECK_ACTIONS, CHECK_NAMES, decodeExternalId, encodeExternalId } from '../../core/domain/checks.ts';
import { factoryInputs, MAX_DISPATCH_INPUTS, validateInputs, FactoryDispatchInputsSchema, ValidateDispatchInputsSchema } from '../../core/domain/dispatch.ts';
import { matchesAnyPath, matchesPath } from '../../core/domain/paths.ts';

const SHA = 'a'.repeat(40);

describe('check contract', () => {
  it('has the pinned names', () => {
    expect(CHECK_NAMES).toEqual({ factory: 'factory', satisfaction: 'factory/satisfaction', spec: 'factory/spec' });
  });

  it('keeps buttons within GitHub limits', () => {
    const actions = Object.values(CHECK_ACTIONS);
    expect(actions.length).toBeLessThanOrEqual(3);
    for (const action of actions) {
      expect(action.label.length).toBeLessThanOrEqual(20);
      expect(action.description.length).toBeLessThanOrEqual(40);
      expect(action.identifier.length).toBeLessThanOrEqual(20);
    }
  });

  it('round-trips the external_id and refuses foreign ones', () => {
    const text = encodeExternalId({ pr: 7, round: 2, request: 'abc' });
    expect(JSON.parse(text)).toEqual({ pr: 7, round: 2, request: 'abc' });
    expect(decodeExternalId(text)).toEqual({ pr: 7, round: 2, request: 'abc' });
    expect(decodeExternalId('ci-42')).toBeNull();
    expect(decodeExternalId('{"pr":1,"round":1,"request":"x","extra":1}')).toBeNull();
    expect(decodeExternalId(null)).toBeNull();
  });
});

describe('dispatch contract', () => {
  it('stays within 25 inputs, all strings', () => {
    expect(Object.keys(FactoryDispatchInputsSchema.shape).length).toBeLessThanOrEqual(MAX_DISPATCH_INPUTS);
    expect(Object.keys(ValidateDispatchInputsSchema.shape).length).toBeLessThanOrEqual(MAX_DISPATCH_INPUTS);
    const inputs = factoryInputs({ spec_sha: SHA, reason: 'spec-merge', request_id: 'd-1', round: '1', pr_number: undefined });
    expect(inputs).toEqual({ spec_sha: SHA, reason: 'spec-merge', request_id: 'd-1', round: '1' });
    for (const value of Object.values(inputs)) expect(typeof value).toBe('string');
  });

  it('rejects values the workflows would misread', () => {
    expect(() => factoryInputs({ spec_sha: 'main', reason: 'spec-merge', request_id: 'x' })).toThrow();
    expect(() => factoryInputs({ spec_sha: SHA, reason: 'feedback', request_id: 'x', feedback: '{"scenario":"secret"}' })).toThrow();
    expect(() => validateInputs({ pr_number: '0', head_sha: SHA, check_run_id: '1', request_id: 'x', round: '1' })).toThrow();
  });
});

describe('path patterns', () => {
  it('matches the config globs', () => {
    expect(matchesPath('spec/api/errors.md', 'spec/**')).toBe(true);
    expect(matchesPath('specs/a.md', 'spec/**')).toBe(false);
    expect(matchesPath('CODEOWNERS', 'CODEOWNERS')).toBe(true);
    expect(matchesPath('docs/CODEOWNERS', 'CODEOWNERS')).toBe(false);
    expect(matchesPath('spec/a.md', 'spec/*.md')).toBe(true);
    expect(matchesPath('spec/x/a.md', 'spec/*.md')).toBe(false);
    expect(matchesPath('spec/x/a.md', 'spec/**/a.md')).toBe(true);
    expect(matchesPath('spec/a.md', 'spec/**/a.md')).toBe(true);
    expect(matchesPath('spec/a.md', 'spec/')).toBe(true);
    expect(matchesAnyPath('.github/factory.yml', ['spec/**', '.github/**'])).toBe(true);
  });
});
