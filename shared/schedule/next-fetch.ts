/**
 * When to fetch a source next. Successful fetches wait the configured interval, or longer when the
 * feed (<ttl>) or the server (Cache-Control max-age, Expires) asks for it, never more than a day.
 * Failures back off exponentially from the interval, capped at six hours, and honour Retry-After;
 * a source is never stopped for good by errors (only 410 Gone stops it).
 */

/** What the scheduler knows after one fetch. */
export interface FetchTiming {
  now: Date;
  intervalMinutes: number;
  failed: boolean;
  consecutiveFailures: number;
  ttlMinutes?: number;
  cacheControl?: string;
  expires?: string;
  retryAfterMs?: number;
}

const MINUTE = 60_000;
/** Longest wait after a success. */
export const MAX_SUCCESS_WAIT_MS = 24 * 60 * MINUTE;
/** Longest wait after failures. */
export const MAX_BACKOFF_MS = 6 * 60 * MINUTE;

function maxAgeMs(cacheControl: string | undefined): number | undefined {
  const m = cacheControl?.match(/(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d+)/i);
  return m ? Number(m[1]) * 1000 : undefined;
}

function expiresInMs(expires: string | undefined, now: Date): number | undefined {
  if (!expires) return undefined;
  const t = Date.parse(expires);
  return Number.isNaN(t) ? undefined : t - now.getTime();
}

/** The time of the next fetch, as a Date. */
export function nextFetchAt(t: FetchTiming): Date {
  const interval = t.intervalMinutes * MINUTE;
  let wait: number;
  if (t.failed) {
    const exponent = Math.min(Math.max(t.consecutiveFailures - 1, 0), 16);
    wait = Math.min(interval * 2 ** exponent, MAX_BACKOFF_MS);
    if (t.retryAfterMs !== undefined) wait = Math.max(wait, Math.min(t.retryAfterMs, MAX_SUCCESS_WAIT_MS));
  } else {
    // RFC 9111 §5.3: Expires is ignored when Cache-Control gives a max-age.
    const maxAge = maxAgeMs(t.cacheControl);
    const asked = [t.ttlMinutes !== undefined ? t.ttlMinutes * MINUTE : undefined, maxAge, maxAge === undefined ? expiresInMs(t.expires, t.now) : undefined];
    wait = interval;
    for (const a of asked) if (a !== undefined && a > wait) wait = a;
    wait = Math.min(wait, MAX_SUCCESS_WAIT_MS);
  }
  return new Date(t.now.getTime() + wait);
}

/** True when a source should be fetched in a cycle that starts at `now`. */
export function isDue(nextFetch: string | undefined, now: Date): boolean {
  return nextFetch === undefined || Date.parse(nextFetch) <= now.getTime();
}
