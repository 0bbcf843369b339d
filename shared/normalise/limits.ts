/**
 * Size limits of a normalised item (characters). A stored item must stay well under DynamoDB's 400 KB
 * item limit; the full raw HTML survives in `rawHtml`, which the caller keeps in the blob store.
 */
export const NORMALISE_LIMITS = {
  /** Entries taken from one feed, in feed order, unless the context says otherwise. */
  maxItems: 500,
  contentHtml: 100_000,
  contentText: 50_000,
  summaryHtml: 20_000,
  summaryText: 10_000,
  title: 1_000,
  /** A title derived from the summary or content when the feed gave none. */
  derivedTitle: 80,
  categories: 50,
  /** Raw markup beyond this is cut (at a tag boundary) before sanitising, bounding the work per entry. */
  rawHtmlInput: 2_000_000,
} as const;
