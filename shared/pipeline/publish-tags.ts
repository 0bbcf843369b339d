/**
 * A tag feed's items after some of its sources changed, from the items it had and the new pages
 * of the changed sources only. A tag feed is the newest N of the union of its sources' newest-N
 * pages. An item of that feed that one of its clean (unchanged) sources carries is in that
 * source's page (were N newer items of that source ahead of it, they would all be in the union
 * and push it out), and the pages of clean sources are as they were. So every item of the new
 * union at or above the old feed's last sort key is either in the old feed and carried by a clean
 * source, or in a changed source's page; when that set holds N such items its newest N are the
 * answer. When it does not (an item of a changed source moved down), or the old list is unknown,
 * the caller reads every source of the tag.
 */
import type { Item } from '../model';
import type { TagGroup } from '../publish/select';
import { mergeNewest } from '../publish/select';

/** The index sort key of an item, as the per-source pages order them. */
export function itemSortKey(item: Item): string {
  return `${item.sortDate}#${item.id}`;
}

/** The item id in an index sort key (`<sortDate>#<id>`). */
export function idOfSortKey(key: string): string {
  return key.slice(key.lastIndexOf('#') + 1);
}

/** The sortDate in an index sort key (`<sortDate>#<id>`). */
export function sortDateOfSortKey(key: string): string {
  return key.slice(0, key.lastIndexOf('#'));
}

/**
 * The tag's new items from `previous` (the old feed's sort keys, newest first), the changed
 * sources' new pages, and the old items (`known`, by id, current versions); undefined when this
 * cannot be exact and every source's page must be read.
 */
export function updatedTagItems(
  group: TagGroup,
  previous: readonly string[] | undefined,
  dirty: ReadonlySet<string>,
  pages: ReadonlyMap<string, readonly Item[]>,
  known: ReadonlyMap<string, Item>,
  limit: number,
): Item[] | undefined {
  if (!previous) return undefined;
  const clean = new Set(group.sources.filter((s) => !dirty.has(s.id)).map((s) => s.id));
  const kept: Item[] = [];
  for (const key of previous) {
    const item = known.get(idOfSortKey(key));
    if (!item || itemSortKey(item) !== key) return undefined;
    if (item.sourceIds.some((id) => clean.has(id))) kept.push(item);
  }
  const changed = group.sources.filter((s) => dirty.has(s.id)).map((s) => pages.get(s.id));
  if (changed.some((p) => p === undefined)) return undefined;
  const candidates = mergeNewest([kept, ...(changed as Item[][])], Number.MAX_SAFE_INTEGER);
  if (previous.length >= limit) {
    const floor = previous[previous.length - 1] as string;
    if (candidates.filter((i) => itemSortKey(i) >= floor).length < limit) return undefined;
  }
  return candidates.slice(0, limit);
}
