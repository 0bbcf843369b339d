/**
 * What the feed generators take besides the items: the combined feed's own metadata and the
 * sources the items came from. Also the file names and content types the publisher writes.
 */

/** Metadata of one published feed (the combined feed or a per-tag feed). */
export interface FeedMeta {
  title: string;
  description?: string;
  /** Public base URL, e.g. `https://d123.cloudfront.net` (a trailing slash is ignored). */
  publicUrl: string;
  /** Path of this feed under publicUrl without extension, e.g. `feed` or `tags/world`; must be URL-safe. */
  path: string;
  /** BCP 47 language tag of the feed, e.g. `en`. */
  lang?: string;
  /** WebSub hub URL, advertised in every format when given. */
  hub?: string;
  /** Name of the software that wrote the feed, e.g. `Tributary 0.1.0`. */
  generator?: string;
  /** When the feed last changed, ISO 8601 / RFC 3339. */
  updated: string;
}

/** A followed source as the published feeds attribute items to it. */
export interface SourceInfo {
  id: string;
  title: string;
  /** The source's feed URL ('' when unknown). */
  url: string;
  /** The source's home page, when known. */
  siteUrl?: string;
}

/** The three formats Tributary publishes. */
export type PublishedFormat = 'rss' | 'atom' | 'json';

/** One rendered document per published format. */
export type RenderedFeeds = Record<PublishedFormat, string>;

/** File extension and Content-Type of each published format. */
export const FEED_FILES = {
  rss: { ext: '.xml', contentType: 'application/rss+xml; charset=utf-8' },
  atom: { ext: '.atom', contentType: 'application/atom+xml; charset=utf-8' },
  json: { ext: '.json', contentType: 'application/feed+json; charset=utf-8' },
} as const satisfies Record<PublishedFormat, { ext: string; contentType: string }>;
