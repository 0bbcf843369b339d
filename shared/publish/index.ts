/**
 * Pure generators of the published feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) from stored items,
 * newest first. Same input, byte-identical output, so an unchanged feed is not re-uploaded.
 */
import type { Item } from '../model';
import { renderAtom } from './atom';
import { renderJsonFeed } from './jsonfeed';
import { renderRss } from './rss';
import type { FeedMeta, RenderedFeeds, SourceInfo } from './types';

export { renderAtom } from './atom';
export { renderJsonFeed } from './jsonfeed';
export { renderRss, TRIBUTARY_NS } from './rss';
export { feedId, feedUrl, itemUrn, sourceUrn } from './links';
export { cleanText, escapeAttr, escapeText } from './xml';
export { FEED_FILES } from './types';
export type { FeedMeta, PublishedFormat, RenderedFeeds, SourceInfo } from './types';

/** The feed in all three formats. */
export function renderFeeds(
  items: readonly Item[],
  meta: FeedMeta,
  sources: ReadonlyMap<string, SourceInfo>,
): RenderedFeeds {
  return {
    rss: renderRss(items, meta, sources),
    atom: renderAtom(items, meta, sources),
    json: renderJsonFeed(items, meta, sources),
  };
}
