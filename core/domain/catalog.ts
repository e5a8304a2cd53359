// The model catalog's shape (endurance issue): shared by the shipped catalog.json, `--catalog`
// files and `factory.catalog` in .github/factory.yml (a path or this object inline).
import { z } from 'zod';

const rate = z.number().nonnegative();

export const ModelPriceSchema = z.strictObject({
  input: rate,
  output: rate,
  cache_read: rate.optional(),
  cache_write: rate.optional(),
});

export const CatalogEntrySchema = z.strictObject({
  context_window: z.number().int().positive().optional(),
  max_output: z.number().int().positive().optional(),
  /** USD per million tokens. */
  usd_per_mtok: ModelPriceSchema.optional(),
  reasoning: z.boolean().optional(),
});

const ModelKeySchema = z.string().regex(/^[\w.-]+\/\S+$/, 'a key of the form <provider>/<model>');

export const CatalogFileSchema = z.strictObject({
  note: z.string().optional(),
  models: z.record(ModelKeySchema, CatalogEntrySchema),
});
