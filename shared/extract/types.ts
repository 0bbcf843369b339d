/** Types and limits of article extraction. */

/** What `extractArticle` returns: the article text plus whatever metadata the page carries. */
export interface ExtractedArticle {
  title?: string;
  byline?: string;
  /** Publication instant, ISO 8601 UTC. */
  published?: string;
  /** Absolute URL of the lead image. */
  leadImage?: string;
  /** Article body as plain text: paragraphs separated by a blank line ('' when nothing was found). */
  text: string;
  /** Article body as sanitised HTML. */
  html?: string;
  /** BCP 47 language tag. */
  lang?: string;
  excerpt?: string;
  siteName?: string;
}

/** Cleanup steps applied around Readability; each can be switched off to measure it. */
export interface CleanupSteps {
  /** Drop page blocks (navigation, share bars, newsletter, related links, cookie notices…) before Readability. */
  pageBlocks: boolean;
  /** Drop figure captions and photo credits from the extracted content. */
  captions: boolean;
  /** Drop link-only blocks (related headlines, menus) and link-dense lists from the extracted content. */
  linkBlocks: boolean;
  /** Drop boilerplate paragraphs from the text (tag lines, "Read more", credits, datelines, the headline again). */
  lines: boolean;
}

/** Options of `extractArticle`. */
export interface ExtractOptions {
  cleanup?: Partial<CleanupSteps>;
}

/** Input and work limits: a bigger page is cut, a page with more elements skips Readability. */
export const EXTRACT_LIMITS = {
  /** Characters of HTML parsed (≈ 3 MB; the benchmark's largest page is 1.5 MB). */
  maxHtmlChars: 3_000_000,
  /** Elements Readability will score; beyond it the JSON-LD body (if any) is the text. */
  maxElements: 60_000,
  /** Characters of extracted text kept. */
  maxTextChars: 500_000,
} as const;
