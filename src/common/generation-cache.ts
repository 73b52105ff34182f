/**
 * A bounded map whose entries belong to one generation of the data they were
 * read from (DatabaseChanges): a new generation empties it. A value read while
 * the generation moved on is not stored, so an entry never outlives a commit
 * that may have changed it.
 *
 * Hand-written: LRU libraries expire by age or size, not by an external version.
 */
export class GenerationCache<V> {
  private readonly entries = new Map<string, V>();
  private generation: number | null = null;

  constructor(private readonly maxEntries: number) {}

  get(key: string, generation: number): V | undefined {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
      return undefined;
    }
    return this.entries.get(key);
  }

  /** `generation` is the one read before the value was loaded. */
  set(key: string, value: V, generation: number): void {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
