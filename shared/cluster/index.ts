/** Story clustering: signatures, LSH band keys and the same-story decision. */
export { storySignature, storyParts, shingles, minhashOf, fnv1a, MINHASH_SIZE, SHINGLE_WORDS, FULL_BANDS, FULL_ROWS, LEAD_TOKENS, LEAD_BANDS, LEAD_ROWS } from './signature';
export type { StorySignature } from './signature';
export { similarity, jaccardEstimate, isSameStory, shareBand, SAME_STORY_CONTAINMENT, SAME_STORY_MIN_JACCARD } from './similarity';
export { normaliseTitle, normaliseBody, unifyCharacters, storyTokens, englishPart, looksEnglish } from './normalise';
