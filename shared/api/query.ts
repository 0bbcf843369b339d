/** Parsing and checking the query parameters of `GET /items`. */
import { TributaryError } from '../errors';
import type { NewestQuery } from '../store/ports';

/** A bad query parameter (answered with 400). */
export class QueryError extends TributaryError {
  constructor(message: string) {
    super('api', message);
  }
}

const MAX_LIMIT = 500;

/** Parses a relative duration like "2d", "12h", "30m", "1w" into milliseconds, or undefined. */
export function parseDuration(raw: string): number | undefined {
  const m = /^(\d{1,6})\s*([smhdw])$/i.exec(raw.trim());
  if (!m) return undefined;
  const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[(m[2] as string).toLowerCase() as 's'];
  return Number(m[1]) * unit;
}

/** A time bound: an ISO date/time, or a duration meaning "that long before now". */
export function parseTimeBound(raw: string, name: string, now = new Date()): string {
  const ago = parseDuration(raw);
  if (ago !== undefined) return new Date(now.getTime() - ago).toISOString();
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(t)) throw new QueryError(`${name} must be an ISO date (2026-11-27T00:00:00Z) or a duration like 2d, 12h; got "${raw}"`);
  return new Date(t).toISOString();
}

/** Builds the store query from URL parameters: limit, source, since, until, cursor. */
export function parseItemQuery(params: URLSearchParams, now = new Date()): NewestQuery {
  const known = new Set(['limit', 'source', 'since', 'until', 'cursor']);
  for (const key of params.keys()) if (!known.has(key)) throw new QueryError(`unknown parameter "${key}" (known: ${[...known].join(', ')})`);
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new QueryError(`limit must be an integer from 1 to ${MAX_LIMIT}; got "${rawLimit}"`);
  const query: NewestQuery = { limit };
  const source = params.get('source');
  if (source !== null) {
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(source)) throw new QueryError(`source must be a source id; got "${source}"`);
    query.sourceId = source;
  }
  const since = params.get('since');
  if (since !== null) query.since = parseTimeBound(since, 'since', now);
  const until = params.get('until');
  if (until !== null) query.until = parseTimeBound(until, 'until', now);
  const cursor = params.get('cursor');
  if (cursor !== null) {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new QueryError('cursor is not one this API returned');
    query.cursor = cursor;
  }
  return query;
}
