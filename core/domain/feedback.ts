// The leak-safe feedback block handed from a failed validation round to the next factory round
// (security.md): per-category rates rounded to 0.05, counts per declared failure tag, pointers to
// public spec files. The schema is strict, so nothing else (scenario ids, titles, inputs, expected
// values, transcripts, timings) can ride along.
import { z } from 'zod';

export const FEEDBACK_CATEGORIES = ['happy', 'edge', 'failure'] as const;
export type FeedbackCategory = (typeof FEEDBACK_CATEGORIES)[number];

const RATE_STEP = 0.05;
const MAX_SPEC_POINTERS = 20;
const MAX_TAGS = 50;

/** Rounds a rate in [0, 1] to the nearest 0.05 (so single scenario outcomes cannot be read back). */
export function roundRate(rate: number): number {
  const clamped = Math.min(1, Math.max(0, rate));
  return Math.round(clamped / RATE_STEP) / 20;
}

const roundedRate = z.number().min(0).max(1)
  .refine((rate) => Math.abs(rate * 20 - Math.round(rate * 20)) < 1e-9, 'a rate rounded to 0.05');

const tagName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a declared tag name (a-z, 0-9, _ and -)');

/** A repository-relative path into the public spec (optionally `#anchor`); no `..`, no spaces. */
export const SpecPointerSchema = z.string().max(200)
  .regex(/^(?!.*\.\.)(?!\/)[\w./-]+(#[\w-]+)?$/, 'a spec file path such as spec/api.md#errors');

export const FeedbackSchema = z.strictObject({
  version: z.literal(1),
  round: z.number().int().min(1),
  categories: z.strictObject({
    happy: roundedRate.optional(),
    edge: roundedRate.optional(),
    failure: roundedRate.optional(),
  }),
  tags: z.record(tagName, z.number().int().min(0)).refine((tags) => Object.keys(tags).length <= MAX_TAGS, `at most ${MAX_TAGS} tags`),
  spec: z.array(SpecPointerSchema).max(MAX_SPEC_POINTERS),
});

export type Feedback = z.output<typeof FeedbackSchema>;

export interface FeedbackSource {
  round: number;
  /** Raw pass rates per category. */
  rates: Partial<Record<FeedbackCategory, number>>;
  /** Raw failure counts per tag; tags not declared in the config are dropped. */
  tagCounts: Record<string, number>;
  specPointers: readonly string[];
}

export type FeedbackLevel = 'none' | 'categories' | 'tags';

/** Builds the block at the config's `feedback.level`; `none` gives no block at all. */
export function buildFeedback(source: FeedbackSource, level: FeedbackLevel, declaredTags: readonly string[]): Feedback | null {
  if (level === 'none') return null;
  const categories: Feedback['categories'] = {};
  for (const category of FEEDBACK_CATEGORIES) {
    const rate = source.rates[category];
    if (rate !== undefined && Number.isFinite(rate)) categories[category] = roundRate(rate);
  }
  const tags: Record<string, number> = {};
  if (level === 'tags') {
    for (const tag of declaredTags) {
      const count = source.tagCounts[tag];
      if (count !== undefined && count > 0 && tagName.safeParse(tag).success) tags[tag] = Math.floor(count);
    }
  }
  const spec = [...new Set(source.specPointers)]
    .filter((pointer) => SpecPointerSchema.safeParse(pointer).success)
    .slice(0, MAX_SPEC_POINTERS);
  return FeedbackSchema.parse({ version: 1, round: source.round, categories, tags, spec });
}

/** Reads a block from untrusted text (a check output, a dispatch input); null when it is not one. */
export function parseFeedback(text: string): Feedback | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const result = FeedbackSchema.safeParse(value);
  return result.success ? result.data : null;
}

/**
 * The check output carries the block between these markers (the validate Action writes it into
 * the `factory/satisfaction` output text), so the App can lift it without reading anything else.
 */
export const FEEDBACK_MARKER_START = '<!-- factory-feedback';
export const FEEDBACK_MARKER_END = '-->';

export function embedFeedback(feedback: Feedback): string {
  return `${FEEDBACK_MARKER_START} ${JSON.stringify(feedback)} ${FEEDBACK_MARKER_END}`;
}

export function extractFeedback(text: string | null | undefined): Feedback | null {
  if (!text) return null;
  const start = text.indexOf(FEEDBACK_MARKER_START);
  if (start < 0) return null;
  const from = start + FEEDBACK_MARKER_START.length;
  const end = text.indexOf(FEEDBACK_MARKER_END, from);
  if (end < 0) return null;
  return parseFeedback(text.slice(from, end).trim());
}
