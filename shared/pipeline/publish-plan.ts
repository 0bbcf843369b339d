/**
 * What one publish renders, and the item reads that takes. A full publish reads the combined page
 * and, per tag, either a few more combined pages (a tag of a large share of the sources) or every
 * tagged source's page. Otherwise only the sources whose feedVersion moved are "dirty":
 * the combined feed is re-read, a tag of at least half the sources carrying one of them is walked
 * from the combined pages (a tag of every source needs no read of its own), and any other such tag
 * is re-made from its old item list and the dirty sources' pages (publish-tags.ts; its clean
 * sources are read only when that cannot be exact). A dirty source with no tag costs no read of its
 * own. Nothing dirty: no item read.
 * Per-source feeds are not published: the API renders them on demand (shared/api/source-feed.ts).
 */
import pLimit from 'p-limit';
import type { Config } from '../config';
import { PublishError, TributaryError } from '../errors';
import type { Item, Source } from '../model';
import { mergeNewest, tagGroups, type TagGroup } from '../publish/select';
import type { FeedTarget } from '../publish/targets';
import type { ItemPage, ItemRepository } from '../store/ports';
import { groupByStory } from '../story';
import { itemSortKey, idOfSortKey, sortDateOfSortKey, updatedTagItems } from './publish-tags';

/** Per-source reads at once. */
export const READ_CONCURRENCY = 16;

export type { FeedTarget } from '../publish/targets';

/** What to render: the targets, the new item lists of the tags re-made, and the combined feed's size when it was read. */
export interface FeedPlan {
  targets: FeedTarget[];
  tags: Record<string, string[]>;
  combinedItems?: number;
}

/** What planning needs to know about the last publish. */
export interface PlanInput {
  sources: Source[];
  /** Every source id on a full publish; else the sources whose feedVersion moved. */
  dirty: ReadonlySet<string>;
  full: boolean;
  /** The tags' old item lists (sort keys, newest first), from the manifest. */
  previousTags: Readonly<Record<string, string[]>>;
}

/** Reads through a store port, turning an untyped failure into a PublishError that says what was read. */
export async function read<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TributaryError) throw err;
    throw new PublishError(`reading ${what} failed`, { cause: err });
  }
}

/** Every feed path the sources list publishes: the combined feed and one per tag (per-source feeds are rendered on demand). */
export function feedPaths(sources: readonly Source[]): string[] {
  return ['feed', ...tagGroups(sources).map((g) => `tags/${g.slug}`)];
}

function tagTarget(group: TagGroup, items: Item[], config: Config): FeedTarget {
  const label = group.tags.join(', ');
  const n = group.sources.length;
  return {
    path: `tags/${group.slug}`,
    title: `${config.feedTitle}: ${label}`,
    description: `${config.feedTitle}: the newest ${config.feedItems} items tagged ${label}, from ${n} source${n === 1 ? '' : 's'}`,
    items: groupByStory(items),
  };
}

/** Reads the pages of these sources that are not read yet into `pages`, a source in `since` only down to that sortDate; returns the items read. */
async function readPages(
  items: ItemRepository,
  ids: readonly string[],
  limit: number,
  pages: Map<string, Item[]>,
  since: ReadonlyMap<string, string> = new Map(),
): Promise<Item[]> {
  const got: Item[] = [];
  const run = pLimit(READ_CONCURRENCY);
  await Promise.all(
    ids.filter((id) => !pages.has(id)).map((id) =>
      run(async () => {
        const from = since.get(id);
        const page = (await read(`the newest items of ${id}`, () => items.newest({ sourceId: id, limit, ...(from ? { since: from } : {}) }))).items;
        pages.set(id, page);
        got.push(...page);
      }),
    ),
  );
  return got;
}

/**
 * The sortDate down to which each dirty source's page is read for the incremental tag update: the
 * lowest floor (last sort key) among the full old lists of its tags. updatedTagItems uses only the
 * items at or above a tag's floor, so the rest of the page is never needed; a source in a tag whose
 * old list is unknown or short has no bound (its whole page is read).
 */
export function pageFloors(groups: readonly TagGroup[], dirty: ReadonlySet<string>, previousTags: PlanInput['previousTags'], limit: number): Map<string, string> {
  const floors = new Map<string, string>();
  const unbounded = new Set<string>();
  for (const group of groups) {
    const previous = previousTags[group.slug];
    const floor = previous && previous.length >= limit ? sortDateOfSortKey(previous[previous.length - 1] as string) : undefined;
    for (const { id } of group.sources) {
      if (!dirty.has(id)) continue;
      if (floor === undefined) unbounded.add(id);
      else if (!floors.has(id) || floor < (floors.get(id) as string)) floors.set(id, floor);
    }
  }
  for (const id of unbounded) floors.delete(id);
  return floors;
}

/** Reads the current versions of the old tag items not read already (one batched read for all tags). */
async function readTagItems(items: ItemRepository, groups: readonly TagGroup[], previousTags: PlanInput['previousTags'], known: Map<string, Item>): Promise<void> {
  const wanted = [...new Set(groups.flatMap((g) => (previousTags[g.slug] ?? []).map(idOfSortKey)))].filter((id) => !known.has(id));
  if (wanted.length === 0) return;
  // Eventually consistent, as the indexes the other pages come from: a change a second old is published next time.
  const found = await read('the items of the tag feeds', () => items.getItems(wanted, { eventual: true }));
  for (const [id, stored] of found) {
    const { version: _version, ...item } = stored;
    known.set(id, item);
  }
}

/** Pages of the combined index a tag may walk, per share of the sources it covers (1 for all, 4 for a quarter). */
const COMBINED_WALK_FACTOR = 2;

/**
 * A tag's newest items taken from the combined index when the tag covers a large share of the
 * sources: the combined pages, filtered to items one of its sources carries, are the same list the
 * merge of every source's page gives (same order, each item once), for far fewer reads (a tag of
 * every source needs none). Undefined when the walk would be long: the per-source merge is then cheaper.
 */
async function tagFromCombined(items: ItemRepository, group: TagGroup, allSources: number, first: ItemPage, limit: number): Promise<Item[] | undefined> {
  const maxPages = Math.floor((COMBINED_WALK_FACTOR * allSources) / Math.max(1, group.sources.length));
  if (maxPages < 1 || maxPages > 8) return undefined;
  const members = new Set(group.sources.map((s) => s.id));
  const list: Item[] = [];
  let page: ItemPage = first;
  for (let n = 1; ; n++) {
    for (const item of page.items) if (list.length < limit && item.sourceIds.some((id) => members.has(id))) list.push(item);
    if (list.length >= limit || !page.cursor) return list;
    if (n >= maxPages) return undefined;
    const cursor = page.cursor;
    page = await read('the newest items', () => items.newest({ limit, cursor }));
  }
}

/** A tag over at least half of the sources: its list comes from the combined pages (tagFromCombined) in one or two reads, without the pages of its dirty sources. */
const isWide = (group: TagGroup, allSources: number): boolean => group.sources.length * 2 >= allSources;

/** The dirty sources of these groups, each once. */
const dirtyOf = (groups: readonly TagGroup[], dirty: ReadonlySet<string>): string[] => [...new Set(groups.flatMap((g) => g.sources.filter((s) => dirty.has(s.id)).map((s) => s.id)))];

/** Works out the feeds to render and reads what they need (see the module comment). */
export async function planFeeds(input: PlanInput, items: ItemRepository, config: Config): Promise<FeedPlan> {
  const { sources, dirty, full } = input;
  const limit = config.feedItems;
  const plan: FeedPlan = { targets: [], tags: {} };
  if (!full && dirty.size === 0) return plan;
  const known = new Map<string, Item>();
  const pages = new Map<string, Item[]>();
  const groups = tagGroups(sources).filter((g) => full || g.sources.some((s) => dirty.has(s.id)));
  // A wide tag's list is walked from the combined pages first; the others are updated incrementally.
  const wide = new Set(full ? [] : groups.filter((g) => isWide(g, sources.length)));
  const narrow = groups.filter((g) => !wide.has(g));
  // The dirty sources' pages feed the incremental tag update (each only down to its tags' floor),
  // read with the combined page; a full publish reads each tag's sources below.
  const bounded = full ? new Map<string, string>() : pageFloors(groups, dirty, input.previousTags, limit);
  const [first, paged] = await Promise.all([
    read('the newest items', () => items.newest({ limit })),
    full ? [] : readPages(items, dirtyOf(narrow, dirty), limit, pages, bounded),
  ]);
  const combined = first.items;
  // The pages' copies over the combined page's, as when they were read after it.
  for (const item of [...combined, ...paged]) known.set(item.id, item);
  plan.combinedItems = combined.length;
  plan.targets.push({
    path: 'feed',
    title: config.feedTitle,
    description: `${config.feedTitle}: the newest ${limit} items from ${sources.length} sources`,
    items: groupByStory(combined),
  });
  if (!full) await readTagItems(items, narrow, input.previousTags, known);
  for (const group of groups) {
    const walkedFirst = wide.has(group);
    let list = walkedFirst ? await tagFromCombined(items, group, sources.length, first, limit) : undefined;
    if (!list && walkedFirst) {
      // The walk would be long: update it incrementally after all, from its dirty sources' pages.
      for (const item of await readPages(items, dirtyOf([group], dirty), limit, pages, bounded)) known.set(item.id, item);
      await readTagItems(items, [group], input.previousTags, known);
    }
    if (!list && !full) list = updatedTagItems(group, input.previousTags[group.slug], dirty, pages, known, limit);
    if (!list && !walkedFirst) list = await tagFromCombined(items, group, sources.length, first, limit);
    if (!list) {
      // A page read down to a floor only is not the source's whole page: read it again in full.
      for (const id of bounded.keys()) pages.delete(id);
      bounded.clear();
      for (const item of await readPages(items, group.sources.map((s) => s.id), limit, pages)) known.set(item.id, item);
      list = mergeNewest(group.sources.map((s) => pages.get(s.id) ?? []), limit);
    }
    plan.tags[group.slug] = list.map(itemSortKey);
    plan.targets.push(tagTarget(group, list, config));
  }
  return plan;
}
