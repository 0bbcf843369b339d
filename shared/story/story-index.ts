/**
 * The story index: the signatures and LSH band lists of the items first seen within the window, held
 * in memory by the one process that assigns stories (the publisher). A new item is compared with the
 * items sharing a band with it; the most similar same-story item gives its story, else the item
 * starts its own. Stored as immutable index objects (a compacted base plus one segment per run that
 * assigned anything), so a run writes only its new entries. Held in parallel arrays and typed band
 * tables (band-table.ts), not an object per item and band. Pure: no I/O.
 *
 *   stories/index/<time>-<hash>.json.gz   { v: 1, entries: [{ i: itemId, s: storyId, t: firstSeenAt, m: minhash (base64), n: size, b: bands }] }
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { isSameStory, similarity, type StorySignature } from '../cluster';
import { BandCodes, BandTable, CodeSlab } from './band-table';
import { decodeMinhash, type InboxEntry } from './inbox';

/** Prefix of the index objects. */
export const STORY_INDEX_PREFIX = 'stories/index/';
/** Days an item stays comparable after it was first seen (republications come within hours or days). */
export const STORY_WINDOW_DAYS = 7;
/** The earliest first-seen time (ISO) still inside the window at `now`. */
export function windowCutoff(now: Date): string {
  return new Date(now.getTime() - STORY_WINDOW_DAYS * 86_400_000).toISOString();
}
/** Members of a band beyond which the band says nothing (a boilerplate shingle run): skipped. */
export const BAND_MEMBER_LIMIT = 50;
/** Candidates compared per item, most shared bands first. */
export const CANDIDATE_LIMIT = 100;

/** One indexed item. */
export interface IndexedItem {
  itemId: string;
  storyId: string;
  firstSeenAt: string;
  /** MinHash as base64 of little-endian uint32 (decoded only when compared). */
  minhash: string;
  size: number;
  bands: string[];
}

/** The outcome of assigning one item. */
export interface StoryAssignment {
  itemId: string;
  storyId: string;
  /** Candidates compared. */
  compared: number;
}

function signatureOf(item: Pick<IndexedItem, 'minhash' | 'size'>): StorySignature {
  return { minhash: decodeMinhash(item.minhash), size: item.size, bands: [] };
}

function isIndexed(value: unknown): value is { i: string; s: string; t: string; m: string; n: number; b: string[] } {
  const e = value as Record<string, unknown> | null;
  return (
    typeof e === 'object' && e !== null && typeof e.i === 'string' && typeof e.s === 'string' && typeof e.t === 'string' &&
    typeof e.m === 'string' && typeof e.n === 'number' && Array.isArray(e.b) && e.b.every((b) => typeof b === 'string')
  );
}

/** Whether codes[i] does not occur before i (an item's band list is short: a scan beats a Set). */
function firstAt(codes: readonly number[], i: number): boolean {
  const code = codes[i];
  for (let j = 0; j < i; j++) if (codes[j] === code) return false;
  return true;
}

/** The index of recent items' signatures by LSH band, in parallel arrays by slot (band-table.ts). */
export class StoryIndex {
  private readonly slotOf = new Map<string, number>();
  private readonly itemIds: string[] = [];
  private readonly storyIds: string[] = [];
  private readonly firstSeen: string[] = [];
  private readonly minhashes: string[] = [];
  private readonly sizes: number[] = [];
  /** Per slot, where its band codes start in `slab` (and end: the next slot's start, or `slabEnd`). */
  private readonly bandStarts: number[] = [];
  private slabEnd = 0;
  constructor(private readonly codes = new BandCodes()) {}

  private readonly slab = new CodeSlab();
  private readonly table = new BandTable();

  /** Items indexed. */
  get size(): number {
    return this.itemIds.length;
  }

  /** Whether the item is indexed. */
  has(itemId: string): boolean {
    return this.slotOf.has(itemId);
  }

  /** The indexed item, if any. */
  get(itemId: string): IndexedItem | undefined {
    const slot = this.slotOf.get(itemId);
    return slot === undefined ? undefined : this.itemAt(slot);
  }

  private bandCodes(slot: number): Float64Array {
    const end = slot + 1 < this.bandStarts.length ? (this.bandStarts[slot + 1] as number) : this.slabEnd;
    return this.slab.slice(this.bandStarts[slot] as number, end);
  }

  private itemAt(slot: number): IndexedItem {
    const bands = Array.from(this.bandCodes(slot), (code) => this.codes.key(code));
    return {
      itemId: this.itemIds[slot] as string,
      storyId: this.storyIds[slot] as string,
      firstSeenAt: this.firstSeen[slot] as string,
      minhash: this.minhashes[slot] as string,
      size: this.sizes[slot] as number,
      bands,
    };
  }

  /** Adds an item (replacing an earlier entry of the same id is not supported: the first entry stays). */
  add(item: IndexedItem): void {
    this.addCoded(item, item.bands.map((band) => this.codes.code(band, true) as number));
  }

  private addCoded(item: IndexedItem, codes: number[]): void {
    if (this.slotOf.has(item.itemId)) return;
    const slot = this.itemIds.length;
    this.slotOf.set(item.itemId, slot);
    this.itemIds.push(item.itemId);
    // The same string when the item is its own story (most are).
    this.storyIds.push(item.storyId === item.itemId ? item.itemId : item.storyId);
    this.firstSeen.push(item.firstSeenAt);
    this.minhashes.push(item.minhash);
    this.sizes.push(item.size);
    this.bandStarts.push(this.slab.push(codes));
    this.slabEnd += codes.length;
    for (let i = 0; i < codes.length; i++) if (firstAt(codes, i)) this.table.add(codes[i] as number, slot);
  }

  /** Slots sharing a band with `bands`, most shared bands first (ties by id); crowded bands and items first seen before `cutoff` are skipped. */
  private candidateSlots(codes: readonly number[], self?: string, cutoff?: string): number[] {
    const counts = new Map<number, number>();
    const visit = (slot: number) => {
      if (this.itemIds[slot] === self || (cutoff !== undefined && (this.firstSeen[slot] as string) < cutoff)) return;
      counts.set(slot, (counts.get(slot) ?? 0) + 1);
    };
    for (let i = 0; i < codes.length; i++) {
      if (!firstAt(codes, i)) continue;
      const code = codes[i] as number;
      const members = this.table.count(code, BAND_MEMBER_LIMIT);
      if (members === 0 || members > BAND_MEMBER_LIMIT) continue;
      this.table.forEach(code, visit);
    }
    const ids = this.itemIds;
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || ((ids[a[0]] as string) < (ids[b[0]] as string) ? -1 : 1))
      .slice(0, CANDIDATE_LIMIT)
      .map(([slot]) => slot);
  }

  /** Ids sharing a band with `bands`, most shared bands first (ties by id); crowded bands and items first seen before `cutoff` are skipped. */
  candidates(bands: readonly string[], self?: string, cutoff?: string): string[] {
    const codes = bands.map((band) => this.codes.code(band, false)).filter((code): code is number => code !== undefined);
    return this.candidateSlots(codes, self, cutoff).map((slot) => this.itemIds[slot] as string);
  }

  /**
   * Assigns a new item to a story and indexes it: the most similar same-story candidate (highest
   * estimated containment, ties to the lower item id) gives its story; else the item is its own story.
   * An item already indexed keeps the story it was given; items first seen before `cutoff` are not compared.
   */
  assign(entry: InboxEntry, cutoff?: string): StoryAssignment {
    const known = this.slotOf.get(entry.itemId);
    if (known !== undefined) return { itemId: entry.itemId, storyId: this.storyIds[known] as string, compared: 0 };
    const sig: StorySignature = { minhash: decodeMinhash(entry.minhash), size: entry.size, bands: entry.bands };
    let best: { slot: number; score: number } | undefined;
    const codes = entry.bands.map((band) => this.codes.code(band, true) as number);
    const slots = codes.length > 0 ? this.candidateSlots(codes, entry.itemId, cutoff) : [];
    for (const slot of slots) {
      const otherSig = signatureOf({ minhash: this.minhashes[slot] as string, size: this.sizes[slot] as number });
      if (!isSameStory(sig, otherSig)) continue;
      const score = similarity(sig, otherSig);
      if (!best || score > best.score || (score === best.score && (this.itemIds[slot] as string) < (this.itemIds[best.slot] as string))) best = { slot, score };
    }
    const storyId = best ? (this.storyIds[best.slot] as string) : entry.itemId;
    this.addCoded({ itemId: entry.itemId, storyId, firstSeenAt: entry.firstSeenAt, minhash: entry.minhash, size: entry.size, bands: entry.bands }, codes);
    return { itemId: entry.itemId, storyId, compared: slots.length };
  }

  /** A copy without the items first seen before `cutoff` (ISO time). */
  pruned(cutoff: string): StoryIndex {
    const out = new StoryIndex(this.codes);
    for (let slot = 0; slot < this.itemIds.length; slot++) {
      if ((this.firstSeen[slot] as string) < cutoff) continue;
      const item = { itemId: this.itemIds[slot] as string, storyId: this.storyIds[slot] as string, firstSeenAt: this.firstSeen[slot] as string, minhash: this.minhashes[slot] as string, size: this.sizes[slot] as number, bands: [] };
      out.addCoded(item, Array.from(this.bandCodes(slot)));
    }
    return out;
  }

  /** Every indexed item, in the order added. */
  entries(): IndexedItem[] {
    return this.itemIds.map((_, slot) => this.itemAt(slot));
  }
}

/**
 * A gzipped index object holding `items`, at gzip's fastest level: most of its bytes are base64
 * MinHash values, which no level compresses, and a base of 50,000 items took 1.3 s at the default
 * level (3× longer) on the publisher's path for 3% fewer bytes.
 */
export function serialiseIndexObject(items: readonly IndexedItem[]): Buffer {
  const entries = items.map((e) => ({ i: e.itemId, s: e.storyId, t: e.firstSeenAt, m: e.minhash, n: e.size, b: e.bands }));
  return gzipSync(Buffer.from(JSON.stringify({ v: 1, entries }), 'utf8'), { level: 1 });
}

/** The items of an index object; undefined when the bytes are not one (corrupt or foreign). */
export function parseIndexObject(bytes: Uint8Array): IndexedItem[] | undefined {
  let doc: { v?: unknown; entries?: unknown };
  try {
    doc = JSON.parse(gunzipSync(bytes).toString('utf8')) as typeof doc;
  } catch {
    return undefined;
  }
  if (doc.v !== 1 || !Array.isArray(doc.entries) || !doc.entries.every(isIndexed)) return undefined;
  return doc.entries.map((e) => ({ itemId: e.i, storyId: e.s, firstSeenAt: e.t, minhash: e.m, size: e.n, bands: e.b }));
}
