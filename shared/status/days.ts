/**
 * Items per day of arrival, kept in each source's state (`itemsPerDay`) so that the status page's
 * sparkline needs no item read: the fetcher adds each ingest's new and merged items under the UTC
 * day it fetched them, keeping only the days the page shows.
 */

/** Days the items-per-day sparkline covers, today included. */
export const STATUS_DAYS = 14;

const DAY_MS = 86_400_000;

/** The UTC day of a moment, as `YYYY-MM-DD`. */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Start of the UTC day of `now` minus `STATUS_DAYS - 1` days: the first moment the sparkline counts. */
export function windowStart(now: Date): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(day - (STATUS_DAYS - 1) * DAY_MS);
}

/** `counts` with `n` more arrivals on the day of `at`, and without the days before the window ending then. */
export function addArrivals(counts: Readonly<Record<string, number>> | undefined, at: Date, n: number): Record<string, number> {
  const first = dayKey(windowStart(at));
  const out: Record<string, number> = {};
  for (const [day, count] of Object.entries(counts ?? {})) if (day >= first) out[day] = count;
  const today = dayKey(at);
  out[today] = (out[today] ?? 0) + n;
  return out;
}

/** The STATUS_DAYS counts of the window ending on `now`'s day, oldest first (days without arrivals count 0). */
export function dailyCounts(counts: Readonly<Record<string, number>> | undefined, now: Date): number[] {
  const start = windowStart(now).getTime();
  return Array.from({ length: STATUS_DAYS }, (_, i) => {
    const value = counts?.[dayKey(new Date(start + i * DAY_MS))];
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  });
}
