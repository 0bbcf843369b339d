/**
 * RSS 2.0 (https://www.rssboard.org/rss-specification) generator. Atom's `link` gives the feed's
 * self and hub URLs, content:encoded the full HTML, dc:creator the authors, and the
 * `tributary:` namespace the sources beyond the first (RSS 2.0's `<source>` holds only one).
 */
import type { Item } from '../model';
import { requiredRfc822, rfc822 } from './dates';
import { feedUrl, itemSources, itemUrn, knownLength, sourceName } from './links';
import type { FeedMeta, SourceInfo } from './types';
import { textToHtml, XmlWriter } from './xml';

/** Namespace of Tributary's own RSS elements. */
export const TRIBUTARY_NS = 'https://tributary.dev/ns/1.0';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:tributary': TRIBUTARY_NS,
};

/** The item's RSS description (HTML): summary HTML, else content HTML, else the plain summary as HTML. */
function description(item: Item): string | undefined {
  if (item.summaryHtml !== undefined) return item.summaryHtml;
  if (item.contentHtml !== undefined) return item.contentHtml;
  return item.summaryText === undefined ? undefined : textToHtml(item.summaryText);
}

function writeItem(xml: XmlWriter, item: Item, sources: ReadonlyMap<string, SourceInfo>): void {
  xml.start('item');
  xml.text('title', item.title);
  xml.text('link', item.url);
  xml.text('guid', itemUrn(item.id), { isPermaLink: 'false' });
  xml.text('pubDate', rfc822(item.published) ?? requiredRfc822(item.sortDate, `item ${item.id} sortDate`));
  xml.text('description', description(item));
  xml.text('content:encoded', item.contentHtml);
  for (const author of item.authors) {
    const name = author.name?.trim() || author.email?.trim();
    if (name) xml.text('dc:creator', name);
  }
  for (const category of item.categories) {
    if (category.trim() !== '') xml.text('category', category);
  }
  const enclosure = item.enclosures[0];
  if (enclosure !== undefined) {
    const length = knownLength(enclosure.length) ?? 0;
    xml.empty('enclosure', {
      url: enclosure.url,
      length,
      type: enclosure.type?.includes('/') ? enclosure.type : 'application/octet-stream',
    });
  }
  const [first, ...others] = itemSources(sources, item);
  // RSS 2.0's <source> requires a url; a source whose feed URL is unknown goes in tributary:source.
  if (first !== undefined && first.url !== '') xml.text('source', sourceName(first), { url: first.url });
  for (const source of first !== undefined && first.url === '' ? [first, ...others] : others) {
    xml.text('tributary:source', sourceName(source), { url: source.url || undefined, id: source.id });
  }
  xml.end();
}

/**
 * The feed as an RSS 2.0 document. Guids are `urn:tributary:item:<id>` with isPermaLink="false";
 * pubDate is the item's published date, else its sort date; only the first enclosure is written,
 * as RSS 2.0 allows one per item.
 */
export function renderRss(
  items: readonly Item[],
  meta: FeedMeta,
  sources: ReadonlyMap<string, SourceInfo>,
): string {
  const xml = new XmlWriter();
  xml.start('rss', { version: '2.0', ...NAMESPACES });
  xml.start('channel');
  xml.text('title', meta.title);
  xml.text('link', meta.publicUrl);
  xml.text('description', meta.description?.trim() ? meta.description : meta.title);
  xml.text('language', meta.lang);
  xml.text('lastBuildDate', requiredRfc822(meta.updated, 'feed updated'));
  xml.text('generator', meta.generator);
  xml.text('docs', 'https://www.rssboard.org/rss-specification');
  xml.empty('atom:link', { href: feedUrl(meta, 'rss'), rel: 'self', type: 'application/rss+xml' });
  if (meta.hub !== undefined) xml.empty('atom:link', { href: meta.hub, rel: 'hub' });
  for (const item of items) writeItem(xml, item, sources);
  xml.end();
  xml.end();
  return xml.toString();
}
