/**
 * Reads an item's raw HTML back from the raw feed body it came from (Item.rawRef): the body is
 * stored once per fetch (alone, or as a byte range of a batch object) and holds every entry's HTML
 * verbatim, so the HTML is not stored again.
 * The body is decoded and parsed as at ingest, and the entry's raw markup taken (normalise's rawHtmlOf).
 */
import { gunzipSync } from 'node:zlib';
import { decodeFeed } from '../decode';
import { StoreError } from '../errors';
import type { RawRef } from '../model';
import { rawHtmlOf } from '../normalise';
import { parseFeed } from '../parse';
import type { BlobStore } from '../store/ports';

/** The raw HTML an entry of a stored raw body gave; undefined when the body or the entry's HTML is gone; StoreError when the body is not gzip. */
export async function readRawHtml(blobs: BlobStore, ref: RawRef, feedUrl = 'https://feed.invalid/'): Promise<string | undefined> {
  const stored = await blobs.get(ref.key, ref.range);
  if (!stored) return undefined;
  let body: Uint8Array;
  try {
    body = gunzipSync(stored);
  } catch (err) {
    throw new StoreError(`raw body ${ref.key} is not gzip`, { cause: err });
  }
  const feed = parseFeed(decodeFeed(body, ref.contentType).text, { url: feedUrl });
  const entry = feed.entries[ref.entry];
  return entry ? rawHtmlOf(entry) : undefined;
}
