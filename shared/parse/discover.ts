/** Feed autodiscovery in HTML pages: the `<link rel="alternate">` feeds a page advertises. */
import { Parser } from 'htmlparser2';
import { absoluteUrl, resolveUrl } from './urls';

/** MIME types of advertised feeds (RSS, Atom, JSON Feed). */
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'application/rdf+xml',
  'application/x.atom+xml',
  'application/x-atom+xml',
]);

/**
 * The hrefs of `<link rel="alternate" type="...feed type...">` in `html`, resolved against the page's
 * `<base href>` (itself resolved against `pageUrl`) or `pageUrl`, without duplicates, in document order.
 */
export function discoverFeedLinks(html: string, pageUrl?: string): string[] {
  const hrefs: string[] = [];
  let base = pageUrl !== undefined ? absoluteUrl(pageUrl) : undefined;
  let sawBase = false;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'base' && !sawBase && attribs['href'] !== undefined) {
          sawBase = true;
          base = absoluteUrl(attribs['href'], base) ?? base;
          return;
        }
        if (name !== 'link') return;
        const rel = (attribs['rel'] ?? '').toLowerCase().split(/\s+/);
        const type = (attribs['type'] ?? '').toLowerCase().split(';', 1)[0]?.trim() ?? '';
        const href = attribs['href']?.trim();
        if (!rel.includes('alternate') || !FEED_TYPES.has(type) || !href) return;
        hrefs.push(href);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  // The first <base href> applies to the whole document, wherever it appears.
  return [...new Set(hrefs.map((href) => resolveUrl(href, base)))];
}
