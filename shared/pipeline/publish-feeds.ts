/**
 * The publisher's work: the combined feed (the newest N items across all sources), one feed per
 * OPML tag and one per source, each as RSS 2.0, Atom 1.0 and JSON Feed 1.1, plus the status page.
 * Only what changed is read and rendered: each source's feedVersion (bumped by the fetcher when an
 * ingest changed its items) is compared with the publish manifest (publish-manifest.ts), and only
 * the dirty sources' feeds, their tags' feeds and the combined feed are re-made (publish-plan.ts).
 * Rendered bytes are compared with the manifest's hashes, never with a GET of the old file, and
 * written only when they differ; the manifest is written last, and only when it changed. A full
 * publish runs when the manifest is missing or unreadable, when the settings or the sources list
 * changed, on the first publish of a process (new code may render differently), and every
 * VERIFY_EVERY_MS, when it also compares every file with the stored bytes. The feeds of a source or
 * tag removed from the OPML are deleted by the full publish that follows (the manifest lists what
 * was published; files it never listed are never touched). When a WebSub
 * hub is configured, the feeds that changed are announced to it; a hub failure is reported, never fatal.
 */
import pLimit from 'p-limit';
import type { Config } from '../config';
import type { Source, SourceState } from '../model';
import { FEED_FILES, feedUrl, renderFeeds, type FeedMeta, type PublishedFormat, type SourceInfo } from '../publish';
import { collectStatus } from '../status/collect';
import { renderStatusPage } from '../status/render';
import type { BlobStore, ItemRepository, StateRepository } from '../store/ports';
import { contextHash, manifestKey, MANIFEST_VERSION, readManifest, serialiseManifest, sha256, type PublishManifest } from './publish-manifest';
import { feedPaths, planFeeds, read, READ_CONCURRENCY, type FeedTarget } from './publish-plan';
import { pingHub, type HubPing } from './websub';

/** What publishing needs; with `states` the status page is published too, and only changed feeds are re-made. */
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
  /** Feed keys not written: rendered to the same bytes, or not re-made since nothing they show changed. */
  unchanged: string[];
  /** Feed paths rendered (`feed`, `tags/…`, `sources/…`). */
  rendered: string[];
  /** True when every feed was re-made (see the module comment). */
  full: boolean;
  /** The status page's key and whether it was rewritten; absent without a state repository. */
  statusPage?: { key: string; written: boolean };
  /** Feed keys deleted: published before, for a source or tag no longer in the sources list. */
  deleted: string[];
  /** One entry per changed feed URL announced to the hub (empty without a hub). */
  hubPings: HubPing[];
}

/** Key of the status page under the publish prefix. */
export const STATUS_PAGE = 'status.html';
/** A full publish that compares every file with the stored bytes runs at least this often. */
export const VERIFY_EVERY_MS = 6 * 60 * 60_000;

/** Prefixes (per bucket) this process has published fully: the first publish of a process re-makes everything. */
const publishedHere = new Set<string>();

/** Source display info by id, from the sources list. */
export function sourceInfoMap(sources: Source[]): Map<string, SourceInfo> {
  return new Map(sources.map((s) => [s.id, { id: s.id, title: s.title, url: s.url, ...(s.siteUrl ? { siteUrl: s.siteUrl } : {}) }]));
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

/** How files are compared: the manifest's hashes, and a GET of the stored file where there is no hash or when verifying. */
interface FileWriter {
  blobs: BlobStore;
  known: Readonly<Record<string, string>>;
  verify: boolean;
  /** The hashes of the bytes now published, filled in as files are compared. */
  hashes: Record<string, string>;
}

/** Writes a body unless the published bytes are the same; true when it wrote. */
async function writeIfChanged(writer: FileWriter, key: string, text: string, contentType: string): Promise<boolean> {
  const body = Buffer.from(text, 'utf8');
  const hash = sha256(body);
  writer.hashes[key] = hash;
  const known = writer.verify ? undefined : writer.known[key];
  if (known === hash) return false;
  if (known === undefined) {
    const stored = await read(key, () => writer.blobs.get(key));
    if (stored !== undefined && sha256(stored) === hash) return false;
  }
  await writer.blobs.put(key, body, { contentType, cacheControl: 'public, max-age=300' });
  return true;
}

/** Renders the targets and writes the files whose bytes changed, concurrently; the changed feed URLs in target order. */
async function writeTargets(targets: FeedTarget[], writer: FileWriter, config: Config, sources: Source[], hub: string | undefined) {
  const infos = sourceInfoMap(sources);
  const limit = pLimit(READ_CONCURRENCY);
  const outcomes = await Promise.all(
    targets.map((target) =>
      limit(async () => {
        const meta = metaFor(target, config, hub);
        const rendered = renderFeeds(target.items, meta, infos);
        const done: { key: string; written: boolean; url: string }[] = [];
        for (const format of ['rss', 'atom', 'json'] as const satisfies readonly PublishedFormat[]) {
          const key = `${config.publishPrefix}${target.path}${FEED_FILES[format].ext}`;
          done.push({ key, written: await writeIfChanged(writer, key, rendered[format], FEED_FILES[format].contentType), url: feedUrl(meta, format) });
        }
        return done;
      }),
    ),
  );
  return outcomes.flat();
}

/** The manifest's bytes without the status page's hash (the page changes every publish; that alone is no reason to rewrite the manifest). */
function comparableManifest(manifest: PublishManifest | undefined, statusKey: string): string {
  if (!manifest) return '';
  const { [statusKey]: _status, ...files } = manifest.files;
  return serialiseManifest({ ...manifest, files });
}

/** Renders and writes every feed (and the status page) whose bytes changed, then pings the hub about the changed feeds. */
export async function publishFeeds(sources: Source[], deps: PublishDeps, options: PublishOptions = {}): Promise<PublishResult> {
  const { config } = deps;
  const now = options.now ?? new Date();
  const manifestAt = manifestKey(config.publishPrefix);
  const stateRepo = deps.states;
  // Versions are read before any item: a change that lands after this read is seen by the next publish.
  const [manifest, states] = await Promise.all([
    readManifest(deps.blobs, manifestAt),
    stateRepo ? read('the source states', () => stateRepo.getStates(sources.map((s) => s.id))) : Promise.resolve(undefined as Map<string, SourceState> | undefined),
  ]);
  const versions = Object.fromEntries(sources.map((s) => [s.id, states?.get(s.id)?.feedVersion ?? 0]));
  const context = contextHash(config, options.hub, sources);
  const here = `${config.bucketName}\u0000${config.publishPrefix}`;
  const verifiedAt = Date.parse(manifest?.verifiedAt ?? '');
  const verify = !manifest || !(now.getTime() - verifiedAt < VERIFY_EVERY_MS);
  const full = verify || !states || manifest?.context !== context || !publishedHere.has(here);
  const dirty = new Set(sources.filter((s) => full || manifest?.sources[s.id] !== versions[s.id]).map((s) => s.id));
  const plan = await planFeeds({ sources, dirty, full, previousTags: manifest?.tags ?? {} }, deps.items, config);

  const writer: FileWriter = { blobs: deps.blobs, known: manifest?.files ?? {}, verify, hashes: {} };
  const files = await writeTargets(plan.targets, writer, config, sources, options.hub);
  const written = new Set(files.filter((f) => f.written).map((f) => f.key));
  const allKeys = feedPaths(sources).flatMap((p) => Object.values(FEED_FILES).map((f) => `${config.publishPrefix}${p}${f.ext}`));
  const result: PublishResult = {
    items: plan.combinedItems ?? manifest?.items ?? 0,
    written: files.filter((f) => f.written).map((f) => f.key),
    unchanged: allKeys.filter((k) => !written.has(k)),
    rendered: plan.targets.map((t) => t.path),
    full,
    deleted: [],
    hubPings: [],
  };

  const statusKey = `${config.publishPrefix}${STATUS_PAGE}`;
  if (stateRepo && states) {
    const input = await read('the status of the sources', () => collectStatus({ states: stateRepo, config }, sources, { now, title: config.feedTitle, states }));
    result.statusPage = { key: statusKey, written: await writeIfChanged(writer, statusKey, renderStatusPage(input), 'text/html; charset=utf-8') };
  }

  // After a full publish every current file is in allKeys; what the manifest lists beyond them (and
  // the status page) belongs to sources or tags that are gone. Deleted before the manifest forgets
  // them, so a failure here is retried by the next publish.
  const current = new Set([...allKeys, statusKey]);
  const hashes: Record<string, string> = { ...(manifest?.files ?? {}), ...writer.hashes };
  if (full) {
    result.deleted = Object.keys(hashes).filter((key) => !current.has(key)).sort();
    if (result.deleted.length > 0) {
      await deps.blobs.delete(result.deleted);
      for (const key of result.deleted) delete hashes[key];
    }
  }
  const next: PublishManifest = {
    version: MANIFEST_VERSION,
    context,
    verifiedAt: verify ? now.toISOString() : (manifest?.verifiedAt ?? now.toISOString()),
    items: result.items,
    sources: versions,
    files: hashes,
    tags: full ? plan.tags : { ...(manifest?.tags ?? {}), ...plan.tags },
  };
  if (comparableManifest(next, statusKey) !== comparableManifest(manifest, statusKey)) {
    await deps.blobs.put(manifestAt, serialiseManifest(next), { contentType: 'application/json' });
  }
  publishedHere.add(here);

  const changedUrls = files.filter((f) => f.written).map((f) => f.url);
  if (options.hub !== undefined && changedUrls.length > 0) result.hubPings = await pingHub(options.hub, changedUrls, config.fetch);
  return result;
}
