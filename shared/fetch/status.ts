/**
 * Response status and header helpers: the typed error for a failing status (with Retry-After),
 * redirect detection, and single-valued header access.
 */
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import { GoneError, HttpStatusError } from '../errors';

/** Statuses that carry a Location to follow. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** True for a redirect status that is followed (when a Location is present). */
export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** True for redirects that mean "the resource moved for good" (the source URL may be updated). */
export function isPermanentRedirect(status: number): boolean {
  return status === 301 || status === 308;
}

/** The first value of a header, trimmed; undefined when absent or empty. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name.toLowerCase()];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Milliseconds to wait from a Retry-After value: delta-seconds ("120") or an HTTP-date (relative
 * to `now`, never negative). Undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP-date (IMF-fixdate, RFC 850 or asctime) always has a month name and an hh:mm:ss time;
  // requiring both keeps Date.parse's leniency ("-5" as year -5) out.
  if (!/[a-z]{3}/i.test(text) || !/\d{2}:\d{2}:\d{2}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The typed error for a non-success status: `GoneError` for 410, else `HttpStatusError` ("404 Not Found"). */
export function statusError(status: number, headers: IncomingHttpHeaders): HttpStatusError {
  if (status === 410) return new GoneError();
  const reason = STATUS_CODES[status] ?? 'Unknown Status';
  return new HttpStatusError(status, `${status} ${reason}`, parseRetryAfter(headerValue(headers, 'retry-after')));
}
