/**
 * The story inbox: the fetcher leaves one small object per ingest that created items, listing their
 * signatures; the publisher reads the inbox, assigns stories in one place (story-index.ts) and
 * deletes what it consumed. Pure: encoding, decoding and key naming only.
 *
 *   stories/inbox/<createdAt ISO>-<sourceId>-<hash>.json.gz   { v: 1, entries: InboxEntry[] }
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { sha256Hex } from '../ids';
import type { Item } from '../model';
import { itemSignature } from './assign';

/** Prefix of everything story assignment keeps in the bucket (inbox, index, rejected objects). */
export const STORIES_PREFIX = 'stories/';
/** Prefix of the inbox objects. */
export const INBOX_PREFIX = `${STORIES_PREFIX}inbox/`;

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

/** The key and gzipped body of an inbox object holding `entries`. */
export function inboxObject(sourceId: string, createdAt: Date, entries: InboxEntry[]): { key: string; body: Buffer } {
  const body = gzipSync(Buffer.from(JSON.stringify({ v: 1, entries }), 'utf8'));
  return { key: `${INBOX_PREFIX}${createdAt.toISOString()}-${sourceId}-${sha256Hex(body).slice(0, 12)}.json.gz`, body };
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
