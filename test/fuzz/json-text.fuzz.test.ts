// Property: the JSON locator agrees with JSON.parse on every text (an error exactly when JSON.parse
// throws), and every proper prefix of a JSON document that fails is reported as truncated.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { locateJsonSyntaxError, parseJsonText } from '../../core/engine/json-text.ts';
import { fuzzParameters } from './fuzz-budget.ts';

const jsonish = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', '\\', 'u', '0', '1', '-', '.', 'e', 't', 'r', 'n', 'a', '\t', '\u0001') , maxLength: 30 });

describe('JSON text locator', () => {
  it('reports a problem exactly when JSON.parse rejects the text', () => {
    fc.assert(fc.property(fc.oneof(jsonish, fc.json(), fc.string()), (text) => {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(locateJsonSyntaxError(text) === undefined).toBe(parses);
    }), fuzzParameters());
  });

  it('calls every failing cut of a JSON document truncated, with a line and column', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 3 }), fc.nat(), (json, cut) => {
      const text = JSON.stringify(JSON.parse(json), null, 2);
      const prefix = text.slice(0, cut % Math.max(1, text.length));
      const problem = locateJsonSyntaxError(prefix);
      if (problem === undefined) return;
      expect(problem.truncated).toBe(true);
      expect(() => parseJsonText(prefix, 'f.json')).toThrow(/^f\.json(:\d+:\d+)?: invalid JSON: /);
    }), fuzzParameters());
  });
});
