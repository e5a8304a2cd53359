// Repeated-call detection (coding-agent-loop-spec §2.10): the same call, or the same cycle of two
// or three calls, repeated at the tail of the call history.

export const DEFAULT_LOOP_REPEATS = 3;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}

export function callSignature(name: string, args: unknown): string {
  return `${name} ${JSON.stringify(canonical(args))}`;
}

/** True when the last `repeats` repetitions of some pattern of 1–3 calls are identical. */
export function isLooping(signatures: readonly string[], repeats = DEFAULT_LOOP_REPEATS): boolean {
  for (const length of [1, 2, 3]) {
    const window = length * repeats;
    if (signatures.length < window) continue;
    const tail = signatures.slice(-window);
    if (tail.every((signature, i) => signature === tail[i % length])) return true;
  }
  return false;
}

export function loopWarning(repeats: number): string {
  return `You have made the same tool call(s) ${repeats} times in a row with the same arguments and results are not changing. ` +
    'Stop repeating it: try a different approach, or report the outcome. Repeating it again ends the stage as failed.';
}
