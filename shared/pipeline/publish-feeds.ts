/**
 * The publisher's work: the combined feed (the newest N items across all sources) and one feed per
 * OPML tag, each as RSS 2.0, Atom 1.0 and JSON Feed 1.1. Per-source feeds and the status page are
 * not published: they are read rarely, and writing them was most of the bucket's PUTs (and the
 * status page needs every source's whole state each publish); the API renders them on demand
 * (shared/api/source-feed.ts, /status.html) behind the CDN, at the same URLs.
 *
 * Only what changed is read and rendered: each source's feedVersion (bumped by the fetcher when an
 * ingest changed its items) is compared with the publish manifest (publish-manifest.ts); a source
 * whose version moved is "dirty" and makes the combined feed and its tags' feeds dirty
 * (publish-plan.ts). Rendered bytes are compared with the manifest's hashes, never with a GET of the
 * old file, and written only when they differ; the manifest is written last, and only when it
 * changed. A full publish runs when the manifest is missing, unreadable or of an older version, when
 * the settings or the sources list changed, on the first publish of a process (new code may render
 * differently), and every VERIFY_EVERY_MS, when it also compares every file with the stored bytes.
 * Files the manifest lists that are no longer current — the feeds of a source or tag removed from
 * the OPML, and the per-source files and status page older versions published — are deleted by the
 * full publish that follows (files it never listed are never touched).
 *
 * WebSub: when a hub is configured, it is pinged about every feed URL whose bytes were rewritten,
 * and about the three per-source feed URLs of every source whose feedVersion moved since the last
 * manifest: those feeds are rendered only when read, but the publisher knows their items changed,
 * and a ping costs no S3 request. The per-source feeds of a source whose version did not move are
 * not announced (e.g. after a settings change or without a manifest to compare with). A hub failure
 * is reported, never fatal.
 */
import pLimit from 'p-limit';
import type { Config } from '../config';
import type { Source } from '../model';
import { FEED_FILES, feedUrl, renderFeeds, type PublishedFormat } from '../publish';
import { feedMetaFor, sourceFeedPath, sourceInfoMap, type FeedTarget } from '../publish/targets';
import type { BlobStore, ItemRepository, StateRepository } from '../store/ports';
import { contextHash, manifestKey, MANIFEST_VERSION, readManifest, serialiseManifest, type PublishManifest } from './publish-manifest';
import { feedPaths, planFeeds, read, READ_CONCURRENCY } from './publish-plan';
import { pingHub, type HubPing } from './websub';
import { sha256Hex } from '../ids';

/** What publishing needs; with `states` only changed feeds are re-made (their feedVersions are compared). */
export interface PublishDeps {
  config: Config;
  items: ItemRepository;
  blobs: BlobStore;
  states?: StateRepository;
}

/** What a publish compares: the last manifest and every source's feedVersion (undefined without a state repository). */
export interface PublishInputs {
  manifest: PublishManifest | undefined;
  stored: Map<string, number> | undefined;
}

/** Options of one publish. */
export interface PublishOptions {
  /** WebSub hub URL: advertised in every feed (`rel="hub"`) and pinged about each changed feed. */
  hub?: string;
  /** The time of the publish (default: now): when the manifest was last verified is compared with it. */
  now?: Date;
  /** The manifest and versions, when the caller read them already (readPublishInputs): read here otherwise. */
  inputs?: PublishInputs;
  /** feedVersions the caller bumped after `inputs` were read, as the bumps returned them (they count over the read ones). */
  bumped?: ReadonlyMap<string, number>;
}

/**
 * The manifest and every source's feedVersion, read at once. Read before any item: a change that
 * lands after this read is seen by the next publish (its version will differ from the manifest's).
 */
export async function readPublishInputs(deps: PublishDeps): Promise<PublishInputs> {
  const stateRepo = deps.states;
  const [manifest, stored] = await Promise.all([
    readManifest(deps.blobs, manifestKey(deps.config.publishPrefix)),
    stateRepo ? read('the feed versions', () => stateRepo.feedVersions()) : Promise.resolve(undefined),
  ]);
  return { manifest, stored };
}

/** What one publish did. */
export interface PublishResult {
  /** Items in the combined feed. */
  items: number;
  /** Feed keys written (unchanged feeds are not rewritten). */
  written: string[];
  /** Feed keys not written: rendered to the same bytes, or not re-made since nothing they show changed. */
  unchanged: string[];
  /** Feed paths rendered (`feed`, `tags/…`). */
  rendered: string[];
  /** True when every feed was re-made (see the module comment). */
  full: boolean;
  /** Feed keys deleted: published before and no longer current (a removed source or tag, a per-source file of an older version). */
  deleted: string[];
  /** One entry per changed feed URL announced to the hub (empty without a hub): rewritten files, then the per-source feeds of moved sources. */
  hubPings: HubPing[];
}

/** Key of the status page under the publish prefix, where older versions published it (now served by the API). */
export const STATUS_PAGE = 'status.html';
/** A full publish that compares every file with the stored bytes runs at least this often. */
export const VERIFY_EVERY_MS = 6 * 60 * 60_000;

/** Prefixes (per bucket) this process has published fully: the first publish of a process re-makes everything. */
const publishedHere = new Set<string>();

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
  const hash = sha256Hex(body);
  writer.hashes[key] = hash;
  const known = writer.verify ? undefined : writer.known[key];
  if (known === hash) return false;
  if (known === undefined) {
    const stored = await read(key, () => writer.blobs.get(key));
    if (stored !== undefined && sha256Hex(stored) === hash) return false;
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
        const meta = feedMetaFor(target, config.publicUrl, hub);
        const rendered = renderFeeds(target.items, meta, infos);
        // The three formats are compared and written at once (each its own PUT).
        return Promise.all(
          (['rss', 'atom', 'json'] as const satisfies readonly PublishedFormat[]).map(async (format) => {
            const key = `${config.publishPrefix}${target.path}${FEED_FILES[format].ext}`;
            return { key, written: await writeIfChanged(writer, key, rendered[format], FEED_FILES[format].contentType), url: feedUrl(meta, format) };
          }),
        );
      }),
    ),
  );
  return outcomes.flat();
}

/** The sources whose feedVersion moved since the manifest (none without a manifest to compare with). */
function movedSources(sources: readonly Source[], manifest: PublishManifest | undefined, versions: Record<string, number>): Source[] {
  return manifest ? sources.filter((s) => manifest.sources[s.id] !== versions[s.id]) : [];
}

/** The public URLs of these sources' on-demand feeds, three formats each. */
function sourceFeedUrls(sources: readonly Source[], publicUrl: string): string[] {
  const formats = ['rss', 'atom', 'json'] as const satisfies readonly PublishedFormat[];
  return sources.flatMap((s) => formats.map((format) => feedUrl({ publicUrl, path: sourceFeedPath(s.id) }, format)));
}

/** Renders and writes every feed whose bytes changed, then pings the hub about the changed feeds. */
export async function publishFeeds(sources: Source[], deps: PublishDeps, options: PublishOptions = {}): Promise<PublishResult> {
  const { config } = deps;
  const now = options.now ?? new Date();
  const manifestAt = manifestKey(config.publishPrefix);
  const { manifest, stored } = options.inputs ?? (await readPublishInputs(deps));
  if (stored) for (const [id, version] of options.bumped ?? []) stored.set(id, Math.max(stored.get(id) ?? 0, version));
  const versions = Object.fromEntries(sources.map((s) => [s.id, stored?.get(s.id) ?? 0]));
  const context = contextHash(config, options.hub, sources);
  const here = `${config.bucketName}\u0000${config.publishPrefix}`;
  const verifiedAt = Date.parse(manifest?.verifiedAt ?? '');
  const verify = !manifest || !(now.getTime() - verifiedAt < VERIFY_EVERY_MS);
  const full = verify || !stored || manifest?.context !== context || !publishedHere.has(here);
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

  // After a full publish every current file is in allKeys; what the manifest lists beyond them
  // belongs to tags that are gone, or is a per-source file or status page an older version wrote.
  // Deleted before the manifest forgets them, so a failure here is retried by the next publish.
  const current = new Set(allKeys);
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
  if (!manifest || serialiseManifest(next) !== serialiseManifest(manifest)) {
    await deps.blobs.put(manifestAt, serialiseManifest(next), { contentType: 'application/json' });
  }
  publishedHere.add(here);

  const changedUrls = [...files.filter((f) => f.written).map((f) => f.url), ...sourceFeedUrls(movedSources(sources, manifest, versions), config.publicUrl)];
  if (options.hub !== undefined && changedUrls.length > 0) result.hubPings = await pingHub(options.hub, changedUrls, config.fetch);
  return result;
}
