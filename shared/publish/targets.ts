/**
 * What a published feed is made of besides the generators: its path, title and description, and
 * the FeedMeta it is rendered with. The publisher (combined and tag feeds, written to the bucket)
 * and the API (per-source feeds, rendered on demand) both build their feeds here, so a feed has the
 * same title, self link and bytes whoever renders it.
 */
import type { Config } from '../config';
import type { Item, Source } from '../model';
import type { FeedMeta, SourceInfo } from './types';

/** One feed to render: its path under the public URL (no extension), title, description and items. */
export interface FeedTarget {
  path: string;
  title: string;
  description: string;
  items: Item[];
}

/** The settings a feed's text depends on. */
export type FeedSettings = Pick<Config, 'feedTitle' | 'feedItems' | 'publicUrl'>;

/** The path of a source's feed under the public URL: `sources/<id>` (served by the API, not published). */
export function sourceFeedPath(sourceId: string): string {
  return `sources/${sourceId}`;
}

/** The feed of one source: its newest items, titled after the source. */
export function sourceFeedTarget(source: Source, items: Item[], settings: FeedSettings): FeedTarget {
  const name = source.title || source.id;
  return {
    path: sourceFeedPath(source.id),
    title: `${settings.feedTitle}: ${name}`,
    description: `${settings.feedTitle}: the newest ${settings.feedItems} items from ${name}`,
    items,
  };
}

/** Source display info by id, from the sources list. */
export function sourceInfoMap(sources: readonly Source[]): Map<string, SourceInfo> {
  return new Map(sources.map((s) => [s.id, { id: s.id, title: s.title, url: s.url, ...(s.siteUrl ? { siteUrl: s.siteUrl } : {}) }]));
}

/** A feed's metadata: `updated` is the newest change among its items, so unchanged items render the same bytes. */
export function feedMetaFor(target: FeedTarget, publicUrl: string, hub: string | undefined): FeedMeta {
  const updated = target.items.reduce((max, i) => (i.changedAt > max ? i.changedAt : max), '') || '2000-01-01T00:00:00.000Z';
  const langs = new Set(target.items.map((i) => i.lang).filter(Boolean));
  return {
    title: target.title,
    description: target.description,
    publicUrl,
    path: target.path,
    updated,
    generator: 'Tributary',
    ...(langs.size === 1 ? { lang: [...langs][0] as string } : {}),
    ...(hub !== undefined ? { hub } : {}),
  };
}

