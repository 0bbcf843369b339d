/**
 * `GET /sources/{id}.xml|.atom|.json`: one source's feed, rendered on demand from its newest
 * `feedItems` items — the publisher no longer writes per-source files (shared/pipeline/publish-feeds.ts).
 * The title, description, FeedMeta and renderers are the publisher's own (shared/publish/targets.ts),
 * and the self link is the public URL the feed always had (`<publicUrl>/sources/<id>.xml`), so
 * subscribers see no change. Answers carry a strong ETag (a hash of the body) and a max-age the CDN
 * honours; a matching If-None-Match gets a 304.
 */
import { createHash } from 'node:crypto';
import type { Source } from '../model';
import { FEED_FILES, renderFeeds, type PublishedFormat } from '../publish';
import { feedMetaFor, sourceFeedTarget, sourceInfoMap } from '../publish/targets';
import type { Runtime } from '../runtime';
import { SOURCE_FEED_MAX_AGE_SECONDS } from './cdn';
import type { ApiRequest, ApiResponse } from './router';

/** A per-source feed name split up: `world-news.atom` → `world-news`, atom. */
export interface SourceFeedName {
  sourceId: string;
  format: PublishedFormat;
}

const FORMATS = Object.keys(FEED_FILES) as PublishedFormat[];

/** The source id and format of a feed file name; undefined when the name has no feed extension (nor anything before it). */
export function parseSourceFeedName(name: string): SourceFeedName | undefined {
  const format = FORMATS.find((f) => name.endsWith(FEED_FILES[f].ext) && name.length > FEED_FILES[f].ext.length);
  return format ? { sourceId: name.slice(0, -FEED_FILES[format].ext.length), format } : undefined;
}

/** One source's feed as the publisher would render it, from its newest items, with self links under `publicUrl`. */
export async function renderSourceFeed(
  rt: Pick<Runtime, 'items' | 'config'>,
  source: Source,
  sources: readonly Source[],
  format: PublishedFormat,
  publicUrl: string = rt.config.publicUrl,
): Promise<string> {
  const { items } = await rt.items.newest({ sourceId: source.id, limit: rt.config.feedItems });
  const target = sourceFeedTarget(source, items, rt.config);
  return renderFeeds(target.items, feedMetaFor(target, publicUrl, rt.config.websubHub), sourceInfoMap(sources))[format];
}

/** A strong ETag for a body: its sha256, base64url, quoted. */
export function strongEtag(body: string | Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/** True when an If-None-Match value matches the ETag (`*`, or any listed tag by weak comparison, RFC 9110 13.1.2). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** The answer to a feed request for a known source: 200 with the feed, or 304 when the client's copy is current. */
export async function sourceFeedResponse(req: ApiRequest, rt: Runtime, source: Source, sources: readonly Source[], format: PublishedFormat): Promise<ApiResponse> {
  const body = await renderSourceFeed(rt, source, sources, format, req.publicUrl ?? rt.config.publicUrl);
  const etag = strongEtag(body);
  const headers = { etag, 'cache-control': `public, max-age=${SOURCE_FEED_MAX_AGE_SECONDS}` };
  if (etagMatches(req.headers?.['if-none-match'], etag)) return { status: 304, headers, body: '' };
  return { status: 200, headers: { 'content-type': FEED_FILES[format].contentType, ...headers }, body };
}
