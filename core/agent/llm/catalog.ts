// The model catalog: one data file (catalog.json) for the models we know — context window, max
// output, USD per million tokens, reasoning — extended or overridden by the user (factory.catalog,
// --catalog). Cost comes from here everywhere; an unknown price is null, never 0.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { CatalogEntrySchema, CatalogFileSchema, ModelPriceSchema } from '../../domain/catalog.ts';
import { LlmError } from './types.ts';
import type { Usage } from './types.ts';

export const priceSchema = ModelPriceSchema;
export const catalogEntrySchema = CatalogEntrySchema;
export const catalogFileSchema = CatalogFileSchema;

export type ModelPrice = z.infer<typeof priceSchema>;
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
export type CatalogFile = z.infer<typeof catalogFileSchema>;

export interface ModelInfo extends CatalogEntry {
  /** The catalog key that matched (`anthropic/claude-sonnet-4-5`, or `scripted/*`). */
  key: string;
}

function configurationError(message: string, cause?: unknown): LlmError {
  return new LlmError('configuration', message, { provider: 'catalog', cause });
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.code === 'invalid_key' ? 'expected a key of the form <provider>/<model>' : issue.message}`)
    .join('; ');
}

/** A catalog document (already parsed from JSON or YAML); `source` names it in errors. */
export function parseCatalog(value: unknown, source: string): CatalogFile {
  const result = catalogFileSchema.safeParse(value);
  if (!result.success) throw configurationError(`catalog: ${source} is not a valid model catalog: ${describe(result.error)}`);
  return result.data;
}

export function parseCatalogText(text: string, source: string): CatalogFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw configurationError(`catalog: ${source} is not valid JSON: ${(error as Error).message}`, error);
  }
  return parseCatalog(json, source);
}

/** A user's catalog file; unreadable or invalid is a configuration error naming the file. */
export function loadCatalogFile(path: string, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): CatalogFile {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw configurationError(`catalog: cannot read ${path}: ${(error as Error).message}`, error);
  }
  return parseCatalogText(text, path);
}

/** Dated model ids (`claude-sonnet-4-5-20250929`) fall back to their undated alias, then `provider/*`. */
function candidateKeys(provider: string, model: string): string[] {
  const undated = model.replace(/-\d{8}$/, '');
  const ids = undated === model ? [model] : [model, undated];
  return [...ids.map((id) => `${provider}/${id}`), `${provider}/*`];
}

function merge(base: CatalogEntry | undefined, over: CatalogEntry): CatalogEntry {
  return { ...base, ...over };
}

export class ModelCatalog {
  readonly #entries: ReadonlyMap<string, CatalogEntry>;

  constructor(entries: ReadonlyMap<string, CatalogEntry>) {
    this.#entries = entries;
  }

  /** This catalog with `files` layered over it in order; a later file's fields win. */
  extendedWith(...files: CatalogFile[]): ModelCatalog {
    const entries = new Map(this.#entries);
    for (const file of files) for (const [key, entry] of Object.entries(file.models)) entries.set(key, merge(entries.get(key), entry));
    return new ModelCatalog(entries);
  }

  lookup(provider: string, model: string): ModelInfo | undefined {
    for (const key of candidateKeys(provider, model)) {
      const entry = this.#entries.get(key);
      if (entry) return { key, ...entry };
    }
    return undefined;
  }

  priceOf(provider: string, model: string): ModelPrice | undefined {
    for (const key of candidateKeys(provider, model)) {
      const price = this.#entries.get(key)?.usd_per_mtok;
      if (price) return price;
    }
    return undefined;
  }

  contextWindow(provider: string, model: string): number | undefined {
    for (const key of candidateKeys(provider, model)) {
      const window = this.#entries.get(key)?.context_window;
      if (window) return window;
    }
    return undefined;
  }

  /** USD for one call (or a sum of calls); null when the catalog has no price for the model. */
  costOf(provider: string, model: string, usage: Usage): number | null {
    const price = this.priceOf(provider, model);
    return price ? costAt(price, usage) : null;
  }
}

/** Each part of the input is billed at its own rate; input_tokens counts cache reads and writes too. */
export function costAt(price: ModelPrice, usage: Usage): number {
  const cacheRead = usage.cache_read_tokens ?? 0;
  const cacheWrite = usage.cache_write_tokens ?? 0;
  const uncached = Math.max(0, usage.input_tokens - cacheRead - cacheWrite);
  const micro = uncached * price.input + cacheRead * (price.cache_read ?? price.input) + cacheWrite * (price.cache_write ?? price.input) + usage.output_tokens * price.output;
  return micro / 1_000_000;
}

const SHIPPED = parseCatalogText(readFileSync(new URL('./catalog.json', import.meta.url), 'utf8'), 'core/agent/llm/catalog.json');

/** The shipped catalog, optionally extended by the user's files (factory.catalog, then --catalog). */
export function modelCatalog(...files: CatalogFile[]): ModelCatalog {
  return new ModelCatalog(new Map(Object.entries(SHIPPED.models))).extendedWith(...files);
}

/** The catalog entry a user adds for a model, as text for messages that tell them to add it. */
export function catalogKeyHint(provider: string, model: string): string {
  return `"models": {"${provider}/${model}": {"usd_per_mtok": {"input": …, "output": …}}}`;
}

/**
 * Models whose price the catalog does not know; a run with a USD budget refuses to start with any
 * (its spend could not be counted).
 */
export function unpricedModels(catalog: ModelCatalog, models: Iterable<{ provider: string; model: string }>): { provider: string; model: string }[] {
  const seen = new Set<string>();
  const missing: { provider: string; model: string }[] = [];
  for (const { provider, model } of models) {
    const key = `${provider}/${model}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!catalog.priceOf(provider, model)) missing.push({ provider, model });
  }
  return missing;
}

/** The refusal message: names each model and the catalog key to add. */
export function unpricedMessage(missing: { provider: string; model: string }[], where: string): string {
  const names = missing.map(({ provider, model }) => `${provider}/${model}`);
  const first = missing[0]!;
  return `a USD budget is set but the model catalog has no price for ${names.join(', ')}, so the spend could not be counted; add ${names.map((n) => `models."${n}".usd_per_mtok`).join(', ')} to ${where} (e.g. ${catalogKeyHint(first.provider, first.model)}), or run without a USD budget`;
}
