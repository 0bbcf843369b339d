/**
 * Fetch concurrency: a global cap and a per-host cap, built on p-limit. A task first waits for a
 * slot on its host, then for a global slot, so tasks queued behind a busy host never hold global
 * slots that other hosts could use.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { FetchSettings } from '../config';

/** Runs `task` for `url` once both the global and the per-host limits allow it. */
export type FetchLimiter = <T>(url: string, task: () => Promise<T>) => Promise<T>;

/** The key requests are counted under: the URL's host and port (lowercase), or the raw string if unparseable. */
function hostKey(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

/** Creates a limiter with `settings.concurrency` slots overall and `settings.perHostConcurrency` per host. */
export function createFetchLimiter(settings: Pick<FetchSettings, 'concurrency' | 'perHostConcurrency'>): FetchLimiter {
  const global = pLimit(settings.concurrency);
  /** Per-host limiter and how many tasks (running or queued) use it; dropped when unused. */
  const perHost = new Map<string, { limit: LimitFunction; users: number }>();
  return async <T>(url: string, task: () => Promise<T>): Promise<T> => {
    const key = hostKey(url);
    let host = perHost.get(key);
    if (!host) {
      host = { limit: pLimit(settings.perHostConcurrency), users: 0 };
      perHost.set(key, host);
    }
    const entry = host;
    entry.users += 1;
    try {
      return await entry.limit(() => global(task));
    } finally {
      // Forget idle hosts so a long run over many hosts does not grow the map without bound.
      entry.users -= 1;
      if (entry.users === 0) perHost.delete(key);
    }
  };
}

/** Counted slots held across awaits: `acquire` resolves (in arrival order) with the function that gives the slot back. */
export interface Slots {
  acquire(): Promise<() => void>;
}

/** Creates `count` slots; a release is idempotent, so a slot is never given back twice. */
export function createSlots(count: number): Slots {
  let free = count;
  const waiting: Array<() => void> = [];
  const releaser = (): (() => void) => {
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    };
  };
  return {
    acquire() {
      if (free > 0) {
        free -= 1;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve) => waiting.push(() => resolve(releaser())));
    },
  };
}
