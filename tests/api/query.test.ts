/** parseItemQuery / parseDuration / parseTimeBound: the query parameters of GET /items. */
import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../shared/errors';
import { parseDuration, parseItemQuery, parseTimeBound, QueryError } from '../../shared/api/query';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const q = (s: string) => parseItemQuery(new URLSearchParams(s), NOW);

function bad(s: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    q(s);
  } catch (err) {
    caught = err;
  }
  expect(caught, s).toBeInstanceOf(QueryError);
  expect(caught).toBeInstanceOf(TributaryError);
  expect((caught as Error).message).toMatch(/^api: /);
  expect((caught as Error).message).toMatch(pattern);
  expect((caught as Error).message).not.toMatch(/\n\s+at /);
}

describe('parseItemQuery', () => {
  it('defaults to 50 items and nothing else', () => {
    expect(q('')).toEqual({ limit: 50 });
  });

  it('accepts limits from 1 to 500', () => {
    expect(q('limit=1').limit).toBe(1);
    expect(q('limit=500').limit).toBe(500);
  });

  it.each(['0', '501', '-1', '2.5', 'ten', '', '1e9'])('rejects limit=%s with the allowed range in the message', (v) => {
    bad(`limit=${v}`, /limit must be an integer from 1 to 500/);
  });

  it('rejects unknown parameters, naming the known ones', () => {
    bad('limit=5&sort=asc', /unknown parameter "sort".*limit, source, since, until, cursor/);
    bad('Limit=5', /unknown parameter "Limit"/);
  });

  it('takes a source id and rejects anything that is not one', () => {
    expect(q('source=global-wire').sourceId).toBe('global-wire');
    bad('source=Bad%20Id', /source must be a source id/);
    bad('source=', /source must be a source id/);
  });

  it('reads durations 30m, 12h, 2d, 1w as that long before now', () => {
    expect(q('since=30m').since).toBe('2026-11-27T11:30:00.000Z');
    expect(q('since=12h').since).toBe('2026-11-27T00:00:00.000Z');
    expect(q('since=2d').since).toBe('2026-11-25T12:00:00.000Z');
    expect(q('until=1w').until).toBe('2026-11-20T12:00:00.000Z');
  });

  it('reads ISO dates and date-times, normalised to UTC', () => {
    expect(q('since=2026-11-01').since).toBe('2026-11-01T00:00:00.000Z');
    expect(q('until=2026-11-01T10:00:00%2B02:00').until).toBe('2026-11-01T08:00:00.000Z');
    expect(q('since=2026-11-01T10:00:00Z&until=2026-11-02T10:00:00Z')).toEqual({ limit: 50, since: '2026-11-01T10:00:00.000Z', until: '2026-11-02T10:00:00.000Z' });
  });

  it.each(['yesterday', '2d ago', '11/27/2026', '1700000000', 'Fri, 27 Nov 2026 12:00:00 GMT', '2026-13-45', '3y'])('rejects since=%s with an example of a good value', (v) => {
    bad(`since=${encodeURIComponent(v)}`, /since must be an ISO date .* or a duration like 2d, 12h; got "/);
  });

  // BUG: only the "YYYY-MM-DD" prefix is checked, the rest goes to Date.parse, whose legacy
  // fallback reads "2026-11-27 junk" as 2026-06-11T00:00:00Z — silently the wrong bound.
  it('rejects a date followed by garbage', () => {
    bad(`since=${encodeURIComponent('2026-11-27 junk')}`, /since must be an ISO date/);
  });

  // BUG: Date.parse rolls impossible days over ("2026-02-30" is 2026-03-02), so they are accepted.
  it('rejects impossible calendar dates', () => {
    bad('since=2026-02-30', /since must be an ISO date/);
  });

  it('accepts cursors of URL-safe base64 characters only', () => {
    expect(q('cursor=eyJhIjoxfQ_-').cursor).toBe('eyJhIjoxfQ_-');
    bad('cursor=abc%3D', /cursor is not one this API returned/);
    bad('cursor=a%2Fb', /cursor/);
    bad('cursor=', /cursor/);
    bad(`cursor=${'a'.repeat(513)}`, /cursor/);
  });
});

describe('parseDuration and parseTimeBound', () => {
  it('parses each unit, case-insensitively, and nothing else', () => {
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('12H')).toBe(12 * 3_600_000);
    expect(parseDuration('2d')).toBe(2 * 86_400_000);
    expect(parseDuration('1w')).toBe(7 * 86_400_000);
    for (const v of ['', 'd', '2', '2x', '-2d', '1.5h', '2d3h']) expect(parseDuration(v), v).toBeUndefined();
  });

  it('names the parameter in its error', () => {
    expect(() => parseTimeBound('soon', 'until', NOW)).toThrow(/^api: until must be/);
  });
});
