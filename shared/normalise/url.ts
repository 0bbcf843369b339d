/** URL canonicalisation: one spelling per page, so the same story links the same way from every feed. */
import { isTrackingParam } from './tracking-params';

/** RFC 3986 unreserved characters: percent-encoding them changes nothing, so they are decoded. */
const UNRESERVED = /[A-Za-z0-9\-._~]/;
const PERCENT_ESCAPE = /%([0-9a-fA-F]{2})/g;

/** Parse `raw` (trimmed) against `base` with the WHATWG parser; undefined when it does not parse. */
function parseUrl(raw: string | undefined, base?: string): URL | undefined {
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  try {
    return base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    if (!base) return undefined;
    try {
      return new URL(trimmed); // an unusable base must not hide an absolute URL
    } catch {
      return undefined;
    }
  }
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/** Upper-case the hex of every %XX escape and decode the ones that stand for unreserved characters. */
function normalisePercentEncoding(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(PERCENT_ESCAPE, (_, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

function decodedName(param: string): string {
  const eq = param.indexOf('=');
  const name = eq === -1 ? param : param.slice(0, eq);
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** The query without tracking parameters or empty `&&` segments, in the original order, with its `?`. */
function cleanQuery(search: string): string {
  if (search.length <= 1) return '';
  const kept: string[] = [];
  for (const param of search.slice(1).split('&')) {
    if (param === '' || isTrackingParam(decodedName(param))) continue;
    kept.push(normalisePercentEncoding(param));
  }
  return kept.length ? `?${kept.join('&')}` : '';
}

/**
 * Canonical absolute http(s) URL: resolved against `base`, scheme and host lower-cased (IDN hosts in
 * punycode), default port and fragment dropped, tracking parameters removed, percent-encoding
 * normalised. Undefined for anything that is not a usable http(s) URL; never throws.
 */
export function canonicalUrl(raw: string | undefined, base?: string): string | undefined {
  const url = parseUrl(raw, base);
  if (!url || !isHttp(url) || url.hostname === '') return undefined;
  const auth = url.username || url.password
    ? `${url.username}${url.password ? `:${url.password}` : ''}@`
    : '';
  return `${url.protocol}//${auth}${url.host}${normalisePercentEncoding(url.pathname)}${cleanQuery(url.search)}`;
}

/**
 * The WHATWG serialisation of an absolute http(s) URL (resolved against `base` when given), query and
 * fragment kept as the publisher wrote them; undefined for anything else. For media URLs, which may be
 * signed and must not be rewritten.
 */
export function absoluteHttpUrl(raw: string | undefined, base?: string): string | undefined {
  const url = parseUrl(raw, base);
  return url && isHttp(url) && url.hostname !== '' ? url.href : undefined;
}
