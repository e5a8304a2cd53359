// Classes for the model stylesheet: the `class` attribute (§2.12) and subgraph labels (§2.10).

/** "Loop A" → "loop-a": lowercase, whitespace to hyphens, anything else outside [a-z0-9-] dropped. */
export function classFromLabel(label: string): string {
  return label.toLowerCase().trim().replace(/\s+/g, '-').replace(/[^a-z0-9-]/g, '');
}

/** `class="code, critical"` → ["code", "critical"]. */
export function classList(value: string): string[] {
  return value.split(',').map((name) => name.trim()).filter((name) => name !== '');
}

export function mergeClasses(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())];
}
