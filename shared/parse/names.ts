/** Namespace URIs the parser recognises, matched by URI (never by prefix). */

/** Atom 1.0 (RFC 4287). */
export const ATOM10 = 'http://www.w3.org/2005/Atom';
/** Atom 0.3 (pre-standard). */
export const ATOM03 = 'http://purl.org/atom/ns#';
/** RSS 1.0 (RDF Site Summary). */
export const RSS10 = 'http://purl.org/rss/1.0/';
/** RSS 0.90 (Netscape RDF). */
export const RSS090 = 'http://my.netscape.com/rdf/simple/0.9/';
/** RDF syntax (rdf:RDF, rdf:about, rdf:resource). */
export const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
/** Dublin Core elements 1.1. */
export const DC = 'http://purl.org/dc/elements/1.1/';
/** Dublin Core terms. */
export const DCTERMS = 'http://purl.org/dc/terms/';
/** RSS content module (content:encoded). */
export const CONTENT = 'http://purl.org/rss/1.0/modules/content/';
/** Media RSS. */
export const MEDIA = 'http://search.yahoo.com/mrss/';
/** Apple podcasts (itunes:*). */
export const ITUNES = 'http://www.itunes.com/dtds/podcast-1.0.dtd';
/** XHTML (xhtml:body, Atom xhtml div). */
export const XHTML = 'http://www.w3.org/1999/xhtml';
/** FeedBurner (feedburner:origLink). */
export const FEEDBURNER = 'http://rssnamespace.org/feedburner/ext/1.0';
/** The XML namespace (xml:base, xml:lang). */
export const XML = 'http://www.w3.org/XML/1998/namespace';

/** Alternative URIs seen in real feeds, mapped to the canonical URI above. */
const URI_ALIASES: Record<string, string> = {
  'http://search.yahoo.com/mrss': MEDIA,
  'https://search.yahoo.com/mrss/': MEDIA,
  'http://www.rssboard.org/media-rss': MEDIA,
  'http://www.rssboard.org/media-rss/': MEDIA,
  'http://purl.org/dc/elements/1.0/': DC,
  'http://purl.org/rss/1.0/modules/content': CONTENT,
  'https://www.itunes.com/dtds/podcast-1.0.dtd': ITUNES,
  'http://www.itunes.com/dtds/podcast-1.0.dtd/': ITUNES,
  'http://www.itunes.com/DTDs/Podcast-1.0.dtd': ITUNES,
  'http://example.com/DTDs/PodCast-1.0.dtd': ITUNES,
  'http://purl.org/atom/ns': ATOM03,
  // Namespaces of the pre-0.3 Atom drafts (Echo, Pie, Necho), read as Atom 0.3.
  'http://example.com/newformat#': ATOM03,
  'http://example.com/necho': ATOM03,
  'http://purl.org/echo/': ATOM03,
  'http://purl.org/pie/': ATOM03,
  'uri/of/echo/namespace#': ATOM03,
  'http://www.w3.org/2005/atom': ATOM10,
  'http://my.netscape.com/rdf/simple/0.9': RSS090,
  'http://purl.org/rss/1.0': RSS10,
};

/** Prefixes used without a declaration in broken feeds, mapped to the URI they conventionally mean. */
const CONVENTIONAL_PREFIXES: Record<string, string> = {
  dc: DC,
  dcterms: DCTERMS,
  content: CONTENT,
  media: MEDIA,
  itunes: ITUNES,
  atom: ATOM10,
  atom10: ATOM10,
  feedburner: FEEDBURNER,
  rdf: RDF,
  xhtml: XHTML,
};

/** Known URIs (canonical and aliases) by their lower-case spelling: feeds vary the case (iTunes' "PodCast-1.0.dtd"). */
const CANONICAL: ReadonlySet<string> = new Set([ATOM10, ATOM03, RSS10, RSS090, RDF, DC, DCTERMS, CONTENT, MEDIA, ITUNES, XHTML, FEEDBURNER, XML]);
const BY_LOWER_CASE: ReadonlyMap<string, string> = new Map([
  ...[...CANONICAL].map((u) => [u.toLowerCase(), u] as const),
  ...Object.entries(URI_ALIASES).flatMap(([alias, u]) => [[alias, u], [alias.toLowerCase(), u]] as const),
]);

/** A known URI by its spelling, or by its lower-case spelling. */
function known(uri: string): string | undefined {
  return BY_LOWER_CASE.get(uri) ?? BY_LOWER_CASE.get(uri.toLowerCase());
}

/**
 * The canonical namespace URI for `uri` as declared; an undeclared `prefix` falls back to its conventional URI.
 * A declared URI that misses or adds only a trailing `/` of a known one (`http://purl.org/dc/elements/1.1`) is
 * that namespace: feeds get the slash wrong, and no other vocabulary lives at the slash-less spelling.
 */
export function canonicalUri(uri: string, prefix: string, bound: boolean): string {
  if (!bound) return CONVENTIONAL_PREFIXES[prefix.toLowerCase()] ?? uri;
  if (uri === '' || CANONICAL.has(uri)) return uri;
  return known(uri) ?? known(uri.endsWith('/') ? uri.slice(0, -1) : `${uri}/`) ?? uri;
}
