/**
 * In-process locks on shared identity keys (canonical links). Two sources of one fetcher
 * invocation that carry the same new link are planned one after the other, so the second sees the
 * first's item and merges into it instead of writing the same row again. Across processes the row
 * is still one (ids.ts isSharedKey) and the publisher repairs the overwritten source
 * (repair-sources.ts); this only makes the common case exact and cheap.
 */

/** Locks by key for one store; keys are taken in sorted order, so two holders never wait on each other. */
export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits until every key is free, holds them all, and returns the release function. */
  async acquire(keys: Iterable<string>): Promise<() => void> {
    const sorted = [...new Set(keys)].sort();
    const releases: (() => void)[] = [];
    for (const key of sorted) {
      const previous = this.tails.get(key);
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const tail = previous ? previous.then(() => held) : held;
      this.tails.set(key, tail);
      releases.push(() => {
        release();
        // The last holder of a key leaves no entry behind.
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
      if (previous) await previous;
    }
    return () => {
      for (const release of releases) release();
    };
  }

  /** Keys currently held or waited for (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

const byStore = new WeakMap<object, KeyLocks>();

/** The locks of one item store (one per repository object in this process). */
export function keyLocksOf(store: object): KeyLocks {
  let locks = byStore.get(store);
  if (!locks) {
    locks = new KeyLocks();
    byStore.set(store, locks);
  }
  return locks;
}
