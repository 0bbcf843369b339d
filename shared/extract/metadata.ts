/**
 * Page metadata from the markup, before Readability rewrites the document: JSON-LD (NewsArticle,
 * Article, BlogPosting…), OpenGraph / Twitter / Dublin Core meta, `<meta name=author>`,
 * `<time datetime>`, itemprop microdata and `<html lang>`. Values are raw strings; callers normalise.
 */
import { type DomDocument, selectAll } from './dom';

/** Raw metadata candidates found in a page, best source first for each field. */
export interface PageMetadata {
  title?: string;
  byline?: string;
  published?: string;
  image?: string;
  description?: string;
  siteName?: string;
  lang?: string;
  /** The JSON-LD articleBody, when the page carries one (a fallback text). */
  articleBody?: string;
}

/** JSON-LD types that describe an article. */
const ARTICLE_TYPES = /^(?:[a-z]*NewsArticle|Article|BlogPosting|Report|ScholarlyArticle|TechArticle|LiveBlogPosting|SocialMediaPosting|WebPage)$/i;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every object in a JSON-LD value, following arrays and @graph. */
function ldObjects(value: Json, out: { [key: string]: Json }[] = [], depth = 0): { [key: string]: Json }[] {
  if (depth > 4) return out;
  if (Array.isArray(value)) for (const v of value) ldObjects(v, out, depth + 1);
  else if (isObject(value)) {
    out.push(value);
    const graph = value['@graph'];
    if (graph !== undefined) ldObjects(graph, out, depth + 1);
  }
  return out;
}

function typesOf(obj: { [key: string]: Json }): string[] {
  const t = obj['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

/** First non-empty string in a JSON-LD value: a string, {name}/{url}/{@id}, or an array of those. */
function ldString(value: Json | undefined, keys: readonly string[] = ['name']): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const s = ldString(v, keys);
      if (s) return s;
    }
    return undefined;
  }
  if (isObject(value)) for (const k of keys) {
    const s = ldString(value[k], keys);
    if (s) return s;
  }
  return undefined;
}

/** Names of JSON-LD authors, joined with commas. */
function ldAuthors(value: Json | undefined): string | undefined {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const names = list.map((v) => ldString(v, ['name'])).filter((s): s is string => !!s && !/^https?:/i.test(s));
  return names.length ? [...new Set(names)].join(', ') : undefined;
}

/** Parses one JSON-LD script body leniently (CDATA wrappers, trailing semicolons); undefined when invalid. */
function parseLd(raw: string): Json | undefined {
  const body = raw.replace(/^\s*(?:\/\/\s*)?<!\[CDATA\[|\]\]>\s*$/g, '').trim().replace(/;\s*$/, '');
  try {
    return JSON.parse(body) as Json;
  } catch {
    return undefined;
  }
}

/** Article metadata from the page's JSON-LD (the first article-typed object wins, WebPage last). */
export function jsonLdMetadata(doc: DomDocument): PageMetadata {
  const objects: { [key: string]: Json }[] = [];
  for (const script of selectAll(doc, 'script[type="application/ld+json"]')) {
    const parsed = parseLd(script.textContent ?? '');
    if (parsed !== undefined) ldObjects(parsed, objects);
  }
  const articles = objects.filter((o) => typesOf(o).some((t) => ARTICLE_TYPES.test(t)));
  articles.sort((a, b) => Number(typesOf(a).includes('WebPage')) - Number(typesOf(b).includes('WebPage')));
  const a = articles[0];
  if (!a) return {};
  return {
    title: ldString(a.headline) ?? ldString(a.name),
    byline: ldAuthors(a.author) ?? ldAuthors(a.creator),
    published: ldString(a.datePublished) ?? ldString(a.dateCreated),
    image: ldString(a.image, ['url', 'contentUrl', '@id']) ?? ldString(a.thumbnailUrl, ['url']),
    description: ldString(a.description),
    siteName: ldString(a.publisher, ['name']),
    lang: ldString(a.inLanguage, ['alternateName', 'name']),
    articleBody: ldString(a.articleBody),
  };
}

/** The content of the first `<meta>` whose property/name/itemprop is one of `keys` (in key order). */
function metaContent(doc: DomDocument, keys: readonly string[]): string | undefined {
  const found = new Map<string, string>();
  for (const meta of selectAll(doc, 'meta')) {
    const content = meta.getAttribute('content')?.trim();
    if (!content) continue;
    for (const attr of ['property', 'name', 'itemprop', 'http-equiv']) {
      const key = meta.getAttribute(attr)?.trim().toLowerCase();
      if (key && !found.has(key)) found.set(key, content);
    }
  }
  for (const k of keys) {
    const v = found.get(k);
    if (v) return v;
  }
  return undefined;
}

/** Metadata from meta tags, `<time>`, itemprop microdata and `<html lang>`. */
export function markupMetadata(doc: DomDocument): PageMetadata {
  const timeEl = selectAll(doc, '[itemprop="datePublished"], time[pubdate], article time[datetime], time[datetime]')[0];
  const time = timeEl ? (timeEl.getAttribute('datetime') ?? timeEl.getAttribute('content') ?? undefined) : undefined;
  const authorEl = selectAll(doc, '[itemprop="author"] [itemprop="name"], [itemprop="author"], [rel="author"]')[0];
  const author = metaContent(doc, ['author', 'dc.creator', 'dcterms.creator', 'sailthru.author', 'parsely-author', 'article:author'])
    ?? authorEl?.textContent?.replace(/\s+/g, ' ').trim();
  return {
    title: metaContent(doc, ['og:title', 'twitter:title', 'dc.title', 'dcterms.title', 'headline']) ?? (doc.title.trim() || undefined),
    byline: author && !/^https?:/i.test(author) && author.length < 200 ? author : undefined,
    published: metaContent(doc, ['article:published_time', 'og:article:published_time', 'datepublished', 'parsely-pub-date',
      'sailthru.date', 'dc.date', 'dc.date.issued', 'dcterms.created', 'dcterms.date', 'pubdate', 'publishdate', 'date']) ?? time,
    image: metaContent(doc, ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src', 'thumbnailurl']),
    description: metaContent(doc, ['og:description', 'twitter:description', 'description', 'dc.description']),
    siteName: metaContent(doc, ['og:site_name', 'application-name']),
    lang: doc.documentElement?.getAttribute('lang') ?? doc.documentElement?.getAttribute('xml:lang')
      ?? metaContent(doc, ['content-language', 'og:locale', 'language']) ?? undefined,
  };
}

/** JSON-LD first, markup second, field by field. */
export function pageMetadata(doc: DomDocument): PageMetadata {
  const ld = jsonLdMetadata(doc);
  const markup = markupMetadata(doc);
  const out: PageMetadata = {};
  for (const key of ['title', 'byline', 'published', 'image', 'description', 'siteName', 'lang', 'articleBody'] as const) {
    const v = ld[key] ?? markup[key];
    if (v) out[key] = v;
  }
  return out;
}
