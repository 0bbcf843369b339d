/** Builders of Items and ItemWrites for the store tests. */
import type { Item } from '../../shared/model';
import type { ItemWrite } from '../../shared/store/ports';
import { idForKey, sha256Hex } from '../../shared/ids';

/** An Item whose id derives from `key`, carried by `sourceId`, sorting at `sortDate`. */
export function makeItem(key: string, sourceId: string, sortDate: string, extra: Partial<Item> = {}): Item {
  return {
    id: idForKey(key),
    sourceId,
    sourceIds: [sourceId],
    title: `Title of ${key}`,
    url: `https://example.com/${encodeURIComponent(key)}`,
    authors: [],
    categories: [],
    enclosures: [],
    contentHash: sha256Hex(key).slice(0, 16),
    sortDate,
    firstSeenAt: sortDate,
    changedAt: sortDate,
    ...extra,
  };
}

/** A 'new' write of `item` with optional alias keys. */
export function newWrite(item: Item, aliasKeys: string[] = []): ItemWrite {
  return { item, aliasKeys, kind: 'new' };
}

/** Items sorted as `newest` returns them: sortDate, then id, both descending. */
export function newestFirst(items: Item[]): Item[] {
  const sortKey = (item: Item) => `${item.sortDate}#${item.id}`;
  return [...items].sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0));
}

/** `count` items of one source spread over the given months (day = 1 + index % 28, distinct times). */
export function spreadItems(prefix: string, sourceId: string, months: string[], count: number): Item[] {
  return Array.from({ length: count }, (_, i) => {
    const month = months[i % months.length] ?? '2026-01';
    const day = String(1 + (i % 28)).padStart(2, '0');
    const minute = String(i % 60).padStart(2, '0');
    return makeItem(`u:https://${prefix}.example/${i}`, sourceId, `${month}-${day}T10:${minute}:00.000Z`);
  });
}
