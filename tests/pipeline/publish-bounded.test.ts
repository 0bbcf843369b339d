/**
 * An incremental publish reads a changed source's page only down to the floor of its tags' full
 * old lists (pageFloors): the items below it cannot enter the tag feed. The result must equal a
 * full publish's, also when a changed source's item moved below the floor (the tag is then made
 * from whole pages again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { loadConfig } from '../../shared/config';
import type { Source } from '../../shared/model';
import { fetchBatch } from '../../shared/pipeline/fetch-batch';
import { publishFeeds } from '../../shared/pipeline/publish-feeds';
import { pageFloors } from '../../shared/pipeline/publish-plan';
import type { TagGroup } from '../../shared/publish/select';
import type { Runtime } from '../../shared/runtime';
import { ALPHA, BETA, feedFile, rssFeed, type TestEntry } from '../api/fixtures';
import { createTestStores, testConfig } from '../helpers/stores';
import { expectAllPublished, recordedRuntime, type StorageLog } from './recorded-runtime';

let server: FeedServer;
let rt: Runtime;
let log: StorageLog;
let prefix: string;
const FEED_ITEMS = 3;

const rss = (title: string, entries: TestEntry[]) => ({ ...feedFile(rssFeed(title, `https://${title.toLowerCase()}.example/`, entries), 'application/rss+xml'), lastModified: new Date() });
const GAMMA: TestEntry[] = [{ id: 'g-1', title: 'Gamma one', link: 'https://gamma.example/one', date: '2025-05-02T12:00:00Z' }];
let list: Source[];
const fetch = async (...ids: string[]) => fetchBatch(ids.map((id) => ({ source: list.find((s) => s.id === id) as Source })), rt);
const tagTitles = async (slug: string) => (JSON.parse(new TextDecoder().decode(await rt.blobs.get(`${prefix}tags/${slug}.json`))) as { items: { title: string }[] }).items.map((i) => i.title);

beforeAll(async () => {
  // Seven more untagged sources, so that 'letters' is too small a share to be taken from the combined pages.
  const fillers = Array.from({ length: 7 }, (_, i) => `f${i}`);
  const files = new Map([['/alpha.xml', rss('Alpha', ALPHA)], ['/beta.xml', rss('Beta', BETA)], ['/gamma.xml', rss('Gamma', GAMMA)]]);
  for (const [i, id] of fillers.entries()) files.set(`/${id}.xml`, rss(`Filler${i}`, [{ id: `${id}-1`, title: `Filler ${i}`, link: `https://filler${i}.example/one`, date: `2025-05-0${i + 1}T11:00:00Z` }]));
  server = await startFeedServer(files);
  const config = testConfig({ logLevel: 'SILENT', feedItems: FEED_ITEMS, fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
  await createTestStores(config);
  ({ rt, log } = recordedRuntime(config));
  prefix = config.publishPrefix;
  list = [
    { id: 'alpha', url: `${server.url}/alpha.xml`, title: 'Alpha', tags: ['letters'] },
    { id: 'beta', url: `${server.url}/beta.xml`, title: 'Beta', tags: ['letters'] },
    { id: 'gamma', url: `${server.url}/gamma.xml`, title: 'Gamma', tags: ['greek'] },
    ...fillers.map((id) => ({ id, url: `${server.url}/${id}.xml`, title: id, tags: [] })),
  ];
  await fetch(...list.map((s) => s.id));
  expect((await publishFeeds(list, rt)).full).toBe(true);
});

afterAll(async () => {
  await server?.close();
});

describe('an incremental publish of a full tag', () => {
  it('reads a changed source only down to the tag\'s floor and makes the same feed as a full publish', async () => {
    expect(await tagTitles('letters')).toEqual(['Alpha three', 'Beta two', 'Alpha two']);
    server.set('/beta.xml', rss('Beta', [{ id: 'urn:beta:9', title: 'Beta nine', link: 'https://beta.example/posts/nine', date: '2025-05-09T10:00:00Z' }, ...BETA]));
    await fetch('beta');
    log.reset();
    const result = await publishFeeds(list, rt);
    expect(result.full).toBe(false);
    expect(log.itemReads.filter((r) => r.startsWith('newest:beta'))).toEqual(['newest:beta>=2025-05-03T10:00:00.000Z']);
    expect(await tagTitles('letters')).toEqual(['Beta nine', 'Alpha three', 'Beta two']);
    await expectAllPublished(list, rt);
  });

  it('makes the tag from whole pages when a changed source\'s item moved below the floor', async () => {
    const moved = BETA.map((e) => (e.id === 'urn:beta:2' ? { ...e, date: '2025-04-01T10:00:00Z' } : e));
    server.set('/beta.xml', rss('Beta', [{ id: 'urn:beta:9', title: 'Beta nine', link: 'https://beta.example/posts/nine', date: '2025-05-09T10:00:00Z' }, ...moved]));
    await fetch('beta');
    log.reset();
    const result = await publishFeeds(list, rt);
    expect(result.full).toBe(false);
    expect(log.itemReads.filter((r) => r.startsWith('newest:beta'))).toEqual(['newest:beta>=2025-05-04T10:00:00.000Z', 'newest:beta']);
    expect(await tagTitles('letters')).toEqual(['Beta nine', 'Alpha three', 'Alpha two']);
    await expectAllPublished(list, rt);
  });
});

describe('pageFloors', () => {
  const group = (slug: string, ...ids: string[]): TagGroup => ({ slug, tags: [slug], sources: ids.map((id) => ({ id, title: id, url: `https://${id}.example/feed`, tags: [slug] })) });
  const groups = [group('a', 's1', 's2'), group('b', 's2', 's3'), group('c', 's4')];

  it('bounds each dirty source by the lowest floor of its tags\' full lists', () => {
    const floors = pageFloors(groups, new Set(['s1', 's2', 's3']), { a: ['2025-05-09T00:00:00.000Z#x', '2025-05-05T00:00:00.000Z#y'], b: ['2025-05-08T00:00:00.000Z#z', '2025-05-02T00:00:00.000Z#w'] }, 2);
    expect(Object.fromEntries(floors)).toEqual({ s1: '2025-05-05T00:00:00.000Z', s2: '2025-05-02T00:00:00.000Z', s3: '2025-05-02T00:00:00.000Z' });
  });

  it('leaves unbounded a source in a tag whose old list is unknown or short, and clean sources', () => {
    const floors = pageFloors(groups, new Set(['s2', 's3', 's4']), { a: ['2025-05-09T00:00:00.000Z#x', '2025-05-05T00:00:00.000Z#y'], b: ['2025-05-08T00:00:00.000Z#z'] }, 2);
    expect(Object.fromEntries(floors)).toEqual({});
  });
});
