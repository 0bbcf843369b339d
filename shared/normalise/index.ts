/** The normalise stage: ParsedFeed → ItemDraft[], and the pieces it is made of. */
export { entriesToNormalise, entryFingerprint, entryIdentity, normaliseEntry, normaliseFeed, rawHtmlOf, NORMALISED_FORM_VERSION } from './items';
export type { NormaliseContext, RenderCache } from './items';
export { canonicalUrl, absoluteHttpUrl } from './url';
export { TRACKING_PARAMS, isTrackingParam } from './tracking-params';
export { sanitizeHtml } from './sanitize';
export { textOfSanitisedHtml } from './sanitised-text';
export { htmlToText, textOf, htmlOf, textToHtml, tidyText, collapseWhitespace, escapeHtml } from './text';
export { normaliseLang } from './lang';
export { NORMALISE_LIMITS } from './limits';
export { truncateText, truncateHtml, cutAtTagBoundary } from './truncate';
export { normaliseAuthors, normaliseCategories, normaliseEnclosures, normaliseDate } from './fields';
export { contentHashOf, stableJson } from './hash';
export { stripNonXmlChars } from './xml-chars';
