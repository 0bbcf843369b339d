/**
 * Repairs the sources of items two sources created at once. A new item whose id derives from a
 * shared link is the same row whichever source writes it (ids.ts isSharedKey), so when two fetches
 * create it in the same moment the last write wins and the other source is missing from its
 * `sourceIds`. Every creator lists the item in the story inbox first, so the publisher (one writer)
 * compares the inbox with the stored item and merges the missing sources in, with the membership
 * rows a merge writes, exactly as a later fetch of that source would.
 */
import { VersionConflictError } from '../errors';
import type { ItemRepository, ItemWrite } from '../store/ports';
import type { InboxEntry } from '../story';

/** Merge attempts per item before the conflict is reported (another writer kept changing it). */
export const REPAIR_ATTEMPTS = 3;

/** Per stored item, the sources its inbox entries name that the item does not list (in entry order). */
export function lostSources(entries: Iterable<InboxEntry>, stored: ReadonlyMap<string, { sourceIds: string[] }>): Map<string, string[]> {
  const lost = new Map<string, string[]>();
  for (const entry of entries) {
    const current = stored.get(entry.itemId);
    if (!current) continue;
    for (const sourceId of entry.sourceIds) {
      if (current.sourceIds.includes(sourceId)) continue;
      const list = lost.get(entry.itemId) ?? [];
      if (!list.includes(sourceId)) list.push(sourceId);
      lost.set(entry.itemId, list);
    }
  }
  return lost;
}

/** Adds the lost sources to their items (version-checked merges, re-read after a conflict); returns each repaired item's sources. */
export async function addLostSources(items: ItemRepository, lost: ReadonlyMap<string, string[]>): Promise<Map<string, string[]>> {
  const repaired = new Map<string, string[]>();
  let pending = new Map(lost);
  for (let attempt = 1; pending.size > 0; attempt++) {
    const current = await items.getItems([...pending.keys()]);
    const writes: ItemWrite[] = [];
    for (const [id, missing] of pending) {
      const stored = current.get(id);
      if (!stored) continue;
      const { version, ...item } = stored;
      const add = missing.filter((sourceId) => !item.sourceIds.includes(sourceId));
      const sourceIds = [...item.sourceIds, ...add];
      repaired.set(id, sourceIds);
      if (add.length > 0) writes.push({ item: { ...item, sourceIds }, aliasKeys: [], kind: 'merge', expectedVersion: version, joinedSourceId: add[0] });
    }
    try {
      await items.writeItems(writes);
      return repaired;
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= REPAIR_ATTEMPTS) throw err;
      pending = new Map([...pending].filter(([id]) => err.itemIds.includes(id)));
    }
  }
  return repaired;
}
