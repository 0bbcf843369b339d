/**
 * What one publish renders, and the item reads that takes. A full publish reads the combined page
 * and every source's page. Otherwise only the sources whose feedVersion moved are "dirty": their
 * pages are read and their feeds rendered, each tag carrying one of them is re-made from its old
 * item list and those pages (publish-tags.ts; its clean sources are read only when that cannot be
 * exact), and the combined feed is re-read when anything is dirty. Nothing dirty: no item read.
 */
import pLimit from 'p-limit';
import type { Config } from '../config';
import { PublishError, TributaryError } from '../errors';
import type { Item, Source } from '../model';
import { mergeNewest, tagGroups, type TagGroup } from '../publish/select';
import type { ItemRepository } from '../store/ports';
import { groupByStory } from '../story';
import { itemSortKey, idOfSortKey, updatedTagItems } from './publish-tags';

/** Per-source reads at once. */
export const READ_CONCURRENCY = 8;

/** One feed to publish: its path under the prefix (no extension), title, description and items. */
export interface FeedTarget {
  path: string;
  title: string;
  description: string;
  items: Item[];
}

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

/** Every feed path the sources list publishes (combined, per tag, per source). */
export function feedPaths(sources: readonly Source[]): string[] {
  return ['feed', ...tagGroups(sources).map((g) => `tags/${g.slug}`), ...sources.map((s) => `sources/${s.id}`)];
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

function sourceTarget(source: Source, items: Item[], config: Config): FeedTarget {
  const name = source.title || source.id;
  return { path: `sources/${source.id}`, title: `${config.feedTitle}: ${name}`, description: `${config.feedTitle}: the newest ${config.feedItems} items from ${name}`, items };
}

/** Reads the pages of these sources that are not read yet, into `pages` and `known`. */
async function readPages(items: ItemRepository, ids: readonly string[], limit: number, pages: Map<string, Item[]>, known: Map<string, Item>): Promise<void> {
  const run = pLimit(READ_CONCURRENCY);
  await Promise.all(
    ids.filter((id) => !pages.has(id)).map((id) =>
      run(async () => {
        const page = (await read(`the newest items of ${id}`, () => items.newest({ sourceId: id, limit }))).items;
        pages.set(id, page);
        for (const item of page) known.set(item.id, item);
      }),
    ),
  );
}

/** Reads the current versions of the old tag items not read already (one batched read for all tags). */
async function readTagItems(items: ItemRepository, groups: readonly TagGroup[], previousTags: PlanInput['previousTags'], known: Map<string, Item>): Promise<void> {
  const wanted = [...new Set(groups.flatMap((g) => (previousTags[g.slug] ?? []).map(idOfSortKey)))].filter((id) => !known.has(id));
  if (wanted.length === 0) return;
  const found = await read('the items of the tag feeds', () => items.getItems(wanted));
  for (const [id, stored] of found) {
    const { version: _version, ...item } = stored;
    known.set(id, item);
  }
}

/** Works out the feeds to render and reads what they need (see the module comment). */
export async function planFeeds(input: PlanInput, items: ItemRepository, config: Config): Promise<FeedPlan> {
  const { sources, dirty, full } = input;
  const limit = config.feedItems;
  const plan: FeedPlan = { targets: [], tags: {} };
  if (!full && dirty.size === 0) return plan;
  const known = new Map<string, Item>();
  const pages = new Map<string, Item[]>();
  const combined = (await read('the newest items', () => items.newest({ limit }))).items;
  for (const item of combined) known.set(item.id, item);
  plan.combinedItems = combined.length;
  plan.targets.push({
    path: 'feed',
    title: config.feedTitle,
    description: `${config.feedTitle}: the newest ${limit} items from ${sources.length} sources`,
    items: groupByStory(combined),
  });
  await readPages(items, sources.filter((s) => dirty.has(s.id)).map((s) => s.id), limit, pages, known);
  const groups = tagGroups(sources).filter((g) => full || g.sources.some((s) => dirty.has(s.id)));
  if (!full) await readTagItems(items, groups, input.previousTags, known);
  for (const group of groups) {
    let list = full ? undefined : updatedTagItems(group, input.previousTags[group.slug], dirty, pages, known, limit);
    if (!list) {
      await readPages(items, group.sources.map((s) => s.id), limit, pages, known);
      list = mergeNewest(group.sources.map((s) => pages.get(s.id) ?? []), limit);
    }
    plan.tags[group.slug] = list.map(itemSortKey);
    plan.targets.push(tagTarget(group, list, config));
  }
  for (const source of sources) if (dirty.has(source.id)) plan.targets.push(sourceTarget(source, pages.get(source.id) ?? [], config));
  return plan;
}
