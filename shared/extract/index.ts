/** Article extraction: body text, sanitised HTML and metadata of a web page; body-text scoring. */
export { extractArticle, DEFAULT_CLEANUP } from './extract';
export type { ExtractedArticle, ExtractOptions, CleanupSteps } from './types';
export { EXTRACT_LIMITS } from './types';
export { pageMetadata, jsonLdMetadata, markupMetadata } from './metadata';
export type { PageMetadata } from './metadata';
export { isBoilerplateLine, removeBoilerplateLines } from './lines';
export { scoreBodies, pageOverlap, pagePrecisionRecall, shingleCounts, benchmarkTokens, SHINGLE_WIDTH } from './score';
export type { BodyScore, PageOverlap } from './score';
