// Properties over generated hostile input: the DOT parser, the config and the scenario parser either
// accept or answer with located issues — never another kind of error, never a throw for bad YAML.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseFactoryConfig } from '../../core/domain/config.ts';
import { parseScenario } from '../../core/domain/scenario.ts';
import { DotSyntaxError } from '../../core/engine/errors.ts';
import { PipelineEngine } from '../../core/engine/index.ts';
import { fuzzParameters } from './fuzz-budget.ts';
import { configText, damaged, dotGraph, scenarioText } from './generators.ts';

const engine = new PipelineEngine();

function lineCount(text: string): number {
  return text.split('\n').length;
}

describe('DOT', () => {
  it('prepares or fails with a located DotSyntaxError', () => {
    fc.assert(fc.property(damaged(dotGraph), (source) => {
      try {
        const { diagnostics } = engine.prepare(source);
        for (const diagnostic of diagnostics) expect(typeof diagnostic.message).toBe('string');
      } catch (error) {
        expect(error).toBeInstanceOf(DotSyntaxError);
        const { line, column } = error as DotSyntaxError;
        expect(line).toBeGreaterThanOrEqual(1);
        expect(line).toBeLessThanOrEqual(lineCount(source) + 1);
        expect(column).toBeGreaterThanOrEqual(1);
      }
    }), fuzzParameters(150));
  });
});

describe('.github/factory.yml', () => {
  it('never throws; every issue names a key path or a line inside the file', () => {
    fc.assert(fc.property(damaged(configText), (text) => {
      const result = parseFactoryConfig(text);
      if (result.ok) return;
      expect(result.issues.length).toBeGreaterThan(0);
      for (const issue of result.issues) {
        expect(typeof issue.expected).toBe('string');
        if (issue.line !== undefined) expect(issue.line).toBeLessThanOrEqual(lineCount(text) + 1);
      }
    }), fuzzParameters(150));
  });
});

describe('scenario files', () => {
  it('never throw; every issue names a field or the file', () => {
    fc.assert(fc.property(damaged(scenarioText), (text) => {
      const result = parseScenario(text);
      if (result.ok) return;
      expect(result.issues.length).toBeGreaterThan(0);
      for (const issue of result.issues) {
        expect(typeof issue.field).toBe('string');
        if (issue.line !== undefined) expect(issue.line).toBeLessThanOrEqual(lineCount(text) + 1);
      }
    }), fuzzParameters(150));
  });
});
