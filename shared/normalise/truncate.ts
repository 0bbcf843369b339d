/** Cutting text and HTML to a length without breaking words, characters or markup. */
import { sanitizeHtml } from './sanitize';

const ELLIPSIS = '…';

/** Index ≤ `at` that does not split a UTF-16 surrogate pair. */
function safeCut(s: string, at: number): number {
  const code = s.charCodeAt(at - 1);
  return at > 0 && code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * `text` cut to at most `max` characters at a word boundary, ending with "…"; unchanged when it fits.
 * A single overlong word is cut mid-word rather than dropped.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = safeCut(text, max - ELLIPSIS.length);
  const head = text.slice(0, room);
  // Cut at the last whitespace, unless that throws away more than half the allowance.
  const lastSpace = /\s/.test(text[room] ?? '') ? room : head.search(/\s\S*$/);
  const cut = lastSpace > room / 2 ? head.slice(0, lastSpace) : head;
  return cut.replace(/[\s.,;:!?\-–—]+$/u, '') + ELLIPSIS;
}

/**
 * Markup cut at the last tag start at or before `at`, so no tag is split. Markup with no tag before
 * `at` is cut inside its text instead, never splitting an entity or a surrogate pair.
 */
export function cutAtTagBoundary(html: string, at: number): string {
  if (html.length <= at) return html;
  const lt = html.lastIndexOf('<', at);
  if (lt > 0) return html.slice(0, lt);
  let cut = safeCut(html, at);
  const amp = html.lastIndexOf('&', cut - 1);
  if (amp !== -1 && !html.slice(amp, cut).includes(';')) cut = amp;
  return html.slice(0, cut);
}

/**
 * Sanitised HTML cut to at most `max` characters: cut at the last tag boundary and sanitised again,
 * which closes the elements left open; unchanged when it fits.
 */
export function truncateHtml(html: string, max: number): string {
  if (html.length <= max) return html;
  let budget = max;
  for (;;) {
    const cut = sanitizeHtml(cutAtTagBoundary(html, budget));
    if (cut.length <= max || budget === 0) return cut;
    budget = Math.max(0, budget - (cut.length - max) - 64);
  }
}
