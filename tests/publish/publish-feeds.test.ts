/**
 * publishFeeds on real stores after one real cycle over the sample feeds: the combined feed, one
 * feed per tag (no per-source file: the API renders those), the status page, skipping unchanged
 * bytes, and WebSub pings to a loopback hub — rewritten feeds, and the on-demand feeds of sources
 * whose feedVersion moved (a failing hub is reported, never fatal).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../cli/local/cycle';
import { loadFeedDir, startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { SAMPLES_DIR } from '../../cli/local/samples';
import { loadConfig, type Config } from '../../shared/config';
import type { Source } from '../../shared/model';
import { renderSourceFeed } from '../../shared/api/source-feed';
import { publishFeeds, STATUS_PAGE } from '../../shared/pipeline/publish-feeds';
import { manifestKey, readManifest, serialiseManifest } from '../../shared/pipeline/publish-manifest';
import { mergeNewest, tagGroups, tagSlug } from '../../shared/publish/select';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { parseOpml } from '../../shared/sources/opml';
import { createTestStores, testConfig } from '../helpers/stores';

/** A loopback WebSub hub that records publish pings and answers with `status`. */
interface Hub {
  url: string;
  pings: { contentType?: string; body: URLSearchParams }[];
  status: number;
  close(): Promise<void>;
}

async function startHub(): Promise<Hub> {
  const hub = { pings: [] as Hub['pings'], status: 202 } as Hub;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hub.pings.push({ contentType: req.headers['content-type'], body: new URLSearchParams(body) });
      res.writeHead(hub.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  hub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return hub;
}

let feeds: FeedServer;
let hub: Hub;
let rt: Runtime;
let sources: Source[];

const text = async (key: string) => new TextDecoder().decode(await rt.blobs.get(key));
const withPrefix = (prefix: string): Runtime => ({ ...rt, config: { ...rt.config, publishPrefix: prefix } as Config });

beforeAll(async () => {
  feeds = await startFeedServer(await loadFeedDir(SAMPLES_DIR));
  hub = await startHub();
  const hubHost = new URL(hub.url).host;
  const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${feeds.port}`, hubHost] } });
  await createTestStores(config);
  rt = createRuntime(config);
  const dir = await mkdtemp(join(tmpdir(), 'tributary-publish-'));
  const opml = (await readFile(join(__dirname, '../../sources/sources.opml'), 'utf8')).replaceAll('http://127.0.0.1:8079', feeds.url);
  sources = parseOpml(opml).sources;
  await writeFile(join(dir, 'sources.opml'), opml);
  expect((await runCycle(rt, join(dir, 'sources.opml'), true)).failures).toEqual([]);
});

afterAll(async () => {
  await feeds?.close();
  await hub?.close();
});

describe('publishFeeds', () => {
  it('writes the combined feed and one feed per tag in three formats, but no per-source feed and no status page', async () => {
    const result = await publishFeeds(sources, withPrefix('a/'));
    const paths = ['feed', ...tagGroups(sources).map((g) => `tags/${g.slug}`)];
    expect(paths).toEqual(expect.arrayContaining(['tags/world', 'tags/ru', 'tags/tech', 'tags/local', 'tags/sample']));
    expect(result.written.sort()).toEqual(paths.flatMap((p) => ['xml', 'atom', 'json'].map((e) => `a/${p}.${e}`)).sort());
    expect(await rt.blobs.get('a/sources/vostok-news.xml')).toBeUndefined();
    expect(result.unchanged).toEqual([]);
    expect(result.hubPings).toEqual([]);
    expect(await rt.blobs.get(`a/${STATUS_PAGE}`)).toBeUndefined();
  });

  it('fills a tag feed with the merged newest items of its sources, each item once', async () => {
    await publishFeeds(sources, withPrefix('b/'));
    const world = sources.filter((s) => s.tags.includes('world'));
    expect(world.map((s) => s.id)).toEqual(['global-wire', 'vostok-news']);
    const pages = await Promise.all(world.map((s) => rt.items.newest({ sourceId: s.id, limit: 100 })));
    const expected = mergeNewest(pages.map((p) => p.items), 100).map((i) => `urn:tributary:item:${i.id}`);
    const json = JSON.parse(await text('b/tags/world.json')) as { title: string; items: { id: string }[] };
    expect(json.items.map((i) => i.id)).toEqual(expected);
    expect(json.title).toBe(`${rt.config.feedTitle}: world`);
    const courier = JSON.parse(await renderSourceFeed(rt, sources.find((s) => s.id === 'daily-courier') as Source, sources, 'json')) as { items: { id: string }[] };
    const own = await rt.items.newest({ sourceId: 'daily-courier', limit: 100 });
    expect(courier.items.map((i) => i.id)).toEqual(own.items.map((i) => `urn:tributary:item:${i.id}`));
  });

  it('lists in every tag the merge of its sources\' newest pages, whether read per source or walked from the combined index', async () => {
    await publishFeeds(sources, withPrefix('t/'));
    const manifest = await readManifest(rt.blobs, manifestKey('t/'));
    const groups = tagGroups(sources);
    // Tags of one or two sources are merged per source; a tag of most sources (here: "sample") walks the combined pages.
    expect(groups.some((g) => g.sources.length * 2 >= sources.length)).toBe(true);
    for (const group of groups) {
      const pages = await Promise.all(group.sources.map((s) => rt.items.newest({ sourceId: s.id, limit: rt.config.feedItems })));
      const expected = mergeNewest(pages.map((p) => p.items), rt.config.feedItems).map((i) => `${i.sortDate}#${i.id}`);
      expect(manifest?.tags[group.slug], group.slug).toEqual(expected);
    }
  });

  it('rewrites nothing and pings nobody when nothing changed', async () => {
    await publishFeeds(sources, withPrefix('c/'), { hub: hub.url });
    const before = hub.pings.length;
    const again = await publishFeeds(sources, withPrefix('c/'), { hub: hub.url });
    expect(again.written).toEqual([]);
    expect(again.unchanged).toHaveLength(3 * (1 + tagGroups(sources).length));
    expect(again.hubPings).toEqual([]);
    expect(hub.pings.length).toBe(before);
  });

  it('advertises the hub and pings it with hub.mode=publish for every changed feed URL', async () => {
    hub.pings.length = 0;
    hub.status = 202;
    const result = await publishFeeds(sources, withPrefix('d/'), { hub: hub.url });
    expect(result.hubPings.every((p) => p.ok && p.status === 202)).toBe(true);
    const base = rt.config.publicUrl;
    const expected = result.written.map((key) => `${base}/${key.slice('d/'.length)}`);
    expect(hub.pings.map((p) => p.body.get('hub.url'))).toEqual(expected);
    expect(hub.pings.every((p) => p.body.get('hub.mode') === 'publish' && p.contentType === 'application/x-www-form-urlencoded')).toBe(true);
    expect(await text('d/feed.atom')).toContain(`<link rel="hub" href="${hub.url}"/>`);
    expect(await text(`d/tags/${tagSlug('world')}.xml`)).toContain(`<atom:link href="${hub.url}" rel="hub"/>`);
  });

  it('pings the hub about the on-demand feeds of a source whose feedVersion moved, though no file of it is written', async () => {
    const prefix = 'h/';
    await publishFeeds(sources, withPrefix(prefix), { hub: hub.url });
    const manifest = await readManifest(rt.blobs, manifestKey(prefix));
    if (!manifest) throw new Error('no manifest written');
    // The manifest remembers an older version of vostok-news: to the publisher, its items changed since.
    await rt.blobs.put(manifestKey(prefix), serialiseManifest({ ...manifest, sources: { ...manifest.sources, 'vostok-news': -1 } }));
    hub.pings.length = 0;
    hub.status = 202;
    const result = await publishFeeds(sources, withPrefix(prefix), { hub: hub.url });
    expect(result.full).toBe(false);
    expect(result.rendered).toEqual(expect.arrayContaining(['feed', 'tags/world', 'tags/ru']));
    expect(result.written).toEqual([]);
    const base = rt.config.publicUrl;
    const expected = ['xml', 'atom', 'json'].map((e) => `${base}/sources/vostok-news.${e}`);
    expect(result.hubPings.map((p) => p.feedUrl)).toEqual(expected);
    expect(hub.pings.map((p) => p.body.get('hub.url'))).toEqual(expected);
    expect((await publishFeeds(sources, withPrefix(prefix), { hub: hub.url })).hubPings).toEqual([]);
  });

  it('reports a failing or forbidden hub without failing the publish', async () => {
    hub.status = 500;
    const failed = await publishFeeds(sources, withPrefix('e/'), { hub: hub.url });
    expect(failed.written.length).toBeGreaterThan(0);
    expect(failed.hubPings.length).toBe(failed.written.length);
    expect(failed.hubPings[0]).toMatchObject({ ok: false, status: 500, error: expect.stringMatching(/^fetch: hub answered 500/) });
    const blocked = await publishFeeds(sources, withPrefix('f/'), { hub: 'http://10.0.0.1/hub' });
    expect(blocked.hubPings[0]).toMatchObject({ ok: false, error: expect.stringMatching(/^fetch: blocked address 10\.0\.0\.1/) });
    const nonsense = await publishFeeds(sources, withPrefix('g/'), { hub: 'not a url' });
    expect(nonsense.hubPings[0]).toMatchObject({ ok: false, error: 'publish: hub URL is not a URL: "not a url"' });
  });
});

describe('tag helpers', () => {
  it('slugs tags into URL-safe names and groups sources by slug', () => {
    expect(tagSlug('World News')).toBe('world-news');
    expect(tagSlug('/tech/')).toBe('tech');
    expect(tagSlug('Café')).toBe('cafe');
    expect(tagSlug('тех')).toMatch(/^tag-[0-9a-f]{8}$/);
    expect(tagSlug('тех')).toBe(tagSlug('тех'));
    const a = { id: 'a', url: 'https://a.example/', title: 'A', tags: ['World', 'x'] };
    const b = { id: 'b', url: 'https://b.example/', title: 'B', tags: ['world'] };
    expect(tagGroups([a, b])).toEqual([
      { slug: 'world', tags: ['World', 'world'], sources: [a, b] },
      { slug: 'x', tags: ['x'], sources: [a] },
    ]);
  });
});
