/**
 * Atom 1.0 (RFC 4287) generator. Each entry names its first source in `<source>` (RFC 4287
 * 4.2.11, the standard way to attribute a copied entry) and every further source in a
 * `<link rel="via">`. Output validates against the RFC's RELAX NG schema.
 */
import type { Enclosure, Item, Person } from '../model';
import { requiredRfc3339, rfc3339 } from './dates';
import { feedId, feedUrl, itemSources, itemUrn, knownLength, sourceName, sourceUrn } from './links';
import type { FeedMeta, SourceInfo } from './types';
import { textToHtml, XmlWriter } from './xml';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
/** RFC 4287 atomLanguageTag. */
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
/** RFC 4287 atomMediaType. */
const MEDIA_TYPE = /^.+\/.+$/;
/** RFC 4287 atomEmailAddress. */
const EMAIL = /^.+@.+$/;

/** A language tag RFC 4287 accepts, else undefined. */
function languageTag(lang: string | undefined): string | undefined {
  return lang !== undefined && LANGUAGE_TAG.test(lang) ? lang : undefined;
}

function writePerson(xml: XmlWriter, person: Person): boolean {
  const email = person.email?.trim();
  const name = person.name?.trim() || email || person.url?.trim();
  if (!name) return false;
  xml.start('author');
  xml.text('name', name);
  xml.text('uri', person.url?.trim() || undefined);
  xml.text('email', email && EMAIL.test(email) ? email : undefined);
  xml.end();
  return true;
}

function writeEnclosure(xml: XmlWriter, enclosure: Enclosure): void {
  xml.empty('link', {
    rel: 'enclosure',
    href: enclosure.url,
    type: enclosure.type !== undefined && MEDIA_TYPE.test(enclosure.type) ? enclosure.type : undefined,
    length: knownLength(enclosure.length),
    title: enclosure.title,
  });
}

/**
 * The entry's content as HTML. RFC 4287 4.1.1 requires content when there is no alternate link,
 * so an item without a URL or content HTML carries its summary (or nothing) as content.
 */
function contentHtml(item: Item): string | undefined {
  if (item.contentHtml !== undefined || item.url !== undefined) return item.contentHtml;
  if (item.summaryHtml !== undefined) return item.summaryHtml;
  return textToHtml(item.summaryText ?? '');
}

function writeEntry(xml: XmlWriter, item: Item, meta: FeedMeta, sources: ReadonlyMap<string, SourceInfo>): void {
  const lang = languageTag(item.lang);
  const differs = lang !== undefined && lang.toLowerCase() !== languageTag(meta.lang)?.toLowerCase();
  xml.start('entry', differs ? { 'xml:lang': lang } : undefined);
  xml.text('id', itemUrn(item.id));
  xml.text('title', item.title, { type: 'text' });
  xml.text('updated', rfc3339(item.updated) ?? requiredRfc3339(item.sortDate, `item ${item.id} sortDate`));
  xml.text('published', rfc3339(item.published));
  if (item.url !== undefined) xml.empty('link', { rel: 'alternate', href: item.url });

  const [first, ...others] = itemSources(sources, item);
  let hasAuthor = false;
  for (const person of item.authors) hasAuthor = writePerson(xml, person) || hasAuthor;
  if (!hasAuthor) writePerson(xml, { name: first === undefined ? meta.title : sourceName(first) });

  for (const category of item.categories) {
    if (category.trim() !== '') xml.empty('category', { term: category });
  }
  for (const enclosure of item.enclosures) writeEnclosure(xml, enclosure);
  if (item.summaryHtml !== undefined) xml.text('summary', item.summaryHtml, { type: 'html' });
  else xml.text('summary', item.summaryText, { type: 'text' });
  xml.text('content', contentHtml(item), { type: 'html' });

  if (first !== undefined) {
    xml.start('source');
    xml.text('id', sourceUrn(first.id));
    xml.text('title', sourceName(first), { type: 'text' });
    if (first.url !== '') xml.empty('link', { rel: 'self', href: first.url });
    if (first.siteUrl) xml.empty('link', { rel: 'alternate', href: first.siteUrl });
    // When Tributary last copied the entry from its sources: the best-known moment the source held it.
    xml.text('updated', rfc3339(item.changedAt));
    xml.end();
  }
  for (const source of others) {
    const href = source.siteUrl || source.url || sourceUrn(source.id);
    xml.empty('link', { rel: 'via', href, title: sourceName(source) });
  }
  xml.end();
}

/**
 * The feed as an Atom 1.0 document. The feed id is the Atom self URL; entry ids are
 * `urn:tributary:item:<id>`; an entry without authors gets its first source as author.
 */
export function renderAtom(
  items: readonly Item[],
  meta: FeedMeta,
  sources: ReadonlyMap<string, SourceInfo>,
): string {
  const xml = new XmlWriter();
  xml.start('feed', { xmlns: ATOM_NS, 'xml:lang': languageTag(meta.lang) });
  xml.text('id', feedId(meta));
  xml.text('title', meta.title, { type: 'text' });
  if (meta.description?.trim()) xml.text('subtitle', meta.description, { type: 'text' });
  xml.text('updated', requiredRfc3339(meta.updated, 'feed updated'));
  xml.empty('link', { rel: 'self', type: 'application/atom+xml', href: feedUrl(meta, 'atom') });
  xml.empty('link', { rel: 'alternate', href: meta.publicUrl });
  if (meta.hub !== undefined) xml.empty('link', { rel: 'hub', href: meta.hub });
  xml.text('generator', meta.generator);
  for (const item of items) writeEntry(xml, item, meta, sources);
  xml.end();
  return xml.toString();
}
