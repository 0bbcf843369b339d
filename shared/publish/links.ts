/**
 * Ids and URLs shared by the three generators, so every format names an item, a source and a
 * feed the same way.
 */
import type { FeedMeta, PublishedFormat, SourceInfo } from './types';
import { FEED_FILES } from './types';

/** The stable id of an item in every format: it never changes when the item's title or link does. */
export function itemUrn(itemId: string): string {
  return `urn:tributary:item:${itemId}`;
}

/** The stable id of a source (Atom `source/id`, fallback `via` target). */
export function sourceUrn(sourceId: string): string {
  return `urn:tributary:source:${sourceId}`;
}

/** The public base URL without trailing slashes. */
export function baseUrl(meta: Pick<FeedMeta, 'publicUrl'>): string {
  return meta.publicUrl.replace(/\/+$/, '');
}

/** The public URL of this feed in one format: `${publicUrl}/${path}${ext}`. */
export function feedUrl(meta: Pick<FeedMeta, 'publicUrl' | 'path'>, format: PublishedFormat): string {
  const path = meta.path.replace(/^\/+|\/+$/g, '');
  return `${baseUrl(meta)}/${path}${FEED_FILES[format].ext}`;
}

/**
 * The Atom feed id: the Atom self URL. It is derived only from publicUrl and path, so it is
 * stable across renders, and unlike a bare path it is unique across deployments (RFC 4287 4.2.6).
 */
export function feedId(meta: FeedMeta): string {
  return feedUrl(meta, 'atom');
}

/** The source an id names; a source missing from the map is attributed by its id alone. */
export function sourceFor(sources: ReadonlyMap<string, SourceInfo>, sourceId: string): SourceInfo {
  return sources.get(sourceId) ?? { id: sourceId, title: sourceId, url: '' };
}

/** The item's sources, first one first, each id once; falls back to `sourceId` when `sourceIds` is empty. */
export function itemSources(
  sources: ReadonlyMap<string, SourceInfo>,
  item: { sourceId: string; sourceIds: readonly string[] },
): SourceInfo[] {
  const ids = item.sourceIds.length > 0 ? item.sourceIds : [item.sourceId];
  return [...new Set(ids)].map((id) => sourceFor(sources, id));
}

/** A display name for a source: its title, else its id. */
export function sourceName(source: SourceInfo): string {
  return source.title.trim() !== '' ? source.title : source.id;
}

/** A byte length worth writing: a positive whole number, else undefined (0 conventionally means unknown). */
export function knownLength(length: number | undefined): number | undefined {
  return length !== undefined && Number.isFinite(length) && length >= 1 ? Math.floor(length) : undefined;
}
