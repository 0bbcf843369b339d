/**
 * The story inbox: the fetcher leaves one small object per ingest that created items, listing their
 * signatures; the publisher reads the inbox, assigns stories in one place (story-index.ts) and
 * deletes what it consumed. The objects are rows of the table (store/stories.ts). Pure: encoding,
 * decoding and naming only.
 *
 *   <createdAt ISO>-<sourceId>-<hash>   gzip of { v: 1, entries: InboxEntry[] }, INBOX_OBJECT_ENTRIES at most
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { sha256Hex } from '../ids';
import type { Item } from '../model';
import { itemSignature } from './assign';

/** Prefix of everything story assignment keeps in the bucket (index and rejected objects). */
export const STORIES_PREFIX = 'stories/';
/** Prefix unreadable story objects (index or inbox) are moved to: kept for inspection, never deleted. */
export const STORIES_REJECTED_PREFIX = `${STORIES_PREFIX}rejected/`;
/** Entries per inbox object at most: about 150 KB of gzip, well under a table row's 400 KB. */
export const INBOX_OBJECT_ENTRIES = 500;

/** One new item as the story assigner needs it: identity, membership fields, signature. */
export interface InboxEntry {
  itemId: string;
  firstSeenAt: string;
  sourceIds: string[];
  title: string;
  url?: string;
  /** MinHash values as base64 of little-endian uint32. */
  minhash: string;
  size: number;
  /** LSH band keys (empty when the item has no words to compare). */
  bands: string[];
}

/** Base64 of the MinHash values as little-endian uint32. */
export function encodeMinhash(values: readonly number[]): string {
  const buf = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeUInt32LE(values[i]! >>> 0, i * 4);
  return buf.toString('base64');
}

/** The MinHash values of `encodeMinhash`'s output. */
export function decodeMinhash(text: string): number[] {
  const buf = Buffer.from(text, 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readUInt32LE(i));
  return out;
}

/** The inbox entry of a new item (its signature from title and article, content or summary text). */
export function inboxEntry(item: Item): InboxEntry {
  const sig = itemSignature(item);
  return {
    itemId: item.id,
    firstSeenAt: item.firstSeenAt,
    sourceIds: item.sourceIds,
    title: item.title,
    ...(item.url ? { url: item.url } : {}),
    minhash: encodeMinhash(sig.minhash),
    size: sig.size,
    bands: sig.bands,
  };
}

/** The inbox objects holding `entries`: one per INBOX_OBJECT_ENTRIES, each named by time, source and content. */
export function inboxObjects(sourceId: string, createdAt: Date, entries: InboxEntry[]): { name: string; body: Buffer }[] {
  const out: { name: string; body: Buffer }[] = [];
  for (let start = 0; start < entries.length; start += INBOX_OBJECT_ENTRIES) {
    const body = gzipSync(Buffer.from(JSON.stringify({ v: 1, entries: entries.slice(start, start + INBOX_OBJECT_ENTRIES) }), 'utf8'));
    out.push({ name: `${createdAt.toISOString()}-${sourceId}-${sha256Hex(body).slice(0, 12)}`, body });
  }
  return out;
}

function isEntry(value: unknown): value is InboxEntry {
  const e = value as Partial<InboxEntry> | null;
  return (
    typeof e === 'object' && e !== null &&
    typeof e.itemId === 'string' && typeof e.firstSeenAt === 'string' && typeof e.title === 'string' &&
    typeof e.minhash === 'string' && typeof e.size === 'number' &&
    Array.isArray(e.sourceIds) && e.sourceIds.every((s) => typeof s === 'string') &&
    Array.isArray(e.bands) && e.bands.every((b) => typeof b === 'string') &&
    (e.url === undefined || typeof e.url === 'string')
  );
}

/** The entries of an inbox object; undefined when the bytes are not an inbox object (corrupt or foreign). */
export function parseInboxObject(bytes: Uint8Array): InboxEntry[] | undefined {
  try {
    const doc = JSON.parse(gunzipSync(bytes).toString('utf8')) as { v?: unknown; entries?: unknown };
    if (doc.v !== 1 || !Array.isArray(doc.entries)) return undefined;
    return doc.entries.every(isEntry) ? doc.entries : undefined;
  } catch {
    return undefined;
  }
}
