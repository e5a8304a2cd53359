// Combines the partial results of a sharded run into the result a single run would have produced.
import type { RunResult } from './types.ts';

export class AggregateError extends Error {}

export function aggregate(partials: readonly RunResult[]): RunResult {
  const first = partials[0];
  if (!first) throw new AggregateError('aggregate: no partial results');
  const count = first.shard.count;
  const seen = new Set<number>();
  for (const partial of partials) {
    if (partial.scenarioSetHash !== first.scenarioSetHash) throw new AggregateError('aggregate: partial results judge different scenario sets (hashes differ)');
    if (partial.shard.count !== count) throw new AggregateError('aggregate: partial results disagree on the shard count');
    if (seen.has(partial.shard.index)) throw new AggregateError(`aggregate: shard ${partial.shard.index}/${count} appears twice`);
    seen.add(partial.shard.index);
  }
  const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => !seen.has(index));
  if (missing.length > 0) throw new AggregateError(`aggregate: missing shard(s) ${missing.map((index) => `${index}/${count}`).join(', ')}`);
  const scenarios = partials.flatMap((partial) => partial.scenarios).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const malformed = [...new Map(partials.flatMap((partial) => partial.malformed).map((entry) => [entry.file, entry])).values()]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const network = partials.every((partial) => partial.isolation.network === 'applied') ? 'applied' : 'not applied';
  return {
    version: 1,
    kind: 'factory-validation-result',
    shard: { index: 1, count: 1 },
    scenarioSetHash: first.scenarioSetHash,
    isolation: {
      credentialsScrubbed: partials.every((partial) => partial.isolation.credentialsScrubbed),
      scenariosOutsideWorkdir: partials.every((partial) => partial.isolation.scenariosOutsideWorkdir),
      network,
      note: network === 'applied' ? first.isolation.note : (partials.find((partial) => partial.isolation.network !== 'applied') ?? first).isolation.note,
    },
    malformed,
    scenarios,
  };
}
