/**
 * The API's feeds per tag (published files) and per source (rendered on demand, with ETag, 304 and
 * HEAD), the status page and `GET /items?tag=`, on a real runtime seeded by one real cycle over the
 * sample feeds (their OPML tags: world, local, ru, tech, sample).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../cli/local/cycle';
import { loadFeedDir, startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { SAMPLES_DIR } from '../../cli/local/samples';
import { handleApiRequest, type ApiRequest, type ApiResponse } from '../../shared/api/router';
import { loadConfig } from '../../shared/config';
import type { Item } from '../../shared/model';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { createTestStores, testConfig } from '../helpers/stores';
import { REPO_ROOT } from '../validity/tools';

let server: FeedServer;
let rt: Runtime;

beforeAll(async () => {
  server = await startFeedServer(await loadFeedDir(SAMPLES_DIR));
  const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
  await createTestStores(config);
  rt = createRuntime(config);
  const file = join(await mkdtemp(join(tmpdir(), 'tributary-api-feeds-')), 'sources.opml');
  await writeFile(file, (await readFile(join(REPO_ROOT, 'sources/sources.opml'), 'utf8')).replaceAll('http://127.0.0.1:8079', server.url));
  expect((await runCycle(rt, file, true)).failures).toEqual([]);
});

afterAll(async () => {
  await server?.close();
});

const get = (path: string, extra: Partial<ApiRequest> = {}) => {
  const url = new URL(path, 'http://x');
  return handleApiRequest({ method: 'GET', path: url.pathname, query: url.searchParams, ...extra }, rt);
};
const body = (r: ApiResponse) => (typeof r.body === 'string' ? r.body : new TextDecoder().decode(r.body));

describe('feeds per tag and per source', () => {
  it('serves /tags/{tag}.xml|atom|json with the published bytes and feed content types', async () => {
    for (const [ext, type] of [['xml', 'application/rss+xml'], ['atom', 'application/atom+xml'], ['json', 'application/feed+json']] as const) {
      const r = await get(`/tags/world.${ext}`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(`${type}; charset=utf-8`);
      expect(body(r)).toBe(new TextDecoder().decode(await rt.blobs.get(`${rt.config.publishPrefix}tags/world.${ext}`)));
    }
    expect(body(await get('/tags/world.atom'))).toContain('Новости Востока');
    expect(body(await get('/tags/tech.atom'))).not.toContain('Новости Востока');
  });

  it('serves /sources/{id}.atom as the feed but /sources/{id} as the source JSON', async () => {
    const feed = await get('/sources/vostok-news.atom');
    expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(body(feed)).toContain(`<link rel="self" type="application/atom+xml" href="${rt.config.publicUrl}/sources/vostok-news.atom"/>`);
    const info = await get('/sources/vostok-news');
    expect(info.headers['content-type']).toContain('application/json');
    expect(JSON.parse(body(info))).toMatchObject({ id: 'vostok-news', tags: ['world', 'ru', 'sample'] });
  });

  it('renders /sources/{id}.xml|atom|json on demand from the newest feedItems items of the source, as no file is published', async () => {
    expect(await rt.blobs.get(`${rt.config.publishPrefix}sources/daily-courier.json`)).toBeUndefined();
    for (const [ext, type] of [['xml', 'application/rss+xml'], ['atom', 'application/atom+xml'], ['json', 'application/feed+json']] as const) {
      const r = await get(`/sources/daily-courier.${ext}`);
      expect(r.status).toBe(200);
      expect(r.headers).toMatchObject({ 'content-type': `${type}; charset=utf-8`, 'cache-control': 'public, max-age=300', etag: expect.stringMatching(/^"[A-Za-z0-9_-]{43}"$/) });
    }
    const json = JSON.parse(body(await get('/sources/daily-courier.json'))) as { title: string; description: string; feed_url: string; items: { id: string }[] };
    const own = await rt.items.newest({ sourceId: 'daily-courier', limit: rt.config.feedItems });
    expect(own.items.length).toBeGreaterThan(0);
    expect(json.items.map((i) => i.id)).toEqual(own.items.map((i) => `urn:tributary:item:${i.id}`));
    expect(json.title).toMatch(new RegExp(`^${rt.config.feedTitle}: `));
    expect(json.description).toBe(`${rt.config.feedTitle}: the newest ${rt.config.feedItems} items from ${json.title.slice(rt.config.feedTitle.length + 2)}`);
    expect(json.feed_url).toBe(`${rt.config.publicUrl}/sources/daily-courier.json`);
  });

  it('answers a current If-None-Match with 304, a stale one with 200, and HEAD with the headers only', async () => {
    const first = await get('/sources/global-wire.xml');
    const etag = first.headers.etag as string;
    expect((await get('/sources/global-wire.xml')).headers.etag).toBe(etag);
    const fresh = await get('/sources/global-wire.xml', { headers: { 'if-none-match': etag } });
    expect(fresh).toMatchObject({ status: 304, body: '', headers: { etag, 'cache-control': 'public, max-age=300' } });
    expect((await get('/sources/global-wire.xml', { headers: { 'if-none-match': `"stale", W/${etag}` } })).status).toBe(304);
    expect((await get('/sources/global-wire.xml', { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    expect((await get('/sources/global-wire.atom', { headers: { 'if-none-match': etag } })).status).toBe(200);
    const head = await get('/sources/global-wire.xml', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '', headers: { etag, 'content-type': 'application/rss+xml; charset=utf-8' } });
  });

  it('uses the public URL the request was made under for the self links, when the caller gives one', async () => {
    const r = body(await get('/sources/vostok-news.atom', { publicUrl: 'https://d111.cloudfront.net' }));
    expect(r).toContain('<link rel="self" type="application/atom+xml" href="https://d111.cloudfront.net/sources/vostok-news.atom"/>');
    expect(r).not.toContain(rt.config.publicUrl);
  });

  it('answers 404 for a tag or source that has no published feed, and for names that are not feeds', async () => {
    expect((await get('/tags/nothing.xml')).status).toBe(404);
    expect(JSON.parse(body(await get('/tags/nothing.xml'))).error).toMatch(/not published yet/);
    expect((await get('/sources/nobody.json')).status).toBe(404);
    expect(JSON.parse(body(await get('/sources/nobody.json'))).error).toBe('no source "nobody" in the sources list: no feed at /sources/nobody.json');
    expect((await get('/sources/Nobody.xml')).status).toBe(400);
    expect((await get('/sources/..%2Ffeed.xml')).status).toBe(400);
    expect((await get('/sources/.xml')).status).toBe(404);
    expect((await get('/tags/world.txt')).status).toBe(404);
    expect((await get('/tags/..%2Ffeed.xml')).status).toBe(404);
  });
});

describe('GET /items?tag=', () => {
  it("lists the newest items of the tag's sources, each once, newest first", async () => {
    const r = JSON.parse(body(await get('/items?tag=world&limit=100'))) as { items: Item[] };
    expect(r.items.length).toBeGreaterThan(0);
    expect(r.items.every((i) => i.sourceIds.some((s) => s === 'global-wire' || s === 'vostok-news'))).toBe(true);
    expect(new Set(r.items.map((i) => i.id)).size).toBe(r.items.length);
    const keys = r.items.map((i) => `${i.sortDate}#${i.id}`);
    expect([...keys].sort().reverse()).toEqual(keys);
    const all = JSON.parse(body(await get('/items?limit=100'))) as { items: Item[] };
    const expected = all.items.filter((i) => i.sourceIds.includes('global-wire') || i.sourceIds.includes('vostok-news'));
    expect(r.items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
  });

  it('pages through a tag with cursors without skipping or repeating an item', async () => {
    const whole = (JSON.parse(body(await get('/items?tag=sample&limit=100'))) as { items: Item[] }).items.map((i) => i.id);
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = JSON.parse(body(await get(`/items?tag=sample&limit=2${next ? `&cursor=${next}` : ''}`))) as { items: Item[]; next?: string };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      next = page.next;
    } while (next);
    expect(seen).toEqual(whole);
  });

  it('matches the tag case-insensitively and rejects bad combinations', async () => {
    expect((JSON.parse(body(await get('/items?tag=RU'))) as { items: Item[] }).items.length).toBe(2);
    const unknown = await get('/items?tag=nothing');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(body(unknown)).error).toBe('no source is tagged "nothing"');
    const both = await get('/items?tag=world&source=global-wire');
    expect(both.status).toBe(400);
    expect(JSON.parse(body(both)).error).toMatch(/either tag or source/);
    expect(JSON.parse(body(await get('/items?colour=red'))).error).toMatch(/limit, source, tag, since, until, cursor/);
  });
});

describe('the status page', () => {
  it('serves /status and /status.html as self-contained HTML with one row per source', async () => {
    for (const path of ['/status', '/status.html']) {
      const r = await get(path);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      const html = body(r);
      expect([...html.matchAll(/<tr class="source [^"]*" data-source="([^"]+)"/g)].map((m) => m[1])).toEqual(['global-wire', 'daily-courier', 'vostok-news', 'tech-ledger']);
      expect(html).toContain('<tr class="cycle">');
    }
  });

  it('lists the new routes on /', async () => {
    expect(JSON.parse(body(await get('/')))).toMatchObject({ feedsPerTag: '/tags/{tag}.xml|atom|json', feedsPerSource: '/sources/{id}.xml|atom|json', status: '/status' });
  });
});
