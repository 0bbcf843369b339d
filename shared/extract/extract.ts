/**
 * `extractArticle`: the article body of a web page via Mozilla Readability over a linkedom DOM, with
 * boilerplate cleanup around it and metadata from JSON-LD / meta tags.
 */
import { Readability } from '@mozilla/readability';
import { parseDate, toIsoUtc } from '../normalise/dates';
import { normaliseLang } from '../normalise/lang';
import { sanitizeHtml } from '../normalise/sanitize';
import { removeBoilerplateBlocks, removeCaptions, removeLinkBlocks } from './boilerplate';
import { removeBoilerplateLines } from './lines';
import { type DomDocument, type DomNode, parseDocument, selectAll } from './dom';
import { pageMetadata } from './metadata';
import { joinParagraphs, paragraphsOf } from './text';
import { type CleanupSteps, EXTRACT_LIMITS, type ExtractOptions, type ExtractedArticle } from './types';

/** Cleanup steps on by default (each measured on the benchmark; see conformance/suites/extraction.ts). */
export const DEFAULT_CLEANUP: CleanupSteps = { pageBlocks: true, captions: true, linkBlocks: true, lines: true };

/** A string trimmed and whitespace-collapsed, or undefined when empty. */
function clean(s: string | null | undefined): string | undefined {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
}

/** An absolute http(s) URL for `raw` against the page URL, or undefined. */
function absoluteUrl(raw: string | undefined, base: string): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** ISO UTC of the first candidate that parses as a date. */
function isoDate(...candidates: (string | null | undefined)[]): string | undefined {
  for (const c of candidates) {
    const d = c ? parseDate(c) : undefined;
    if (d) return toIsoUtc(d);
  }
  return undefined;
}

/** Readability's result with the content as the live element. */
interface ReadabilityResult {
  title?: string | null;
  byline?: string | null;
  excerpt?: string | null;
  siteName?: string | null;
  lang?: string | null;
  publishedTime?: string | null;
  content?: DomNode | null;
}

/** Runs Readability on the document (mutating it); null when it finds nothing or the page is too big. */
function runReadability(doc: DomDocument): ReadabilityResult | null {
  try {
    const reader = new Readability<DomNode>(doc as never, {
      maxElemsToParse: EXTRACT_LIMITS.maxElements,
      keepClasses: true,
      serializer: (node) => node as unknown as DomNode,
    });
    return reader.parse() as ReadabilityResult | null;
  } catch {
    return null;
  }
}

/** The extracted article of an HTML page fetched from `url`. Pure: no I/O; never throws on bad markup. */
export function extractArticle(html: string, url: string, options: ExtractOptions = {}): ExtractedArticle {
  const steps: CleanupSteps = { ...DEFAULT_CLEANUP, ...options.cleanup };
  const doc = parseDocument(html.length > EXTRACT_LIMITS.maxHtmlChars ? html.slice(0, EXTRACT_LIMITS.maxHtmlChars) : html);
  const meta = pageMetadata(doc);
  const firstTime = selectAll(doc, 'time[datetime]')[0]?.getAttribute('datetime');
  if (steps.pageBlocks) removeBoilerplateBlocks(doc);
  const result = runReadability(doc);
  const content = result?.content ?? null;
  if (content && steps.captions) removeCaptions(content);
  if (content && steps.linkBlocks) removeLinkBlocks(content);
  const title = clean(result?.title) ?? clean(meta.title);
  let paragraphs = content ? paragraphsOf(content) : [];
  if (paragraphs.length === 0 && meta.articleBody) paragraphs = meta.articleBody.split(/\n\s*\n|\r?\n/);
  if (steps.lines) paragraphs = removeBoilerplateLines(paragraphs, title);
  const text = joinParagraphs(paragraphs).slice(0, EXTRACT_LIMITS.maxTextChars);
  const bodyHtml = content?.innerHTML ? sanitizeHtml(content.innerHTML, url) : undefined;
  const leadImage = absoluteUrl(meta.image, url)
    ?? absoluteUrl(content?.querySelectorAll ? selectAll(content as never, 'img[src]')[0]?.getAttribute('src') ?? undefined : undefined, url);
  const article: ExtractedArticle = { text };
  const fields: Omit<ExtractedArticle, 'text'> = {
    title,
    byline: clean(result?.byline) ?? clean(meta.byline),
    published: isoDate(meta.published, result?.publishedTime, firstTime),
    leadImage,
    html: bodyHtml || undefined,
    lang: normaliseLang(result?.lang ?? meta.lang ?? undefined),
    excerpt: clean(result?.excerpt) ?? clean(meta.description),
    siteName: clean(result?.siteName) ?? clean(meta.siteName),
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (article as unknown as Record<string, unknown>)[k] = v;
  return article;
}
