/**
 * nextFetchAt and dueSources, per the doc comment of next-fetch.ts: the interval after a success,
 * lengthened (never shortened) by <ttl>, Cache-Control max-age / s-maxage and Expires, at most a day;
 * failures back off exponentially from the interval, at most six hours, and honour Retry-After.
 */
import { describe, expect, it } from 'vitest';
import type { Source, SourceState } from '../../shared/model';
import { dueSources } from '../../shared/schedule/due';
import { isDue, MAX_BACKOFF_MS, MAX_SUCCESS_WAIT_MS, nextFetchAt, type FetchTiming } from '../../shared/schedule/next-fetch';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

/** Minutes from NOW to the next fetch. */
function waitMin(over: Partial<FetchTiming>): number {
  const t: FetchTiming = { now: NOW, intervalMinutes: 15, failed: false, consecutiveFailures: 0, ...over };
  return (nextFetchAt(t).getTime() - NOW.getTime()) / MIN;
}

const inHours = (h: number) => new Date(NOW.getTime() + h * HOUR).toUTCString();

describe('nextFetchAt after a success', () => {
  it('waits the configured interval when nothing asks for longer', () => {
    expect(waitMin({})).toBe(15);
    expect(waitMin({ intervalMinutes: 60 })).toBe(60);
  });

  it('waits longer when <ttl> asks for it, never shorter', () => {
    expect(waitMin({ ttlMinutes: 120 })).toBe(120);
    expect(waitMin({ ttlMinutes: 5 })).toBe(15);
    expect(waitMin({ ttlMinutes: 0 })).toBe(15);
  });

  it('honours Cache-Control max-age when longer than the interval', () => {
    expect(waitMin({ cacheControl: 'max-age=3600' })).toBe(60);
    expect(waitMin({ cacheControl: 'public, max-age=7200, must-revalidate' })).toBe(120);
    expect(waitMin({ cacheControl: 'Private,Max-Age="1800"' })).toBe(30);
    expect(waitMin({ cacheControl: 'max-age=60' })).toBe(15);
    expect(waitMin({ cacheControl: 'no-cache' })).toBe(15);
  });

  // BUG: the pattern is /(?:s-)?max-age/, i.e. "s-max-age"; the real directive is "s-maxage"
  // (RFC 9111 §5.2.2.10), which is therefore never recognised.
  it('honours Cache-Control s-maxage (a shared cache directive; Tributary is a shared cache)', () => {
    expect(waitMin({ cacheControl: 's-maxage=7200' })).toBe(120);
  });

  it('honours Expires in the future, ignores one in the past or unparseable', () => {
    expect(waitMin({ expires: inHours(3) })).toBe(180);
    expect(waitMin({ expires: inHours(-3) })).toBe(15);
    expect(waitMin({ expires: 'not a date' })).toBe(15);
    expect(waitMin({ expires: '0' })).toBe(15);
  });

  it('takes the longest request, capped at a day', () => {
    expect(waitMin({ ttlMinutes: 90, expires: inHours(2) })).toBe(120);
    // With a max-age, Expires does not count (RFC 9111 §5.3), so the ttl is the longest request.
    expect(waitMin({ ttlMinutes: 90, cacheControl: 'max-age=600', expires: inHours(2) })).toBe(90);
    expect(waitMin({ ttlMinutes: 60 * 48 })).toBe(MAX_SUCCESS_WAIT_MS / MIN);
    expect(waitMin({ cacheControl: 'max-age=31536000' })).toBe(24 * 60);
    expect(waitMin({ expires: inHours(100) })).toBe(24 * 60);
  });

  it('ignores Retry-After and failure counts on success', () => {
    expect(waitMin({ retryAfterMs: 5 * HOUR, consecutiveFailures: 4 })).toBe(15);
  });

  // BUG (minor): RFC 9111 §5.3: when max-age is present a cache MUST ignore Expires; the code takes
  // the longer of the two.
  it('lets Cache-Control max-age override Expires', () => {
    expect(waitMin({ cacheControl: 'max-age=60', expires: inHours(5) })).toBe(15);
  });
});

describe('nextFetchAt after a failure', () => {
  it('backs off exponentially from the interval', () => {
    expect([1, 2, 3, 4, 5].map((n) => waitMin({ failed: true, consecutiveFailures: n }))).toEqual([15, 30, 60, 120, 240]);
  });

  it('caps the backoff at six hours, however many failures', () => {
    expect(waitMin({ failed: true, consecutiveFailures: 6 })).toBe(MAX_BACKOFF_MS / MIN);
    expect(waitMin({ failed: true, consecutiveFailures: 1000 })).toBe(360);
    expect(waitMin({ failed: true, consecutiveFailures: 1, intervalMinutes: 60 * 10 })).toBe(360);
  });

  it('ignores ttl, max-age and Expires on failure', () => {
    expect(waitMin({ failed: true, consecutiveFailures: 1, ttlMinutes: 600, cacheControl: 'max-age=36000', expires: inHours(10) })).toBe(15);
  });

  it('honours Retry-After when it asks for longer than the backoff, never shorter', () => {
    expect(waitMin({ failed: true, consecutiveFailures: 1, retryAfterMs: 2 * HOUR })).toBe(120);
    expect(waitMin({ failed: true, consecutiveFailures: 3, retryAfterMs: 1000 })).toBe(60);
    expect(waitMin({ failed: true, consecutiveFailures: 1, retryAfterMs: 0 })).toBe(15);
  });

  it('never stops a source for good: the wait stays finite', () => {
    for (const n of [1, 10, 100, 1e6]) {
      const at = nextFetchAt({ now: NOW, intervalMinutes: 15, failed: true, consecutiveFailures: n, retryAfterMs: 1e12 });
      expect(Number.isFinite(at.getTime())).toBe(true);
      expect(at.getTime() - NOW.getTime()).toBeLessThanOrEqual(MAX_SUCCESS_WAIT_MS);
    }
  });
});

describe('isDue', () => {
  it('is due when never scheduled, at the time, and after it; not before', () => {
    expect(isDue(undefined, NOW)).toBe(true);
    expect(isDue(NOW.toISOString(), NOW)).toBe(true);
    expect(isDue('2026-11-27T11:59:59.999Z', NOW)).toBe(true);
    expect(isDue('2026-11-27T12:00:00.001Z', NOW)).toBe(false);
  });
});

describe('dueSources', () => {
  const src = (id: string, url = `https://${id}.example/feed`): Source => ({ id, url, title: id, tags: [] });
  const state = (id: string, over: Partial<SourceState>): SourceState => ({ sourceId: id, consecutiveFailures: 0, itemsSeen: 0, ...over });
  const past = '2026-11-27T11:00:00.000Z';
  const future = '2026-11-27T13:00:00.000Z';

  it('picks never-fetched and past-due sources, keeps the list order, and skips future ones', () => {
    const sources = [src('never'), src('later'), src('past'), src('noschedule')];
    const states = new Map([
      ['later', state('later', { nextFetchAt: future, status: 'ok' })],
      ['past', state('past', { nextFetchAt: past, status: 'error', consecutiveFailures: 3 })],
      ['noschedule', state('noschedule', {})],
    ]);
    expect(dueSources(sources, states, NOW).map((s) => s.id)).toEqual(['never', 'past', 'noschedule']);
  });

  it('skips a gone source, however long ago it was due', () => {
    const s = src('dead');
    const states = new Map([['dead', state('dead', { status: 'gone', configuredUrl: s.url, nextFetchAt: '2020-01-01T00:00:00.000Z' })]]);
    expect(dueSources([s], states, NOW)).toEqual([]);
  });

  it('brings a gone source back when its configured URL was edited', () => {
    const s = src('moved', 'https://moved.example/new-feed');
    const states = new Map([['moved', state('moved', { status: 'gone', configuredUrl: 'https://moved.example/old-feed', nextFetchAt: past })]]);
    expect(dueSources([s], states, NOW)).toEqual([s]);
  });

  it('uses the state of the same id only', () => {
    const states = new Map([['b', state('b', { nextFetchAt: future })]]);
    expect(dueSources([src('a')], states, NOW).map((s) => s.id)).toEqual(['a']);
  });
});
