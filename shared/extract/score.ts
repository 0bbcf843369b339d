/**
 * Article-body scoring as in the article-extraction benchmark's evaluate.py: tokens are runs of
 * Unicode word characters (Python `\w+`: letters, digits, numbers, underscore; case kept), shingles
 * are 4-token windows counted as a multiset (a text shorter than 4 tokens is one shingle of all its
 * tokens), and per page TP/FP/FN are the multiset overlaps normalised to sum to 1. Precision and
 * recall are averaged over pages (P = R = 1 when FP = FN = 0, 0 when TP = 0); F1 is computed from the
 * averaged precision and recall, which is how the benchmark's published figures are computed.
 */

/** Shingle width used by the benchmark. */
export const SHINGLE_WIDTH = 4;

const WORD_RE = /[\p{L}\p{N}_]+/gu;

/** Benchmark tokens of a text: maximal runs of Unicode letters, numbers and underscore. */
export function benchmarkTokens(text: string): string[] {
  return text.match(WORD_RE) ?? [];
}

/** The multiset of `width`-token shingles of a text, as shingle → count. */
export function shingleCounts(text: string, width = SHINGLE_WIDTH): Map<string, number> {
  const tokens = benchmarkTokens(text);
  const counts = new Map<string, number>();
  const last = Math.max(1, tokens.length - width + 1);
  for (let i = 0; i < last; i++) {
    const shingle = tokens.slice(i, i + width).join(' ');
    if (shingle) counts.set(shingle, (counts.get(shingle) ?? 0) + 1);
  }
  return counts;
}

/** Normalised true-positive, false-positive and false-negative mass of one page (they sum to 1, or all 0). */
export interface PageOverlap {
  tp: number;
  fp: number;
  fn: number;
}

/** Multiset shingle overlap between the expected body and the extracted one. */
export function pageOverlap(expected: string, extracted: string): PageOverlap {
  const want = shingleCounts(expected);
  const got = shingleCounts(extracted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, w] of want) {
    const g = got.get(key) ?? 0;
    tp += Math.min(w, g);
    fn += Math.max(0, w - g);
  }
  for (const [key, g] of got) fp += Math.max(0, g - (want.get(key) ?? 0));
  const sum = tp + fp + fn;
  return sum > 0 ? { tp: tp / sum, fp: fp / sum, fn: fn / sum } : { tp: 0, fp: 0, fn: 0 };
}

/** Precision and recall of one page from its overlap, with the benchmark's edge cases. */
export function pagePrecisionRecall(o: PageOverlap): { precision: number; recall: number } {
  if (o.fp === 0 && o.fn === 0) return { precision: 1, recall: 1 };
  if (o.tp === 0) return { precision: 0, recall: 0 };
  return { precision: o.tp / (o.tp + o.fp), recall: o.tp / (o.tp + o.fn) };
}

/** Corpus-level figures: mean precision, mean recall, F1 of those means, and exact-match accuracy. */
export interface BodyScore {
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
  pages: number;
}

/** Scores extracted bodies against expected ones, page by page (missing extraction = empty text). */
export function scoreBodies(expected: ReadonlyMap<string, string>, extracted: ReadonlyMap<string, string>): BodyScore {
  let p = 0;
  let r = 0;
  let exact = 0;
  for (const [id, want] of expected) {
    const got = extracted.get(id) ?? '';
    const pr = pagePrecisionRecall(pageOverlap(want, got));
    p += pr.precision;
    r += pr.recall;
    if (benchmarkTokens(want).join(' ') === benchmarkTokens(got).join(' ')) exact += 1;
  }
  const n = expected.size;
  const precision = n ? p / n : 1;
  const recall = n ? r / n : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { f1, precision, recall, accuracy: n ? exact / n : 1, pages: n };
}
