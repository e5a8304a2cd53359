// Named storage for large stage outputs that do not belong in the context (Attractor §5.5,
// engine.md §10). Values above the threshold live in `<logs>/artifacts/<id>.json`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FILE_BACKING_THRESHOLD_BYTES = 100 * 1024;

export interface ArtifactInfo {
  id: string;
  name: string;
  size_bytes: number;
  stored_at: string;
  is_file_backed: boolean;
}

const SAFE_ID = /^[A-Za-z0-9_.-]+$/;

export class ArtifactStore {
  #entries = new Map<string, { info: ArtifactInfo; data: unknown }>();
  readonly #baseDir: string | undefined;
  readonly #threshold: number;
  readonly #now: () => number;

  constructor(options: { baseDir?: string; thresholdBytes?: number; now?: () => number } = {}) {
    this.#baseDir = options.baseDir;
    this.#threshold = options.thresholdBytes ?? FILE_BACKING_THRESHOLD_BYTES;
    this.#now = options.now ?? Date.now;
  }

  store(id: string, name: string, data: unknown): ArtifactInfo {
    if (!SAFE_ID.test(id) || id === '.' || id === '..') throw new Error(`invalid artifact id "${id}": use letters, digits, "_", "." and "-"`);
    const json = JSON.stringify(data);
    const size = Buffer.byteLength(json ?? '');
    const fileBacked = size > this.#threshold && this.#baseDir !== undefined;
    let stored: unknown = structuredClone(data);
    if (fileBacked) {
      const dir = join(this.#baseDir!, 'artifacts');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${id}.json`);
      writeFileSync(path, json);
      stored = path;
    }
    const info: ArtifactInfo = { id, name, size_bytes: size, stored_at: new Date(this.#now()).toISOString(), is_file_backed: fileBacked };
    this.#entries.set(id, { info, data: stored });
    return info;
  }

  retrieve(id: string): unknown {
    const entry = this.#entries.get(id);
    if (!entry) throw new Error(`artifact not found: ${id}`);
    return entry.info.is_file_backed ? JSON.parse(readFileSync(entry.data as string, 'utf8')) : structuredClone(entry.data);
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  list(): ArtifactInfo[] {
    return [...this.#entries.values()].map((entry) => ({ ...entry.info }));
  }

  remove(id: string): void {
    const entry = this.#entries.get(id);
    if (entry?.info.is_file_backed) rmSync(entry.data as string, { force: true });
    this.#entries.delete(id);
  }

  clear(): void {
    for (const id of [...this.#entries.keys()]) this.remove(id);
  }

  get size(): number {
    return this.#entries.size;
  }
}
