/**
 * Sources as OPML 2.0 (http://opml.org/spec2.opml), the format every feed reader imports and exports.
 * Each feed is an `<outline type="rss" xmlUrl=… title=… htmlUrl=… category=…>`; Tributary keeps its
 * stable id in a namespaced attribute `tributary:id`, which other readers ignore. Folder outlines
 * (outlines without xmlUrl that contain others) become tags of the feeds inside them.
 */
import sax from 'sax';
import { SourcesError } from '../errors';
import type { CaptureMode, Source } from '../model';

/** The namespace of Tributary's own OPML attributes. */
export const TRIBUTARY_OPML_NS = 'https://tributary.dev/ns/opml/1.0';

/** A parsed sources file: its title and its feeds, in document order. */
export interface SourceList {
  title: string;
  sources: Source[];
}

/** Turns a URL into a readable id: host plus path, lower-case, non-alphanumerics folded to '-'. */
export function idFromUrl(url: string): string {
  let text = url;
  try {
    const u = new URL(url);
    text = `${u.hostname.replace(/^www\./, '')}${u.pathname}${u.search}`;
  } catch {
    /* not a URL: slug the text as it is */
  }
  const slug = text.toLowerCase().replace(/\.(xml|rss|atom|json|php|cgi)$/, '').replace(/[^a-z0-9]+/g, '-');
  return slug.replace(/^-+|-+$/g, '').slice(0, 64) || 'source';
}

/** The first of base, base-2, base-3 … not in `taken`, cut so that it stays within 64 characters. */
export function uniqueSourceId(base: string, taken: Set<string>): string {
  let id = base.slice(0, 64);
  for (let n = 2; taken.has(id); n++) {
    const suffix = `-${n}`;
    id = `${base.slice(0, 64 - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  return id;
}

/** True for ids the CLI and the table accept: 1-64 chars of a-z, 0-9, '-', '_', '.'. */
export function isValidSourceId(id: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{0,63}$/.test(id);
}

/** Checks that a feed URL is absolute http(s); returns it normalised by the URL parser. */
export function validFeedUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new SourcesError(`not an absolute URL: "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SourcesError(`only http and https feeds are supported: "${raw}"`);
  return u.href;
}

function splitCategories(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((c) => c.trim().replace(/^\/+|\/+$/g, ''))
    .filter(Boolean);
}

/** The `tributary:capture` attribute: off (default), always or short; anything else is a SourcesError. */
export function captureMode(raw: string | undefined): CaptureMode {
  const value = (raw ?? 'off').trim().toLowerCase() || 'off';
  if (value === 'off' || value === 'always' || value === 'short') return value;
  throw new SourcesError(`tributary:capture must be off, always or short, got "${raw}"`);
}

/** Parses OPML text into sources; ids are taken from `tributary:id` or derived and made unique. */
export function parseOpml(text: string): SourceList {
  const parser = sax.parser(true, { xmlns: true, trim: false });
  const sources: Source[] = [];
  const folders: (string | undefined)[] = [];
  let title = '';
  let inTitle = false;
  let sawOpml = false;
  parser.onerror = (err) => {
    throw new SourcesError(`OPML is not well-formed: ${err.message.split('\n')[0]}`, { cause: err });
  };
  parser.onopentag = (node) => {
    const tag = node as sax.QualifiedTag;
    if (tag.local === 'opml') sawOpml = true;
    if (tag.local === 'title' && folders.length === 0) inTitle = true;
    if (tag.local !== 'outline') return;
    const attr = (name: string, ns = ''): string | undefined => {
      for (const a of Object.values(tag.attributes)) if (a.local === name && a.uri === ns) return a.value;
      return undefined;
    };
    const xmlUrl = attr('xmlUrl') ?? attr('xmlurl') ?? attr('url');
    const label = (attr('title') ?? attr('text') ?? '').trim();
    if (!xmlUrl) {
      folders.push(label || undefined);
      return;
    }
    folders.push(undefined);
    const url = validFeedUrl(xmlUrl);
    const folderTags = folders.filter((f): f is string => Boolean(f));
    const tags = [...new Set([...folderTags, ...splitCategories(attr('category'))])];
    const given = attr('id', TRIBUTARY_OPML_NS)?.trim();
    if (given !== undefined && !isValidSourceId(given)) throw new SourcesError(`invalid source id "${given}"`);
    const htmlUrl = attr('htmlUrl') ?? attr('htmlurl');
    const capture = captureMode(attr('capture', TRIBUTARY_OPML_NS));
    sources.push({ id: given ?? '', url, title: label || url, tags, ...(htmlUrl ? { siteUrl: htmlUrl } : {}), ...(capture !== 'off' ? { capture } : {}) });
  };
  parser.onclosetag = (name) => {
    if (name === 'outline') folders.pop();
    if (name === 'title') inTitle = false;
  };
  parser.ontext = (t) => {
    if (inTitle) title += t;
  };
  parser.write(text).close();
  if (!sawOpml) throw new SourcesError('not an OPML document: no <opml> root');
  return { title: title.trim(), sources: assignIds(sources) };
}

/** Fills missing ids from the URL and rejects duplicate ids or URLs. */
function assignIds(sources: Source[]): Source[] {
  const ids = new Set(sources.map((s) => s.id).filter(Boolean));
  const urls = new Set<string>();
  for (const s of sources) {
    if (urls.has(s.url)) throw new SourcesError(`feed listed twice: ${s.url}`);
    urls.add(s.url);
    if (s.id) continue;
    const id = uniqueSourceId(idFromUrl(s.url), ids);
    ids.add(id);
    s.id = id;
  }
  const seen = new Set<string>();
  for (const s of sources) {
    if (seen.has(s.id)) throw new SourcesError(`duplicate source id "${s.id}"`);
    seen.add(s.id);
  }
  return sources;
}

function escapeAttr(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');
}

/** Serialises sources as OPML 2.0 with `tributary:id` on each outline (stable, diff-friendly). */
export function serializeOpml(list: SourceList, now: Date = new Date()): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<opml version="2.0" xmlns:tributary="${TRIBUTARY_OPML_NS}">`,
    '  <head>',
    `    <title>${escapeAttr(list.title || 'Tributary sources')}</title>`,
    `    <dateModified>${now.toUTCString()}</dateModified>`,
    '  </head>',
    '  <body>',
  ];
  for (const s of list.sources) {
    const attrs = [
      `type="rss"`,
      `tributary:id="${escapeAttr(s.id)}"`,
      `text="${escapeAttr(s.title)}"`,
      `title="${escapeAttr(s.title)}"`,
      `xmlUrl="${escapeAttr(s.url)}"`,
    ];
    if (s.siteUrl) attrs.push(`htmlUrl="${escapeAttr(s.siteUrl)}"`);
    if (s.capture && s.capture !== 'off') attrs.push(`tributary:capture="${s.capture}"`);
    // OPML's category attribute is comma-separated with no escape, so a tag with a comma in it is
    // written as an enclosing folder outline instead (folders become tags when read back).
    const plain = s.tags.filter((t) => !t.includes(','));
    const folders = s.tags.filter((t) => t.includes(','));
    if (plain.length) attrs.push(`category="${escapeAttr(plain.map((t) => `/${t}`).join(','))}"`);
    const indent = (depth: number) => '  '.repeat(depth + 2);
    folders.forEach((f, i) => lines.push(`${indent(i)}<outline text="${escapeAttr(f)}">`));
    lines.push(`${indent(folders.length)}<outline ${attrs.join(' ')}/>`);
    for (let i = folders.length - 1; i >= 0; i--) lines.push(`${indent(i)}</outline>`);
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}
