/**
 * The publisher's work: the combined feed (the newest N items across all sources), one feed per
 * OPML tag and one per source, each as RSS 2.0, Atom 1.0 and JSON Feed 1.1, plus the status page —
 * written to the blob store only when the bytes changed, so a quiet cycle costs reads, not writes.
 * Reads only the newest-items indexes (one query for the combined feed, one per source; a tag's
 * feed merges its sources' pages); never scans, whatever the table holds. When a WebSub hub is
 * configured, the feeds that changed are announced to it; a hub failure is reported, never fatal.
 */
import pLimit from 'p-limit';
import type { Config } from '../config';
import { PublishError, TributaryError } from '../errors';
import type { Item, Source } from '../model';
import { FEED_FILES, feedUrl, renderFeeds, type FeedMeta, type PublishedFormat, type SourceInfo } from '../publish';
import { mergeNewest, tagGroups } from '../publish/select';
import { pingHub, type HubPing } from './websub';
import { collectStatus } from '../status/collect';
import { groupByStory } from '../story';
import { renderStatusPage } from '../status/render';
import type { BlobStore, ItemPage, ItemRepository, StateRepository } from '../store/ports';

/** What publishing needs; with `states` the status page is published too. */
export interface PublishDeps {
  config: Config;
  items: ItemRepository;
  blobs: BlobStore;
  states?: StateRepository;
}

/** Options of one publish. */
export interface PublishOptions {
  /** WebSub hub URL: advertised in every feed (`rel="hub"`) and pinged about each changed feed. */
  hub?: string;
  /** The time the status page describes (default: now). */
  now?: Date;
}

/** What one publish did. */
export interface PublishResult {
  /** Items in the combined feed. */
  items: number;
  /** Feed keys written (unchanged feeds are not rewritten). */
  written: string[];
  unchanged: string[];
  /** The status page's key and whether it was rewritten; absent without a state repository. */
  statusPage?: { key: string; written: boolean };
  /** One entry per changed feed URL announced to the hub (empty without a hub). */
  hubPings: HubPing[];
}

/** Key of the status page under the publish prefix. */
export const STATUS_PAGE = 'status.html';

/** Per-source reads at once. */
const READ_CONCURRENCY = 8;

/** Source display info by id, from the sources list. */
export function sourceInfoMap(sources: Source[]): Map<string, SourceInfo> {
  return new Map(sources.map((s) => [s.id, { id: s.id, title: s.title, url: s.url, ...(s.siteUrl ? { siteUrl: s.siteUrl } : {}) }]));
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** One feed to publish: its path under the prefix (no extension), title, description and items. */
interface FeedTarget {
  path: string;
  title: string;
  description: string;
  items: Item[];
}

/** Reads through a store port, turning an untyped failure into a PublishError that says what was read. */
async function read<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TributaryError) throw err;
    throw new PublishError(`reading ${what} failed`, { cause: err });
  }
}

/** The feed's metadata: `updated` is the newest change among its items, so unchanged items render the same bytes. */
function metaFor(target: FeedTarget, config: Config, hub: string | undefined): FeedMeta {
  const updated = target.items.reduce((max, i) => (i.changedAt > max ? i.changedAt : max), '') || '2000-01-01T00:00:00.000Z';
  const langs = new Set(target.items.map((i) => i.lang).filter(Boolean));
  return {
    title: target.title,
    description: target.description,
    publicUrl: config.publicUrl,
    path: target.path,
    updated,
    generator: 'Tributary',
    ...(langs.size === 1 ? { lang: [...langs][0] as string } : {}),
    ...(hub !== undefined ? { hub } : {}),
  };
}

/** Writes a body unless the stored bytes are the same; true when it wrote. */
async function writeIfChanged(blobs: BlobStore, key: string, text: string, contentType: string): Promise<boolean> {
  const body = Buffer.from(text, 'utf8');
  if (sameBytes(await read(key, () => blobs.get(key)), body)) return false;
  await blobs.put(key, body, { contentType, cacheControl: 'public, max-age=300' });
  return true;
}

/**
 * The feeds to publish: combined, per tag, per source, from the combined page and the per-source pages.
 * The combined and tag feeds hold one entry per story (groupByStory); a source's own feed lists its own items.
 */
function feedTargets(sources: Source[], combined: Item[], perSource: ReadonlyMap<string, ItemPage>, config: Config): FeedTarget[] {
  const targets: FeedTarget[] = [
    {
      path: 'feed',
      title: config.feedTitle,
      description: `${config.feedTitle}: the newest ${config.feedItems} items from ${sources.length} sources`,
      items: groupByStory(combined),
    },
  ];
  for (const group of tagGroups(sources)) {
    const label = group.tags.join(', ');
    targets.push({
      path: `tags/${group.slug}`,
      title: `${config.feedTitle}: ${label}`,
      description: `${config.feedTitle}: the newest ${config.feedItems} items tagged ${label}, from ${group.sources.length} source${group.sources.length === 1 ? '' : 's'}`,
      items: groupByStory(mergeNewest(group.sources.map((s) => perSource.get(s.id)?.items ?? []), config.feedItems)),
    });
  }
  for (const source of sources) {
    targets.push({
      path: `sources/${source.id}`,
      title: `${config.feedTitle}: ${source.title || source.id}`,
      description: `${config.feedTitle}: the newest ${config.feedItems} items from ${source.title || source.id}`,
      items: perSource.get(source.id)?.items ?? [],
    });
  }
  return targets;
}

/** Renders and writes every feed (and the status page) whose bytes changed, then pings the hub about the changed feeds. */
export async function publishFeeds(sources: Source[], deps: PublishDeps, options: PublishOptions = {}): Promise<PublishResult> {
  const { config } = deps;
  const combined = (await read('the newest items', () => deps.items.newest({ limit: config.feedItems }))).items;
  const limit = pLimit(READ_CONCURRENCY);
  const pages = await Promise.all(
    sources.map((s) => limit(async () => [s.id, await read(`the newest items of ${s.id}`, () => deps.items.newest({ sourceId: s.id, limit: config.feedItems }))] as const)),
  );
  const perSource = new Map<string, ItemPage>(pages);
  const infos = sourceInfoMap(sources);

  const result: PublishResult = { items: combined.length, written: [], unchanged: [], hubPings: [] };
  const changedUrls: string[] = [];
  // Feeds are compared and written concurrently (a serial loop made a 1,000-source publish take a
  // minute); results are collected per target so the report keeps a stable order.
  const outcomes = await Promise.all(
    feedTargets(sources, combined, perSource, config).map((target) =>
      limit(async () => {
        const meta = metaFor(target, config, options.hub);
        const rendered = renderFeeds(target.items, meta, infos);
        const done: { key: string; written: boolean; url: string }[] = [];
        for (const format of ['rss', 'atom', 'json'] as const satisfies readonly PublishedFormat[]) {
          const key = `${config.publishPrefix}${target.path}${FEED_FILES[format].ext}`;
          const written = await writeIfChanged(deps.blobs, key, rendered[format], FEED_FILES[format].contentType);
          done.push({ key, written, url: feedUrl(meta, format) });
        }
        return done;
      }),
    ),
  );
  for (const { key, written, url } of outcomes.flat()) {
    if (written) {
      result.written.push(key);
      changedUrls.push(url);
    } else {
      result.unchanged.push(key);
    }
  }

  if (deps.states) {
    const states = deps.states;
    const input = await read('the source states', () =>
      collectStatus({ items: deps.items, states }, sources, { now: options.now ?? new Date(), title: config.feedTitle, known: perSource }),
    );
    const key = `${config.publishPrefix}${STATUS_PAGE}`;
    result.statusPage = { key, written: await writeIfChanged(deps.blobs, key, renderStatusPage(input), 'text/html; charset=utf-8') };
  }

  if (options.hub !== undefined && changedUrls.length > 0) result.hubPings = await pingHub(options.hub, changedUrls, config.fetch);
  return result;
}
