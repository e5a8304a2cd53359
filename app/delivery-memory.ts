// A short memory of webhook delivery ids, one per App instance: a delivery GitHub sends twice (or a
// redelivery) is acted on once by this replica. Across replicas and restarts, check runs found by
// `external_id` do the same job.
export const DEFAULT_DELIVERY_MEMORY = 10_000;

export class DeliveryMemory {
  readonly #seen = new Set<string>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_DELIVERY_MEMORY) {
    this.#capacity = capacity;
  }

  /** True the first time an id is offered, false for every repeat while it is remembered. */
  firstTime(id: string): boolean {
    if (this.#seen.has(id)) return false;
    this.#seen.add(id);
    if (this.#seen.size > this.#capacity) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    return true;
  }

  forget(id: string): void {
    this.#seen.delete(id);
  }
}
