/**
 * Article capture: for new items of a source with `capture` on, fetch the item's page (same SSRF
 * guard and limits as feeds, per-host limited), keep the raw HTML gzipped in the blob store and the
 * extracted article text on the item. A failed capture is reported, never thrown: the item is then
 * stored without it.
 */
import { gzipSync } from 'node:zlib';
import type { FetchSettings } from '../config';
import { decodeFeed } from '../decode';
import { describeError } from '../errors';
import { extractArticle } from '../extract';
import { fetchPage, type FetchLimiter } from '../fetch';
import { sha256Hex } from '../ids';
import type { CaptureMode, Item } from '../model';
import type { BlobStore } from '../store/ports';

/** Feed text shorter than this counts as short (`capture="short"`). */
export const SHORT_TEXT_CHARS = 500;
/** Extracted article text kept on the item. */
export const MAX_ARTICLE_CHARS = 50_000;
/** Page body cap (wire and decompressed). */
export const MAX_PAGE_BYTES = 3 * 1024 * 1024;
/** Pages captured per ingest at most (a new source's backlog must not outlast the function). */
export const MAX_CAPTURES_PER_INGEST = 25;

/** What capture needs: where pages go, how to fetch them, and the per-host limiter shared by the batch. */
export interface CaptureDeps {
  blobs: BlobStore;
  settings: FetchSettings;
  limiter: FetchLimiter;
}

/** What capturing one item produced. */
export interface CaptureResult {
  itemId: string;
  pageRef?: { key: string };
  articleText?: string;
  error?: string;
}

/** The blob key of a captured page: per source, addressed by content. */
export function rawPageKey(sourceId: string, bodyHash: string): string {
  return `raw/pages/${sourceId}/${bodyHash}.gz`;
}

/** True when an item of a source with this mode should have its page captured. */
export function wantsCapture(mode: CaptureMode | undefined, item: Pick<Item, 'url' | 'contentText' | 'summaryText'>): boolean {
  if (!item.url || mode === undefined || mode === 'off') return false;
  if (mode === 'always') return true;
  return (item.contentText ?? item.summaryText ?? '').length < SHORT_TEXT_CHARS;
}

/** Fetches, stores and extracts one item's page; failures come back as `error`. */
export async function captureItem(item: Item, deps: CaptureDeps): Promise<CaptureResult> {
  const url = item.url as string;
  try {
    const page = await deps.limiter(url, () => fetchPage(url, deps.settings, { maxBytes: MAX_PAGE_BYTES }));
    const key = rawPageKey(item.sourceId, sha256Hex(page.body));
    await deps.blobs.put(key, gzipSync(page.body), { contentType: 'application/gzip' });
    const html = decodeFeed(page.body, page.contentType).text;
    const text = extractArticle(html, page.finalUrl).text.slice(0, MAX_ARTICLE_CHARS).trim();
    return { itemId: item.id, pageRef: { key }, ...(text ? { articleText: text } : {}) };
  } catch (err) {
    return { itemId: item.id, error: describeError(err) };
  }
}

/** Captures the pages of the items that want it (at most MAX_CAPTURES_PER_INGEST), in parallel under the limiter. */
export async function captureItems(items: readonly Item[], mode: CaptureMode | undefined, deps: CaptureDeps): Promise<CaptureResult[]> {
  const wanted = items.filter((i) => wantsCapture(mode, i)).slice(0, MAX_CAPTURES_PER_INGEST);
  return Promise.all(wanted.map((item) => captureItem(item, deps)));
}
