/** Date formats the published feeds use: RFC 822 for RSS 2.0, RFC 3339 for Atom and JSON Feed. */
import { PublishError } from '../errors';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The date an ISO string names, when it is one with a four-digit year (both RFCs need that). */
function parse(iso: string | undefined): Date | undefined {
  if (iso === undefined) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999 ? date : undefined;
}

/** An RFC 822 date with a four-digit year in UTC, e.g. `Fri, 27 Nov 2026 13:51:02 +0000`, or undefined. */
export function rfc822(iso: string | undefined): string | undefined {
  const d = parse(iso);
  if (d === undefined) return undefined;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  const day = `${WEEKDAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return `${day} ${time} +0000`;
}

/** An RFC 3339 UTC timestamp, e.g. `2026-11-27T13:51:02Z` (milliseconds kept when non-zero), or undefined. */
export function rfc3339(iso: string | undefined): string | undefined {
  const d = parse(iso);
  if (d === undefined) return undefined;
  const full = d.toISOString();
  return full.endsWith('.000Z') ? `${full.slice(0, -5)}Z` : full;
}

/** As rfc3339, for a date the feed cannot do without: a PublishError names the field when it is not a date. */
export function requiredRfc3339(iso: string, what: string): string {
  const out = rfc3339(iso);
  if (out === undefined) throw new PublishError(`${what} is not a date: ${JSON.stringify(iso)}`);
  return out;
}

/** As rfc822, for a date the feed cannot do without: a PublishError names the field when it is not a date. */
export function requiredRfc822(iso: string, what: string): string {
  const out = rfc822(iso);
  if (out === undefined) throw new PublishError(`${what} is not a date: ${JSON.stringify(iso)}`);
  return out;
}
