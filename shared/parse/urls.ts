/** URL resolution with the WHATWG parser, leaving what cannot be resolved as given. */

/**
 * `href` resolved against `base` with the WHATWG URL parser; `href` as given (trimmed) when there is no
 * base or it cannot be resolved.
 */
export function resolveUrl(href: string, base: string | undefined): string {
  const h = href.trim();
  if (base === undefined) return h;
  try {
    return new URL(h, base).href;
  } catch {
    return h;
  }
}

/** `href` made absolute against `base` (or on its own), or undefined when that is not possible. */
export function absoluteUrl(href: string, base?: string): string | undefined {
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** True when `s` is an absolute http(s) URL. */
export function isHttpUrl(s: string): boolean {
  return /^https?:\/\/\S/i.test(s);
}
