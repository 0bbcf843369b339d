/**
 * Which items each published feed holds, read only through the newest-items indexes: one source's
 * newest (`newest({sourceId})`), and a tag's newest as the merge of the newest of its sources.
 * Also the file paths of the per-tag and per-source feeds.
 */
import { sha256Hex } from '../ids';
import type { Item, Source } from '../model';
import { encodeCursor } from '../store/rows';
import type { ItemPage, ItemRepository, NewestQuery } from '../store/ports';

/**
 * The URL- and key-safe name of a tag: lower-case ASCII letters, digits, `.`, `_` and `-`; other
 * runs become `-`. A tag with no ASCII letter or digit (e.g. `тех`) gets `tag-<8 hex of its sha256>`.
 */
export function tagSlug(tag: string): string {
  const slug = tag.normalize('NFKD').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '').slice(0, 64);
  if (/[a-z0-9]/.test(slug)) return slug;
  return `tag-${sha256Hex(tag.normalize('NFC')).slice(0, 8)}`;
}

/** A tag of the sources list under its slug, with the sources that carry it (several tags may share a slug). */
export interface TagGroup {
  slug: string;
  /** The tags as written in the OPML that fold to this slug, first seen first. */
  tags: string[];
  sources: Source[];
}

/** Every tag of the sources list, grouped by slug, in slug order. */
export function tagGroups(sources: readonly Source[]): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const source of sources) {
    for (const tag of source.tags) {
      const slug = tagSlug(tag);
      const group = groups.get(slug) ?? { slug, tags: [], sources: [] };
      if (!group.tags.includes(tag)) group.tags.push(tag);
      if (!group.sources.includes(source)) group.sources.push(source);
      groups.set(slug, group);
    }
  }
  return [...groups.values()].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** The sources carrying a tag, matched by the tag as written (case-insensitive) or by its slug. */
export function sourcesWithTag(sources: readonly Source[], tag: string): Source[] {
  const wanted = tag.trim().toLowerCase();
  const slug = tagSlug(tag);
  return sources.filter((s) => s.tags.some((t) => t.toLowerCase() === wanted || tagSlug(t) === slug));
}

/** The index sort key of an item (`<sortDate>#<id>`): the order every newest read returns. */
function sortKey(item: Item): string {
  return `${item.sortDate}#${item.id}`;
}

/**
 * Merges per-source pages (each newest first) into one newest-first list without duplicates (an
 * item carried by two sources of the set appears once), cut to `limit`.
 */
export function mergeNewest(pages: readonly (readonly Item[])[], limit: number): Item[] {
  const byId = new Map<string, Item>();
  for (const page of pages) for (const item of page) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0)).slice(0, limit);
}

/**
 * The newest items of a set of sources, as one page: each source's newest page (same bounds and
 * cursor), merged. The cursor is the store's own (an exclusive `<sortDate>#<id>` bound), so it pages
 * every source of the set at once and no item is skipped or repeated.
 */
export async function newestOfSources(items: ItemRepository, sourceIds: readonly string[], query: NewestQuery): Promise<ItemPage> {
  const pages = await Promise.all([...new Set(sourceIds)].map((sourceId) => items.newest({ ...query, sourceId })));
  const merged = mergeNewest(pages.map((p) => p.items), query.limit);
  const total = new Set(pages.flatMap((p) => p.items.map((i) => i.id))).size;
  const more = pages.some((p) => p.cursor !== undefined) || total > merged.length;
  const last = merged.at(-1);
  return { items: merged, ...(more && last ? { cursor: encodeCursor(sortKey(last)) } : {}) };
}
