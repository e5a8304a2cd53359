// Cost of a model call from an effective-dated price table shipped as data (prices.json) and
// overridable by the user. An unknown model costs null, never 0: a missing price must be visible.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LlmError } from './types.ts';
import type { Usage } from './types.ts';

const priceEntrySchema = z.strictObject({
  /** UTC date (YYYY-MM-DD) from which this price applies. */
  effective_from: z.iso.date(),
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cache_read: z.number().nonnegative().optional(),
  cache_write: z.number().nonnegative().optional(),
});

export const priceTableSchema = z.strictObject({
  note: z.string().optional(),
  /** provider → model id (or `*` for every model of the provider) → dated prices per million tokens. */
  providers: z.record(z.string(), z.record(z.string(), z.array(priceEntrySchema).min(1))),
});

export type PriceEntry = z.infer<typeof priceEntrySchema>;
export type PriceTable = z.infer<typeof priceTableSchema>;

function parsePriceTable(text: string, source: string): PriceTable {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LlmError('configuration', `prices: ${source} is not valid JSON: ${(error as Error).message}`, { provider: 'pricing', cause: error });
  }
  const result = priceTableSchema.safeParse(json);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`).join('; ');
    throw new LlmError('configuration', `prices: ${source} is not a valid price table: ${detail}`, { provider: 'pricing' });
  }
  return result.data;
}

const SHIPPED_PRICES: PriceTable = parsePriceTable(readFileSync(new URL('./prices.json', import.meta.url), 'utf8'), 'core/agent/llm/prices.json');

/** The user's price overrides (same shape as prices.json); a bad file is a configuration error. */
export function loadPriceOverrides(path: string, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): PriceTable {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new LlmError('configuration', `prices: cannot read ${path}: ${(error as Error).message}`, { provider: 'pricing', cause: error });
  }
  return parsePriceTable(text, path);
}

/** Dated model ids (`claude-sonnet-4-5-20250929`) are priced as their undated alias. */
function candidateIds(model: string): string[] {
  const undated = model.replace(/-\d{8}$/, '');
  return undated === model ? [model, '*'] : [model, undated, '*'];
}

function entriesFor(table: PriceTable | undefined, provider: string, model: string): PriceEntry[] | undefined {
  const models = table?.providers[provider];
  if (!models) return undefined;
  for (const id of candidateIds(model)) if (models[id]) return models[id];
  return undefined;
}

/** The entry in force at `at`: the latest whose effective date is not after it. */
export function priceAt(provider: string, model: string, at: Date = new Date(), overrides?: PriceTable): PriceEntry | null {
  // An override for a model replaces the shipped history entirely, so the user's word is final.
  const entries = entriesFor(overrides, provider, model) ?? entriesFor(SHIPPED_PRICES, provider, model);
  if (!entries) return null;
  const day = at.toISOString().slice(0, 10);
  const inForce = entries.filter((entry) => entry.effective_from <= day).sort((a, b) => a.effective_from.localeCompare(b.effective_from));
  return inForce.at(-1) ?? null;
}

/** USD for one call (or a sum of calls) of `model`; null when no price is known for it at `at`. */
export function costOf(provider: string, model: string, usage: Usage, at: Date = new Date(), overrides?: PriceTable): number | null {
  const price = priceAt(provider, model, at, overrides);
  if (!price) return null;
  const cacheRead = usage.cache_read_tokens ?? 0;
  const cacheWrite = usage.cache_write_tokens ?? 0;
  // input_tokens counts cache reads and writes too (types.ts); each part is billed at its own rate.
  const uncached = Math.max(0, usage.input_tokens - cacheRead - cacheWrite);
  const micro =
    uncached * price.input +
    cacheRead * (price.cache_read ?? price.input) +
    cacheWrite * (price.cache_write ?? price.input) +
    usage.output_tokens * price.output;
  return micro / 1_000_000;
}
