/**
 * Comparing two story signatures. `similarity` is the estimated containment of the smaller shingle
 * set in the larger, |A∩B| / min(|A|,|B|), from the MinHash Jaccard estimate J and the exact sizes:
 * |A∩B| = J·(|A|+|B|)/(1+J). Containment lets a teaser (the first 30% of a story) match its story.
 */
import type { StorySignature } from './signature';

/** Same story when the estimated containment reaches this… */
export const SAME_STORY_CONTAINMENT = 0.6;
/** …and the Jaccard estimate reaches this (keeps a short item from matching a long digest that quotes its title). */
export const SAME_STORY_MIN_JACCARD = 0.1;

/** Fraction of MinHash positions that agree: the Jaccard estimate (0 when either set is empty). */
export function jaccardEstimate(a: StorySignature, b: StorySignature): number {
  if (a.size === 0 || b.size === 0) return 0;
  const n = Math.min(a.minhash.length, b.minhash.length);
  if (n === 0) return 0;
  let same = 0;
  for (let i = 0; i < n; i++) if (a.minhash[i] === b.minhash[i]) same += 1;
  return same / n;
}

/** Estimated containment of the smaller story in the larger (0–1). */
export function similarity(a: StorySignature, b: StorySignature): number {
  const j = jaccardEstimate(a, b);
  if (j === 0) return 0;
  const intersection = (j * (a.size + b.size)) / (1 + j);
  return Math.min(1, intersection / Math.min(a.size, b.size));
}

/**
 * True when two signatures are the same story: containment ≥ SAME_STORY_CONTAINMENT (0.6) and Jaccard ≥
 * SAME_STORY_MIN_JACCARD (0.1). Tuned on conformance/clustering-set (see conformance/suites/clustering.ts).
 */
export function isSameStory(a: StorySignature, b: StorySignature): boolean {
  return jaccardEstimate(a, b) >= SAME_STORY_MIN_JACCARD && similarity(a, b) >= SAME_STORY_CONTAINMENT;
}

/** True when two signatures share a band key (would meet in an LSH lookup). */
export function shareBand(a: StorySignature, b: StorySignature): boolean {
  const keys = new Set(a.bands);
  return b.bands.some((k) => keys.has(k));
}
