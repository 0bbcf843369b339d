/**
 * Story assignment for newly created items: each item's signature is compared with the stored
 * signatures of the items sharing an LSH band with it (and with the items assigned before it in the
 * same call); the most similar same-story candidate gives its story, else the item starts its own.
 * Reads: one BatchGetItem of every band of the call's items, one of all candidate signatures.
 */
import { isSameStory, similarity, storySignature, type StorySignature } from '../cluster';
import type { Item } from '../model';
import type { StoredSignature, StoryEntry, StoryMember, StoryRepository } from '../store/ports';

/** The text a story signature is built from: extracted article, else feed content, else summary. */
export function storyText(item: Pick<Item, 'articleText' | 'contentText' | 'summaryText'>): string {
  return item.articleText || item.contentText || item.summaryText || '';
}

/** The signature of an item. */
export function itemSignature(item: Item): StorySignature {
  return storySignature(item.title, storyText(item), item.lang);
}

/** The member row of an item in its story. */
export function storyMember(item: Item, storyId: string): StoryMember {
  return { storyId, itemId: item.id, firstSeenAt: item.firstSeenAt, sourceIds: item.sourceIds, title: item.title, ...(item.url ? { url: item.url } : {}) };
}

/** One item's assignment: its story and the rows to store once the item is written. */
export interface StoryAssignment {
  itemId: string;
  storyId: string;
  /** Candidates compared (stored and earlier in the call). */
  compared: number;
  entry: StoryEntry;
}

/** The best same-story candidate: highest estimated containment, ties to the lower item id. */
function bestMatch(sig: StorySignature, candidates: Iterable<StoredSignature>): StoredSignature | undefined {
  let best: { c: StoredSignature; s: number } | undefined;
  for (const c of candidates) {
    const other: StorySignature = { minhash: c.minhash, size: c.size, bands: [] };
    if (!isSameStory(sig, other)) continue;
    const s = similarity(sig, other);
    if (!best || s > best.s || (s === best.s && c.itemId < best.c.itemId)) best = { c, s };
  }
  return best?.c;
}

/**
 * Assigns each item (in order) to a story; earlier items of the call count as candidates for later
 * ones, so two items of one story in the same batch end in one story. Does not write anything.
 * The lookups of all items run first (one batched read of their bands, one of the candidates'
 * signatures); the comparisons then run in order, in memory.
 */
export async function assignStories(items: readonly Item[], stories: StoryRepository): Promise<StoryAssignment[]> {
  const sigs = items.map(itemSignature);
  const listed = sigs.some((sig) => sig.bands.length > 0) ? await stories.candidates(sigs.map((sig) => sig.bands)) : [];
  const candidateIds = items.map((item, i) => (listed[i] ?? []).filter((id) => id !== item.id));
  const allIds = [...new Set(candidateIds.flat())];
  const stored = allIds.length > 0 ? await stories.signatures(allIds) : new Map<string, StoredSignature>();
  const out: StoryAssignment[] = [];
  const local: { sig: StoredSignature; bands: Set<string> }[] = [];
  items.forEach((item, i) => {
    const sig = sigs[i] as StorySignature;
    let match: StoredSignature | undefined;
    let compared = 0;
    if (sig.bands.length > 0) {
      const nearby = local.filter((l) => sig.bands.some((b) => l.bands.has(b))).map((l) => l.sig);
      const found = (candidateIds[i] ?? []).flatMap((id) => stored.get(id) ?? []);
      const pool = [...nearby, ...found.filter((s) => !nearby.some((n) => n.itemId === s.itemId))];
      compared = pool.length;
      match = bestMatch(sig, pool);
    }
    const storyId = match?.storyId ?? item.id;
    const signature: StoredSignature = { itemId: item.id, minhash: sig.minhash, size: sig.size, storyId };
    if (sig.bands.length > 0) local.push({ sig: signature, bands: new Set(sig.bands) });
    out.push({ itemId: item.id, storyId, compared, entry: { signature, bands: sig.bands, member: storyMember({ ...item, storyId }, storyId) } });
  });
  return out;
}
