/**
 * Boilerplate removal around Readability. Before it, page-level blocks (navigation, share bars,
 * newsletter and cookie notices, related-link widgets…) leave the document; after it, captions and
 * link-only blocks leave the extracted content element. Each step is measured on the benchmark.
 */
import { type DomDocument, type DomElement, type DomNode, TEXT_NODE, isElement, selectAll, tagOf } from './dom';

/** Tags and roles that never hold the article body. */
const PAGE_CHROME = 'nav, [role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"], [aria-hidden="true"], dialog, [role="dialog"], form';

/** class/id words of boilerplate blocks (matched as whole words, or word-prefixes for a few). */
const BOILERPLATE_NAME = new RegExp(
  '(?:^|[\\s_-])(?:share|sharing|social|newsletter|subscribe|subscription|signup|sign-up|cookie|consent|gdpr|' +
  'related|recommended|recommendations|more-stories|read-more|readmore|trending|most-popular|popular|promo|' +
  'breadcrumbs?|tags|tag-list|taglist|topics|author-bio|author-info|about-author|' +
  'comments?|disqus|outbrain|taboola|sponsored|advert|advertisement|ad-container|ad-slot|adsbygoogle|' +
  'widget|sidebar|toolbar|paywall|print-only|sr-only|visually-hidden|skip-link|jump-link)(?:$|[\\s_-])',
  'i',
);

/** Text length of a node. */
function textLength(node: DomNode): number {
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim().length;
}

/** Characters of text inside links, over all text (0 when there is no text). */
export function linkDensity(el: DomElement): number {
  const total = textLength(el);
  if (total === 0) return 0;
  let inLinks = 0;
  for (const a of selectAll(el, 'a')) inLinks += textLength(a);
  return Math.min(1, inLinks / total);
}

/** True when removing the block cannot take the article with it: small, or mostly links. */
function safeToDrop(el: DomElement, bodyChars: number): boolean {
  const chars = textLength(el);
  if (chars === 0) return true;
  if (selectAll(el, 'article, [itemprop="articleBody"], blockquote').length > 0) return false;
  return chars < Math.min(1500, bodyChars * 0.25) || linkDensity(el) > 0.6;
}

/** Removes page-level boilerplate blocks from the document in place (before Readability). */
export function removeBoilerplateBlocks(doc: DomDocument): void {
  const body = doc.body;
  if (!body) return;
  const bodyChars = textLength(body);
  const doomed: DomElement[] = [];
  for (const el of selectAll(body, PAGE_CHROME)) if (safeToDrop(el, bodyChars)) doomed.push(el);
  for (const el of selectAll(body, '[class], [id]')) {
    const name = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (BOILERPLATE_NAME.test(name) && !/(?:article|story|entry|post)[-_]?(?:body|content|text)/i.test(name) && safeToDrop(el, bodyChars)) doomed.push(el);
  }
  for (const el of doomed) el.remove();
}

/** class/id words of captions, credits and bylines / datelines left inside the content. */
const CAPTION_NAME = /caption|credit|copyright|byline|dateline|timestamp|photo-?desc|image-?desc|img-?desc|wp-caption-text|media-?meta/i;

/** Removes figure captions, photo credits and byline/dateline blocks from the extracted content element in place. */
export function removeCaptions(content: DomNode): void {
  if (!isElement(content)) return;
  for (const el of selectAll(content, 'figcaption, [class], [id]')) {
    const name = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (tagOf(el) === 'figcaption' || (CAPTION_NAME.test(name) && textLength(el) < 400)) el.remove();
  }
  for (const fig of selectAll(content, 'figure')) if (textLength(fig) < 400) fig.remove();
}

/** Block elements judged on their own by the link-block step. */
const LINK_BLOCK_TAGS = 'p, li, h1, h2, h3, h4, h5, h6, dt, dd, div';

/** Whether a block is made of links only: every non-blank text node sits inside an `<a>`. */
function allTextInLinks(el: DomElement): boolean {
  let sawText = false;
  const walk = (node: DomNode, inLink: boolean): boolean => {
    if (node.nodeType === TEXT_NODE) {
      if ((node.textContent ?? '').trim() === '') return true;
      sawText = true;
      return inLink || /^[\s|•·,;:»›>\-–—()[\]]*$/.test(node.textContent ?? '');
    }
    if (!isElement(node)) return true;
    const here = inLink || tagOf(node) === 'a';
    for (let i = 0; i < node.childNodes.length; i++) if (!walk(node.childNodes[i]!, here)) return false;
    return true;
  };
  return walk(el, false) && sawText;
}

/** A full sentence (≥ 8 words ending in sentence punctuation): kept even when it is all link text. */
function looksLikeSentence(text: string): boolean {
  return /[.!?]["'”’)]?$/.test(text) && text.split(/\s+/).length >= 8;
}

/** Removes link-only blocks (related headlines, menus) and link-dense lists from the content element. */
export function removeLinkBlocks(content: DomNode): void {
  if (!isElement(content)) return;
  for (const list of selectAll(content, 'ul, ol')) {
    if (list.parentNode && linkDensity(list) > 0.7) list.remove();
  }
  for (const el of selectAll(content, LINK_BLOCK_TAGS)) {
    if (!el.parentNode) continue;
    if (selectAll(el, 'p, li, div').length > 3) continue;
    const text = (el.textContent ?? '').trim();
    if (text.length < 200 && !looksLikeSentence(text) && allTextInLinks(el)) el.remove();
  }
}
