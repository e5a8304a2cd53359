// The run context (Attractor §5.1): a key-value store shared by all stages, plus an append-only log.
// JavaScript runs one stage callback at a time, so no locks are needed; parallel branches get clones.

export class Context {
  #values: Map<string, unknown>;
  #logs: string[];

  constructor(values: Record<string, unknown> = {}, logs: string[] = []) {
    this.#values = new Map(Object.entries(structuredClone(values)));
    this.#logs = [...logs];
  }

  get(key: string, fallback?: unknown): unknown {
    return this.#values.has(key) ? this.#values.get(key) : fallback;
  }

  getString(key: string, fallback = ''): string {
    const value = this.#values.get(key);
    if (value === undefined || value === null) return fallback;
    return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  has(key: string): boolean {
    return this.#values.has(key);
  }

  set(key: string, value: unknown): void {
    this.#values.set(key, value);
  }

  delete(key: string): void {
    this.#values.delete(key);
  }

  applyUpdates(updates: Record<string, unknown> | undefined): void {
    if (!updates) return;
    for (const [key, value] of Object.entries(updates)) this.#values.set(key, value);
  }

  appendLog(entry: string): void {
    this.#logs.push(entry);
  }

  get logs(): readonly string[] {
    return this.#logs;
  }

  /** A serializable deep copy of all values. */
  snapshot(): Record<string, unknown> {
    return structuredClone(Object.fromEntries(this.#values));
  }

  /** The live values as a plain object, for immediate serialization (no copy: do not keep or mutate it). */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.#values);
  }

  /** Deep copy for parallel branch isolation. */
  clone(): Context {
    return new Context(this.snapshot(), this.#logs);
  }
}
