/**
 * The local API server over real HTTP serves `/sources/<id>.xml|atom|json` rendered on demand (as
 * the CDN does in AWS): the configured public URL in the self link, ETag and If-None-Match → 304,
 * HEAD without a body, and `/sources/<id>` still the source as JSON.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../cli/local/cycle';
import { startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { startApiServer, type ApiServer } from '../../cli/local/server';
import { loadConfig } from '../../shared/config';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { serializeOpml } from '../../shared/sources/opml';
import { testFeedFiles } from '../api/fixtures';
import { createTestStores, testConfig } from '../helpers/stores';

let feeds: FeedServer;
let api: ApiServer;
let rt: Runtime;
let dir: string;

beforeAll(async () => {
  feeds = await startFeedServer(testFeedFiles());
  const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${feeds.port}`] } });
  await createTestStores(config);
  rt = createRuntime(config);
  dir = await mkdtemp(join(tmpdir(), 'tributary-local-server-'));
  const file = join(dir, 'sources.opml');
  await writeFile(file, serializeOpml({ title: 'local', sources: [{ id: 'beta', url: `${feeds.url}/beta.atom`, title: 'Beta', tags: ['b'] }] }));
  expect((await runCycle(rt, file, true)).failures).toEqual([]);
  api = await startApiServer(rt, 0);
});

afterAll(async () => {
  await api?.close();
  await feeds?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the local server and per-source feeds', () => {
  it('serves /sources/<id>.json rendered on demand, with the configured public URL and a strong ETag', async () => {
    const res = await fetch(`${api.url}/sources/beta.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const feed = (await res.json()) as { feed_url: string; items: { title: string }[] };
    expect(feed.feed_url).toBe(`${rt.config.publicUrl}/sources/beta.json`);
    expect(feed.items.map((i) => i.title)).toEqual(['Beta two', 'Beta one']);
  });

  it('answers a conditional GET with 304 and HEAD with headers only', async () => {
    const etag = (await fetch(`${api.url}/sources/beta.xml`)).headers.get('etag') as string;
    const again = await fetch(`${api.url}/sources/beta.xml`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const head = await fetch(`${api.url}/sources/beta.xml`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(await head.text()).toBe('');
  });

  it('still answers /sources/<id> with the source as JSON, and an unknown source feed with a JSON 404', async () => {
    expect(((await (await fetch(`${api.url}/sources/beta`)).json()) as { id: string }).id).toBe('beta');
    const missing = await fetch(`${api.url}/sources/nobody.atom`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toMatch(/^no source "nobody"/);
  });
});
