/**
 * The publisher's work: the newest N items across all sources, rendered as RSS 2.0, Atom 1.0 and
 * JSON Feed 1.1 and written to the blob store — only when the bytes changed, so a quiet cycle costs
 * reads, not writes. Reads the newest-items index; never scans, whatever the table holds.
 */
import type { Config } from '../config';
import { PublishError, TributaryError } from '../errors';
import type { Item, Source } from '../model';
import { FEED_FILES, renderFeeds, type SourceInfo } from '../publish';
import type { BlobStore, ItemRepository } from '../store/ports';

/** What publishing needs. */
export interface PublishDeps {
  config: Config;
  items: ItemRepository;
  blobs: BlobStore;
}

/** What one publish did. */
export interface PublishResult {
  items: number;
  /** Keys written (unchanged feeds are not rewritten). */
  written: string[];
  unchanged: string[];
}

/** Source display info by id, from the sources list. */
export function sourceInfoMap(sources: Source[]): Map<string, SourceInfo> {
  return new Map(sources.map((s) => [s.id, { id: s.id, title: s.title, url: s.url, ...(s.siteUrl ? { siteUrl: s.siteUrl } : {}) }]));
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** Renders the combined feeds of the newest items and writes the ones that changed. */
export async function publishFeeds(sources: Source[], deps: PublishDeps, path = 'feed'): Promise<PublishResult> {
  const { config } = deps;
  let items: Item[];
  try {
    items = (await deps.items.newest({ limit: config.feedItems })).items;
  } catch (err) {
    if (err instanceof TributaryError) throw err;
    throw new PublishError('reading the newest items failed', { cause: err });
  }
  // The newest change, not the clock, so unchanged items render to the same bytes (and no PUT).
  const updated = items.reduce((max, i) => (i.changedAt > max ? i.changedAt : max), '') || new Date().toISOString();
  const langs = new Set(items.map((i) => i.lang).filter(Boolean));
  const meta = {
    title: config.feedTitle,
    description: `${config.feedTitle}: the newest ${config.feedItems} items from ${sources.length} sources`,
    publicUrl: config.publicUrl,
    path,
    updated,
    generator: 'Tributary',
    ...(langs.size === 1 ? { lang: [...langs][0] as string } : {}),
  };
  const rendered = renderFeeds(items, meta, sourceInfoMap(sources));
  const result: PublishResult = { items: items.length, written: [], unchanged: [] };
  for (const format of ['rss', 'atom', 'json'] as const) {
    const key = `${config.publishPrefix}${path}${FEED_FILES[format].ext}`;
    const body = Buffer.from(rendered[format], 'utf8');
    if (sameBytes(await deps.blobs.get(key), body)) {
      result.unchanged.push(key);
      continue;
    }
    await deps.blobs.put(key, body, { contentType: FEED_FILES[format].contentType, cacheControl: 'public, max-age=300' });
    result.written.push(key);
  }
  return result;
}
