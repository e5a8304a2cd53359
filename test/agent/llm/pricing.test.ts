// Costs from the effective-dated price table: exact for known models, null (never 0) for unknown ones.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costOf, loadPriceOverrides, priceAt, type PriceTable } from '../../../core/agent/llm/pricing.ts';
import { LlmError } from '../../../core/agent/llm/types.ts';

const JUNE_2026 = new Date('2026-06-01T00:00:00Z');

describe('costOf', () => {
  it('bills uncached input, cache reads, cache writes and output at their own rates', () => {
    // claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
    const usage = { input_tokens: 1_000_000, output_tokens: 100_000, cache_read_tokens: 600_000, cache_write_tokens: 300_000 };
    expect(costOf('anthropic', 'claude-sonnet-4-5', usage, JUNE_2026)).toBeCloseTo(0.1 * 3 + 0.6 * 0.3 + 0.3 * 3.75 + 0.1 * 15, 10);
  });

  it('falls back to the input price where a cache rate is not listed', () => {
    const overrides: PriceTable = { providers: { openai: { 'my-model': [{ effective_from: '2026-01-01', input: 2, output: 8 }] } } };
    const usage = { input_tokens: 1_000_000, output_tokens: 0, cache_read_tokens: 500_000, cache_write_tokens: 0 };
    expect(costOf('openai', 'my-model', usage, JUNE_2026, overrides)).toBeCloseTo(2, 10);
  });

  it('prices a dated model id as its undated alias', () => {
    const usage = { input_tokens: 1_000_000, output_tokens: 0 };
    expect(costOf('anthropic', 'claude-sonnet-4-5-20250929', usage, JUNE_2026)).toBeCloseTo(3, 10);
  });

  it('returns null, never 0, for an unknown model or provider', () => {
    const usage = { input_tokens: 10, output_tokens: 10 };
    expect(costOf('anthropic', 'claude-unknown-9', usage, JUNE_2026)).toBeNull();
    expect(costOf('gemini', 'gemini-3', usage, JUNE_2026)).toBeNull();
  });

  it('returns null before the first price took effect', () => {
    expect(costOf('anthropic', 'claude-opus-4-6', { input_tokens: 1, output_tokens: 1 }, new Date('2025-01-01T00:00:00Z'))).toBeNull();
  });

  it('uses the entry in force on the date of use', () => {
    const overrides: PriceTable = {
      providers: {
        anthropic: {
          'claude-opus-4-6': [
            { effective_from: '2026-07-01', input: 4, output: 20 },
            { effective_from: '2026-01-01', input: 6, output: 30 },
          ],
        },
      },
    };
    const usage = { input_tokens: 1_000_000, output_tokens: 0 };
    expect(costOf('anthropic', 'claude-opus-4-6', usage, new Date('2026-06-30T23:00:00Z'), overrides)).toBeCloseTo(6, 10);
    expect(costOf('anthropic', 'claude-opus-4-6', usage, new Date('2026-07-01T00:00:00Z'), overrides)).toBeCloseTo(4, 10);
    // Without the override the shipped price applies.
    expect(costOf('anthropic', 'claude-opus-4-6', usage, new Date('2026-07-01T00:00:00Z'))).toBeCloseTo(5, 10);
  });

  it("accepts a provider-wide '*' price, e.g. free local models", () => {
    const overrides: PriceTable = { providers: { 'openai-compatible': { '*': [{ effective_from: '2000-01-01', input: 0, output: 0 }] } } };
    expect(costOf('openai-compatible', 'llama3', { input_tokens: 500, output_tokens: 50 }, JUNE_2026, overrides)).toBe(0);
    expect(priceAt('openai-compatible', 'llama3', JUNE_2026)).toBeNull();
  });
});

describe('loadPriceOverrides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prices-'));

  it('loads a user price file of the shipped shape', () => {
    const path = join(dir, 'prices.json');
    writeFileSync(path, JSON.stringify({ providers: { openai: { 'gpt-5.2': [{ effective_from: '2026-01-01', input: 1, output: 1, cache_read: 0.1 }] } } }));
    const overrides = loadPriceOverrides(path);
    expect(costOf('openai', 'gpt-5.2', { input_tokens: 1_000_000, output_tokens: 1_000_000 }, JUNE_2026, overrides)).toBeCloseTo(2, 10);
  });

  it('rejects a bad file naming the file and the field', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ providers: { openai: { 'gpt-5.2': [{ effective_from: 'June', input: -1, output: 1 }] } } }));
    let error: unknown;
    try {
      loadPriceOverrides(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe('configuration');
    expect((error as LlmError).message).toContain(path);
    expect((error as LlmError).message).toContain('providers.openai.gpt-5.2.0.effective_from');
    expect((error as LlmError).message).toContain('providers.openai.gpt-5.2.0.input');
  });

  it('refuses a missing file', () => {
    expect(() => loadPriceOverrides(join(dir, 'absent.json'))).toThrow(/cannot read/);
  });
});
