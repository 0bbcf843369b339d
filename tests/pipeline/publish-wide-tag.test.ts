/**
 * A tag of at least half the sources is walked from the combined pages in an incremental publish
 * (publish-plan.ts); when its items are too rare among the newest for a short walk, it is updated
 * from its changed sources' pages after all, and the files still equal a full publish's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { loadConfig } from '../../shared/config';
import type { Source } from '../../shared/model';
import { fetchBatch } from '../../shared/pipeline/fetch-batch';
import { publishFeeds } from '../../shared/pipeline/publish-feeds';
import type { Runtime } from '../../shared/runtime';
import { feedFile, rssFeed, type TestEntry } from '../api/fixtures';
import { createTestStores, testConfig } from '../helpers/stores';
import { expectAllPublished, recordedRuntime, type StorageLog } from './recorded-runtime';

let server: FeedServer;
let rt: Runtime;
let log: StorageLog;
let list: Source[];

/** `n` entries of a site, an hour apart from `start` (newest first). */
const entries = (site: string, n: number, start: string): TestEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${site}-${i}`,
    title: `${site} story ${i}`,
    link: `https://${site}.example/${i}`,
    date: new Date(Date.parse(start) - i * 3_600_000).toISOString(),
  }));
const rss = (site: string, items: TestEntry[]) => ({ ...feedFile(rssFeed(site, `https://${site}.example/`, items), 'application/rss+xml'), lastModified: new Date() });
const fetch = async (...ids: string[]) => fetchBatch(ids.map((id) => ({ source: list.find((s) => s.id === id) as Source })), rt);

beforeAll(async () => {
  // Two busy untagged sources fill the newest pages; the tag's two sources (half of four) are older.
  const files = new Map([
    ['/busy1.xml', rss('busy1', entries('busy1', 12, '2025-06-01T12:00:00Z'))],
    ['/busy2.xml', rss('busy2', entries('busy2', 12, '2025-06-01T11:30:00Z'))],
    ['/quiet1.xml', rss('quiet1', entries('quiet1', 3, '2025-05-01T12:00:00Z'))],
    ['/quiet2.xml', rss('quiet2', entries('quiet2', 3, '2025-05-01T11:00:00Z'))],
  ]);
  server = await startFeedServer(files);
  const config = testConfig({ logLevel: 'SILENT', feedItems: 2, fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
  await createTestStores(config);
  ({ rt, log } = recordedRuntime(config));
  list = [
    { id: 'busy1', url: `${server.url}/busy1.xml`, title: 'Busy 1', tags: [] },
    { id: 'busy2', url: `${server.url}/busy2.xml`, title: 'Busy 2', tags: [] },
    { id: 'quiet1', url: `${server.url}/quiet1.xml`, title: 'Quiet 1', tags: ['wide'] },
    { id: 'quiet2', url: `${server.url}/quiet2.xml`, title: 'Quiet 2', tags: ['wide'] },
  ];
  expect((await fetch('busy1', 'busy2', 'quiet1', 'quiet2')).map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  expect((await publishFeeds(list, rt)).full).toBe(true);
});

afterAll(async () => {
  await server?.close();
});

describe('an incremental publish of a wide tag', () => {
  it('falls back to its changed source\'s page when the combined walk would be long, and publishes what a full publish would', async () => {
    server.set('/quiet1.xml', rss('quiet1', [{ id: 'quiet1-new', title: 'quiet1 news', link: 'https://quiet1.example/new', date: '2025-05-02T12:00:00Z' }, ...entries('quiet1', 3, '2025-05-01T12:00:00Z')]));
    expect((await fetch('quiet1'))[0]).toMatchObject({ itemsNew: 1 });
    log.reset();
    const result = await publishFeeds(list, rt);
    expect(result.full).toBe(false);
    expect(result.rendered).toEqual(['feed', 'tags/wide']);
    // The walk gave up after its four combined pages (2 × 4 sources ÷ 2 tagged), then read quiet1's page.
    expect(log.itemReads.filter((r) => r === 'newest:*')).toHaveLength(4);
    expect(log.itemReads.filter((r) => r.startsWith('newest:quiet1'))).toHaveLength(1);
    expect(log.itemReads.some((r) => r.startsWith('newest:quiet2'))).toBe(false);
    const wide = JSON.parse(new TextDecoder().decode(await rt.blobs.get(`${rt.config.publishPrefix}tags/wide.json`))) as { items: { title: string }[] };
    expect(wide.items.map((i) => i.title)).toEqual(['quiet1 news', 'quiet1 story 0']);
    await expectAllPublished(list, rt);
  });
});
