/**
 * publishFeeds publishes only what changed, on the real stores after real fetches: nothing changed
 * reads no item and writes no feed; a changed source re-makes only its tags' feeds and the combined
 * feed (per-source feeds are never written: the API renders them); an item another source joined
 * marks the first source dirty too; a missing or unreadable manifest means a full publish; a failure
 * before the manifest is written means a re-write next time, never a missed update; the per-source
 * files a version-1 manifest lists are deleted. After each incremental publish a full, verifying
 * publish finds every file already right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { loadConfig } from '../../shared/config';
import { StoreError } from '../../shared/errors';
import type { Source } from '../../shared/model';
import { fetchBatch } from '../../shared/pipeline/fetch-batch';
import { publishFeeds, STATUS_PAGE } from '../../shared/pipeline/publish-feeds';
import { manifestKey, MANIFEST_VERSION, readManifest, serialiseManifest } from '../../shared/pipeline/publish-manifest';
import { sha256Hex } from '../../shared/ids';
import { renderSourceFeed } from '../../shared/api/source-feed';
import type { Runtime } from '../../shared/runtime';
import type { BlobStore } from '../../shared/store/ports';
import { ALPHA, feedFile, rssFeed, testFeedFiles, type TestEntry } from '../api/fixtures';
import { createTestStores, testConfig } from '../helpers/stores';
import { expectAllPublished, recordedRuntime, type StorageLog } from './recorded-runtime';

let server: FeedServer;
let rt: Runtime;
let log: StorageLog;
let list: Source[];
let prefix: string;

const GAMMA: TestEntry[] = [{ id: 'g-1', title: 'Gamma one', link: 'https://gamma.example/one', date: '2025-05-02T12:00:00Z' }];
const rss = (title: string, entries: TestEntry[]) => ({ ...feedFile(rssFeed(title, `https://${title.toLowerCase()}.example/`, entries), 'application/rss+xml'), lastModified: new Date() });
const keysOf = (paths: string[]) => paths.flatMap((p) => ['xml', 'atom', 'json'].map((e) => `${prefix}${p}.${e}`)).sort();
const fetch = async (...ids: string[]) => fetchBatch(ids.map((id) => ({ source: list.find((s) => s.id === id) as Source })), rt);
const text = async (key: string) => new TextDecoder().decode(await rt.blobs.get(key));

beforeAll(async () => {
  const files = testFeedFiles();
  files.set('/gamma.xml', rss('Gamma', GAMMA));
  server = await startFeedServer(files);
  const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
  await createTestStores(config);
  ({ rt, log } = recordedRuntime(config));
  prefix = config.publishPrefix;
  list = [
    { id: 'alpha', url: `${server.url}/alpha.xml`, title: 'Alpha', tags: ['letters'] },
    { id: 'beta', url: `${server.url}/beta.atom`, title: 'Beta', tags: ['letters', 'b-side'] },
    { id: 'gamma', url: `${server.url}/gamma.xml`, title: 'Gamma', tags: ['greek'] },
  ];
  expect((await fetch('alpha', 'beta', 'gamma')).map((o) => o.status)).toEqual(['ok', 'ok', 'ok']);
  const first = await publishFeeds(list, rt);
  expect(first.full).toBe(true);
  expect(first.written.sort()).toEqual(keysOf(['feed', 'tags/b-side', 'tags/greek', 'tags/letters']));
});

afterAll(async () => {
  await server?.close();
});

describe('publishFeeds with a manifest', () => {
  it('reads no item and writes nothing when nothing changed', async () => {
    log.reset();
    const again = await publishFeeds(list, rt, { now: new Date(Date.now() + 60_000) });
    expect(again).toMatchObject({ full: false, written: [], rendered: [], items: ALPHA.length + 2 + GAMMA.length });
    expect(again.unchanged).toHaveLength(3 * 4);
    expect(log.itemReads).toEqual([]);
    expect(log.gets).toEqual([manifestKey(prefix)]);
    expect(log.puts).toEqual([]);
  });

  it('re-makes only a changed source\'s tags\' feeds and the combined feed, with no per-source file', async () => {
    server.set('/beta.atom', rss('Beta', [{ id: 'b-9', title: 'Beta nine', link: 'https://beta.example/posts/nine', date: '2025-05-09T10:00:00Z' }]));
    await fetch('alpha', 'beta', 'gamma');
    log.reset();
    const result = await publishFeeds(list, rt);
    expect(result.full).toBe(false);
    expect(result.rendered).toEqual(['feed', 'tags/b-side', 'tags/letters']);
    expect(result.written.sort()).toEqual(keysOf(['feed', 'tags/b-side', 'tags/letters']));
    expect(log.itemReads.filter((r) => r.startsWith('newest:')).sort()).toEqual(['newest:*', 'newest:beta']);
    expect(log.gets).toEqual([manifestKey(prefix)]);
    // 1 of 3 sources changed: 3 combined + 2 tags × 3 + the manifest (per-source files and the status page made it 14).
    expect(log.puts).toHaveLength(10);
    expect(log.puts.filter((k) => k.includes('/sources/'))).toEqual([]);
    expect(log.puts.at(-1)).toBe(manifestKey(prefix));
    expect(await rt.blobs.get(`${prefix}sources/beta.xml`)).toBeUndefined();
    expect(await text(`${prefix}tags/letters.json`)).toContain('Beta nine');
    await expectAllPublished(list, rt);
  });

  it('walks a tag of at least half the sources from the combined page: no page of its changed source is read', async () => {
    server.set('/alpha.xml', rss('Alpha', [{ id: 'alpha-3', title: 'Alpha three', link: 'https://alpha.example/2025/05/three', date: '2025-05-09T11:00:00Z' }, ...ALPHA]));
    await fetch('alpha');
    log.reset();
    const result = await publishFeeds(list, rt);
    // alpha is tagged letters only, which alpha and beta (2 of 3 sources) carry.
    expect(result.rendered).toEqual(['feed', 'tags/letters']);
    expect(log.itemReads.filter((r) => r.startsWith('newest:')).every((r) => r === 'newest:*')).toBe(true);
    expect(log.itemReads.filter((r) => r.startsWith('getItems:'))).toEqual([]);
    expect(await text(`${prefix}tags/letters.json`)).toContain('Alpha three');
    await expectAllPublished(list, rt);
  });

  it('marks dirty a source whose item another source joined: its tags are re-made, its on-demand feed shows both', async () => {
    server.set('/gamma.xml', rss('Gamma', [{ id: 'g-2', title: 'Alpha one', link: ALPHA[0]?.link as string, date: ALPHA[0]?.date as string }, ...GAMMA]));
    const outcomes = await fetch('gamma');
    expect(outcomes[0]).toMatchObject({ itemsMerged: 1 });
    const result = await publishFeeds(list, rt);
    expect(result.rendered).toEqual(['feed', 'tags/greek', 'tags/letters']);
    const alpha = JSON.parse(await renderSourceFeed(rt, list[0] as Source, list, 'json')) as { items: { title: string; _tributary: { sources: { id: string }[] } }[] };
    const joined = alpha.items.find((i) => i.title === 'Alpha one');
    expect(joined?._tributary.sources.map((s) => s.id)).toEqual(['alpha', 'gamma']);
    await expectAllPublished(list, rt);
  });

  it('publishes everything, comparing with the stored files, when the manifest is missing', async () => {
    await (rt.blobs as BlobStore & { delete(keys: string[]): Promise<void> }).delete([manifestKey(prefix)]);
    log.reset();
    const result = await publishFeeds(list, rt);
    expect(result.full).toBe(true);
    expect(result.rendered).toHaveLength(4);
    expect(result.written).toEqual([]);
    expect(log.gets.filter((k) => k !== manifestKey(prefix)).sort()).toEqual(keysOf(['feed', 'tags/b-side', 'tags/greek', 'tags/letters']).sort());
    expect(log.puts).toContain(manifestKey(prefix));
    expect((await publishFeeds(list, rt)).rendered).toEqual([]);
  });

  it('re-writes, never misses, a change whose manifest write failed', async () => {
    server.set('/alpha.xml', rss('Alpha', [{ id: 'alpha-7', title: 'Alpha seven', link: 'https://alpha.example/2025/05/seven', date: '2025-05-08T10:00:00Z' }, ...ALPHA]));
    await fetch('alpha');
    const failing: BlobStore = Object.create(rt.blobs) as BlobStore;
    failing.put = async (key, body, options) => {
      if (key === manifestKey(prefix)) throw new StoreError(`S3 put ${key} failed: injected`);
      return rt.blobs.put(key, body, options);
    };
    await expect(publishFeeds(list, { ...rt, blobs: failing })).rejects.toThrow(/^store: S3 put state\/.*injected/);
    expect(await text(`${prefix}tags/letters.json`)).toContain('Alpha seven');
    const retry = await publishFeeds(list, rt);
    expect(retry.rendered).toContain('tags/letters');
    expect(retry.written).toEqual(expect.arrayContaining(keysOf(['feed', 'tags/letters'])));
    expect((await publishFeeds(list, rt)).rendered).toEqual([]);
    await expectAllPublished(list, rt);
  });

  it('writes the three formats of a feed at once, and the manifest only after every feed file landed', async () => {
    server.set('/gamma.xml', rss('Gamma', [{ id: 'g-5', title: 'Gamma five', link: 'https://gamma.example/five', date: '2025-05-10T10:00:00Z' }, ...GAMMA]));
    await fetch('gamma');
    let inFlight = 0;
    let most = 0;
    const events: string[] = [];
    const watched: BlobStore = Object.create(rt.blobs) as BlobStore;
    watched.put = async (key, body, options) => {
      inFlight++;
      most = Math.max(most, inFlight);
      events.push(`start ${key}`);
      // Yield before writing, so that writes issued together are all in flight here.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        return await rt.blobs.put(key, body, options);
      } finally {
        inFlight--;
        events.push(`end ${key}`);
      }
    };
    const result = await publishFeeds(list, { ...rt, blobs: watched });
    expect(result.written.sort()).toEqual(keysOf(['feed', 'tags/greek']));
    expect(most).toBeGreaterThanOrEqual(3);
    const manifestStart = events.indexOf(`start ${manifestKey(prefix)}`);
    expect(manifestStart).toBe(events.length - 2);
    expect(events.slice(0, manifestStart).filter((e) => e.startsWith('end '))).toHaveLength(result.written.length);
    await expectAllPublished(list, rt);
  });

  it('publishes everything again when the sources list changes, writing only the files that differ', async () => {
    const renamed = list.map((s) => (s.id === 'gamma' ? { ...s, title: 'Gamma Times' } : s));
    const result = await publishFeeds(renamed, rt);
    expect(result.full).toBe(true);
    expect(result.written).toEqual(expect.arrayContaining(keysOf(['tags/greek'])));
    expect(result.written).not.toContain(`${prefix}tags/b-side.json`);
    expect((await publishFeeds(renamed, rt)).rendered).toEqual([]);
  });

  it('deletes the feeds of a removed source and of a tag no source has any more, and nothing else', async () => {
    await rt.blobs.put(`${prefix}hand-made.xml`, 'not published by Tributary');
    const without = list.filter((s) => s.id !== 'gamma');
    const result = await publishFeeds(without, rt);
    expect(result.full).toBe(true);
    expect(result.deleted).toEqual(keysOf(['tags/greek']));
    for (const key of result.deleted) expect(await rt.blobs.get(key)).toBeUndefined();
    expect(await rt.blobs.get(`${prefix}hand-made.xml`)).toBeDefined();
    expect(await rt.blobs.get(`${prefix}tags/letters.xml`)).toBeDefined();
    const again = await publishFeeds(without, rt);
    expect(again.deleted).toEqual([]);
    await publishFeeds(list, rt);
    expect(await rt.blobs.get(`${prefix}tags/greek.xml`)).toBeDefined();
  });

  it('reads no page of a changed source that has no tag: only the combined feed is re-made', async () => {
    const untagged = list.map((s) => (s.id === 'gamma' ? { ...s, tags: [] } : s));
    await publishFeeds(untagged, rt);
    server.set('/gamma.xml', rss('Gamma', [{ id: 'g-3', title: 'Gamma three', link: 'https://gamma.example/three', date: '2025-05-10T12:00:00Z' }, ...GAMMA]));
    await fetch('gamma');
    log.reset();
    const result = await publishFeeds(untagged, rt);
    expect(result).toMatchObject({ full: false, rendered: ['feed'] });
    expect(result.written.sort()).toEqual(keysOf(['feed']));
    expect(log.itemReads).toEqual(['newest:*']);
    await publishFeeds(list, rt);
  });

  it('deletes the per-source files and status page a version-1 manifest lists, in a full publish, and writes a current manifest', async () => {
    const current = await readManifest(rt.blobs, manifestKey(prefix));
    expect(current?.version).toBe(MANIFEST_VERSION);
    const legacyFiles: Record<string, string> = {};
    for (const key of [...keysOf(['sources/alpha', 'sources/beta', 'sources/gamma']), `${prefix}${STATUS_PAGE}`]) {
      const body = `old per-source feed ${key}`;
      await rt.blobs.put(key, body);
      legacyFiles[key] = sha256Hex(body);
    }
    const legacy = { ...(current as NonNullable<typeof current>), version: 1, files: { ...current?.files, ...legacyFiles } };
    await rt.blobs.put(manifestKey(prefix), serialiseManifest(legacy));
    const result = await publishFeeds(list, rt);
    expect(result.full).toBe(true);
    expect(result.written).toEqual([]);
    expect(result.deleted).toEqual(Object.keys(legacyFiles).sort());
    for (const key of Object.keys(legacyFiles)) expect(await rt.blobs.get(key)).toBeUndefined();
    const upgraded = await readManifest(rt.blobs, manifestKey(prefix));
    expect(upgraded?.version).toBe(MANIFEST_VERSION);
    expect(Object.keys(upgraded?.files ?? {}).filter((k) => k.includes('/sources/'))).toEqual([]);
    expect((await publishFeeds(list, rt)).full).toBe(false);
  });
});
