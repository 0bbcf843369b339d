/**
 * Ingest one feed body: decode → parse → normalise → dedupe → store. Used by the fetcher for fresh
 * bytes and by `reprocess` for stored raw bytes, so both go through exactly the same code.
 */
import { gzipSync } from 'node:zlib';
import { decodeFeed } from '../decode';
import { assessTrust, identityKeys } from '../dedupe/identity';
import { filterSeen, planWrites, type KeyedDraft, type WritePlan } from '../dedupe/plan';
import { VersionConflictError } from '../errors';
import { sha256Hex } from '../ids';
import type { ItemDraft, ParsedFeed, RawRef } from '../model';
import { normaliseFeed } from '../normalise';
import { parseFeed } from '../parse';
import type { BlobStore, ItemRepository } from '../store/ports';

/** What ingest needs from the outside world. */
export interface IngestDeps {
  items: ItemRepository;
  blobs: BlobStore;
}

/** The body to ingest and where it came from. */
export interface IngestInput {
  sourceId: string;
  body: Uint8Array;
  contentType?: string;
  /** Content-Location and Content-Language response headers (document base and default language for parse). */
  contentLocation?: string;
  contentLanguage?: string;
  /** The URL the body was fetched from (base for relative links). */
  feedUrl: string;
  siteUrl?: string;
  fetchedAt: Date;
  /** Fingerprints from the last ingest of this source; entries that match are skipped. */
  seen?: Record<string, string>;
}

/** What ingest did. */
export interface IngestResult {
  feed: ParsedFeed;
  itemsInFeed: number;
  created: number;
  updated: number;
  merged: number;
  seen: Record<string, string>;
  /** Encoding used to decode, and whether a declared charset was overridden. */
  encoding: string;
  bozo: boolean;
}

const MAX_CONFLICT_RETRIES = 3;

/** Stores each draft's raw HTML as gzip members of one object and returns their byte ranges. */
async function storeRawHtml(sourceId: string, drafts: (ItemDraft | undefined)[], blobs: BlobStore): Promise<(RawRef | undefined)[]> {
  const parts: Buffer[] = [];
  const ranges: ({ offset: number; length: number } | undefined)[] = [];
  let offset = 0;
  for (const d of drafts) {
    if (!d?.rawHtml) {
      ranges.push(undefined);
      continue;
    }
    const member = gzipSync(Buffer.from(d.rawHtml, 'utf8'));
    parts.push(member);
    ranges.push({ offset, length: member.length });
    offset += member.length;
  }
  if (parts.length === 0) return ranges.map(() => undefined);
  const body = Buffer.concat(parts);
  const key = `raw/items/${sourceId}/${sha256Hex(body)}.gz`;
  await blobs.put(key, body, { contentType: 'application/gzip' });
  return ranges.map((r) => (r ? { key, ...r } : undefined));
}

/** Counts of what was written for one feed. */
interface WriteCounts {
  created: number;
  updated: number;
  merged: number;
}

/**
 * Plans and writes the entries; after a conflict (another writer got there first) only the entries
 * whose writes conflicted are re-planned, and only writes that landed are counted.
 */
async function planAndWrite(keyed: KeyedDraft[], sourceId: string, now: Date, deps: IngestDeps): Promise<WriteCounts> {
  const counts: WriteCounts = { created: 0, updated: 0, merged: 0 };
  let pending = keyed;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const keys = [...new Set(pending.flatMap((k) => k.keys))];
    const resolved = await deps.items.resolveKeys(keys);
    const existing = await deps.items.getItems([...new Set(resolved.values())]);
    const plan: WritePlan = planWrites(pending, resolved, existing, now);
    if (plan.writes.length === 0) break;
    const refs = await storeRawHtml(sourceId, plan.rawFrom, deps.blobs);
    plan.writes.forEach((w, i) => {
      const ref = refs[i];
      if (ref) w.item = { ...w.item, rawRef: ref };
    });
    let conflicted = new Set<string>();
    try {
      await deps.items.writeItems(plan.writes);
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw err;
      conflicted = new Set(err.itemIds);
    }
    pending = [];
    plan.writes.forEach((w, i) => {
      const origin = plan.origins[i];
      if (!origin) return;
      if (conflicted.has(w.item.id)) pending.push(origin.keyed);
      else if (origin.counts !== 'unchanged') counts[origin.counts]++;
    });
  }
  return counts;
}

/** Decodes, parses, normalises and stores one feed body; throws typed errors from each stage. */
export async function ingestFeed(input: IngestInput, deps: IngestDeps): Promise<IngestResult> {
  const decoded = decodeFeed(input.body, input.contentType);
  const feed = parseFeed(decoded.text, { url: input.feedUrl, contentLocation: input.contentLocation, contentLanguage: input.contentLanguage });
  const drafts = normaliseFeed(feed, { sourceId: input.sourceId, feedUrl: input.feedUrl, fetchedAt: input.fetchedAt });
  const trust = assessTrust(drafts, [input.siteUrl, feed.link]);
  const keyed = drafts.map((draft) => ({ draft, keys: identityKeys(draft, trust) }));
  const { fresh, seen } = filterSeen(keyed, input.seen);
  const counts = fresh.length > 0 ? await planAndWrite(fresh, input.sourceId, input.fetchedAt, deps) : undefined;
  return {
    feed,
    itemsInFeed: drafts.length,
    created: counts?.created ?? 0,
    updated: counts?.updated ?? 0,
    merged: counts?.merged ?? 0,
    seen,
    encoding: decoded.encoding,
    bozo: feed.bozo || decoded.mismatch,
  };
}
