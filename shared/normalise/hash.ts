/** The content hash of a normalised item: what a reader sees, so a change of it means the item changed. */
import type { Enclosure, Person } from '../model';
import { sha256Hex } from '../ids';

/** The reader-visible fields that feed the content hash. */
export interface HashedFields {
  title: string;
  url?: string;
  summaryHtml?: string;
  contentHtml?: string;
  authors: readonly Person[];
  categories: readonly string[];
  enclosures: readonly Enclosure[];
  published?: string;
  updated?: string;
}

/**
 * The hashed fields as JSON with a fixed layout (objects as positional arrays, absent values as
 * null), so equal items always serialise equally whatever order their properties were set in.
 */
export function stableJson(f: HashedFields): string {
  return JSON.stringify([
    f.title,
    f.url ?? null,
    f.summaryHtml ?? null,
    f.contentHtml ?? null,
    f.authors.map((a) => [a.name ?? null, a.email ?? null, a.url ?? null]),
    f.categories,
    f.enclosures.map((e) => [e.url, e.type ?? null, e.length ?? null, e.title ?? null, e.durationS ?? null]),
    f.published ?? null,
    f.updated ?? null,
  ]);
}

/** First 16 hex chars of sha256 over stableJson of [title, url, summaryHtml, contentHtml, authors, categories, enclosures, published, updated]. */
export function contentHashOf(f: HashedFields): string {
  return sha256Hex(stableJson(f)).slice(0, 16);
}
