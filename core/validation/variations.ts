// Per-trial variation sampling, seeded: the same seed, scenario and trial always draw the same values.
import { createHash } from 'node:crypto';
import type { VariationValue } from './types.ts';

/** mulberry32 over a 32-bit seed: a small, fast, well-distributed generator. */
export function seededRandom(seed: number): () => number {
  const state = { value: seed >>> 0 };
  return () => {
    state.value = (state.value + 0x6d2b79f5) >>> 0;
    let t = state.value;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFrom(...parts: readonly (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

export function sampleVariations(variations: Readonly<Record<string, readonly VariationValue[]>>, random: () => number): Record<string, VariationValue> {
  const chosen: Record<string, VariationValue> = {};
  for (const name of Object.keys(variations).sort()) {
    const values = variations[name]!;
    chosen[name] = values[Math.min(values.length - 1, Math.floor(random() * values.length))]!;
  }
  return chosen;
}
