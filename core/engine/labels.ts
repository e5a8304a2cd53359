// Edge labels as routing keys: normalization (§3.3 step 2) and accelerator keys (§4.6).

const ACCELERATOR_PREFIX = /^\s*(?:\[([A-Za-z0-9])\]\s*|([A-Za-z0-9])\)\s+|([A-Za-z0-9])\s+-\s+)/;

/** Lowercase, trimmed, without an accelerator prefix such as `[Y] `, `Y) ` or `Y - `. */
export function normalizeLabel(label: string): string {
  return label.replace(ACCELERATOR_PREFIX, '').trim().toLowerCase();
}

/** The shortcut key of a label: `[K] x`, `K) x`, `K - x`, else its first character (uppercased). */
export function acceleratorKey(label: string): string {
  const match = ACCELERATOR_PREFIX.exec(label);
  if (match) return (match[1] ?? match[2] ?? match[3] ?? '').toUpperCase();
  return label.trim().charAt(0).toUpperCase();
}
