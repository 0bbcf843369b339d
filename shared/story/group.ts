/**
 * One feed entry per story: items of one story (same storyId) become one entry — the story's
 * earliest-published item — credited to every source of the group in arrival order. Pure.
 */
import type { Item } from '../model';

/** When an item was published, for picking a story's entry: published, else its sort date. */
function publishedOf(item: Item): string {
  return item.published ?? item.sortDate;
}

/** Order of arrival: first seen, then id. */
function arrival(a: Item, b: Item): number {
  return a.firstSeenAt < b.firstSeenAt ? -1 : a.firstSeenAt > b.firstSeenAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Groups items (newest first) by story and returns one entry per story, newest first by the entry's
 * sort date. The entry is the earliest-published member; its sourceIds are its own, then the other
 * members' in arrival order, and its changedAt the latest of the members' (a new outlet changes it).
 */
export function groupByStory(items: readonly Item[]): Item[] {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = item.storyId ?? item.id;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const entries: Item[] = [];
  for (const group of groups.values()) {
    if (group.length === 1) {
      entries.push(group[0] as Item);
      continue;
    }
    const lead = group.reduce((best, i) => {
      const a = publishedOf(i);
      const b = publishedOf(best);
      return a < b || (a === b && arrival(i, best) < 0) ? i : best;
    });
    const sourceIds = [...new Set([...lead.sourceIds, ...[...group].sort(arrival).flatMap((i) => i.sourceIds)])];
    const changedAt = group.reduce((max, i) => (i.changedAt > max ? i.changedAt : max), lead.changedAt);
    entries.push({ ...lead, sourceIds, changedAt });
  }
  const key = (i: Item) => `${i.sortDate}#${i.id}`;
  return entries.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}
