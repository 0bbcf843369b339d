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

/** YYYY-MM-DD, optionally with Thh:mm[:ss[.fff]] and a zone (Z or ±hh:mm); nothing else. */
const ISO_BOUND = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A time bound: an ISO date/time, or a duration meaning "that long before now". */
export function parseTimeBound(raw: string, name: string, now = new Date()): string {
  const ago = parseDuration(raw);
  if (ago !== undefined) return new Date(now.getTime() - ago).toISOString();
  const bad = () => new QueryError(`${name} must be an ISO date (2026-11-27T00:00:00Z) or a duration like 2d, 12h; got "${raw}"`);
  const m = ISO_BOUND.exec(raw.trim());
  if (!m) throw bad();
  const [, y, mo, d, time, zone] = m;
  const t = Date.parse(`${y}-${mo}-${d}${time ?? 'T00:00:00'}${zone ?? (time ? 'Z' : 'Z')}`);
  if (Number.isNaN(t)) throw bad();
  // Date.parse rolls impossible days over (02-30 → 03-02): the calendar date must survive unchanged.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) throw bad();
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

/** A `GET /items` request: the store query, and the tag whose sources it is limited to, when given. */
export interface ItemListQuery {
  query: NewestQuery;
  tag?: string;
}

/** As parseItemQuery, plus `tag` (the items of the sources carrying an OPML tag); `tag` and `source` exclude each other. */
export function parseItemListQuery(params: URLSearchParams, now = new Date()): ItemListQuery {
  const known = ['limit', 'source', 'tag', 'since', 'until', 'cursor'];
  for (const key of params.keys()) if (!known.includes(key)) throw new QueryError(`unknown parameter "${key}" (known: ${known.join(', ')})`);
  const tag = params.get('tag');
  if (tag === null) return { query: parseItemQuery(params, now) };
  if (params.has('source')) throw new QueryError('give either tag or source, not both');
  if (tag.trim() === '' || tag.length > 200) throw new QueryError(`tag must be a tag of the sources file; got "${tag}"`);
  const rest = new URLSearchParams(params);
  rest.delete('tag');
  return { query: parseItemQuery(rest, now), tag: tag.trim() };
}
