/**
 * The walking skeleton end to end: the real handlers (scheduler → fetcher → publisher) on dynalite
 * and s3rver, fetching the shipped sample feeds from a loopback server.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../cli/local/cycle';
import { loadFeedDir, startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { SAMPLES_DIR } from '../../cli/local/samples';
import { handleApiRequest } from '../../shared/api/router';
import { loadConfig } from '../../shared/config';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { serializeOpml } from '../../shared/sources/opml';
import { createTestStores, testConfig } from '../helpers/stores';

let server: FeedServer;
let rt: Runtime;
let sourcesFile: string;

const SAMPLES = [
  { id: 'global-wire', file: 'global-wire.xml', title: 'Global Wire' },
  { id: 'daily-courier', file: 'daily-courier.atom', title: 'The Daily Courier' },
  { id: 'vostok-news', file: 'vostok-news.xml', title: 'Новости Востока' },
  { id: 'tech-ledger', file: 'tech-ledger.json', title: 'Tech Ledger' },
];

beforeAll(async () => {
  server = await startFeedServer(await loadFeedDir(SAMPLES_DIR));
  const config = testConfig({ fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
  await createTestStores(config);
  rt = createRuntime(config);
  const dir = await mkdtemp(join(tmpdir(), 'tributary-cycle-'));
  sourcesFile = join(dir, 'sources.opml');
  const sources = SAMPLES.map((s) => ({ id: s.id, url: `${server.url}/${s.file}`, title: s.title, tags: ['sample'] }));
  await writeFile(sourcesFile, serializeOpml({ title: 'test', sources }));
});

afterAll(async () => {
  await server.close();
});

describe('a local cycle over the sample feeds', () => {
  it('stores every entry once, merges the republished story, decodes windows-1251, and publishes three feeds', async () => {
    const first = await runCycle(rt, sourcesFile, true);
    expect(first.failures).toEqual([]);
    expect(first.ok).toBe(SAMPLES.length);
    expect(first.itemsMerged).toBe(1);
    expect(first.itemsNew).toBe(first.itemsInFeeds - first.itemsMerged);

    const { items } = await rt.items.newest({ limit: 100 });
    expect(items).toHaveLength(first.itemsNew);
    const flood = items.filter((i) => i.url === 'https://wire.example/2026/11/elbe-flood-barriers-dresden');
    expect(flood).toHaveLength(1);
    expect(flood[0]?.sourceIds).toEqual(expect.arrayContaining(['global-wire', 'daily-courier']));
    expect(flood[0]?.sourceIds).toHaveLength(2);

    const russian = items.filter((i) => i.sourceIds.includes('vostok-news'));
    expect(russian.map((i) => i.title)).toContain('Наводнение в Дрездене: дамбы выдержали натиск Эльбы');
    for (const i of items) expect(`${i.title}${i.summaryText ?? ''}${i.contentText ?? ''}`).not.toContain('\uFFFD');

    for (const name of ['feed.xml', 'feed.atom', 'feed.json']) {
      const body = await rt.blobs.get(`${rt.config.publishPrefix}${name}`);
      expect(body, name).toBeDefined();
      expect(new TextDecoder().decode(body)).toContain('Новости Востока');
    }
    const json = JSON.parse(new TextDecoder().decode(await rt.blobs.get(`${rt.config.publishPrefix}feed.json`)));
    // One entry per story: the Courier's "UPDATE 1-" copy of the rates story is clustered with the wire's.
    expect(json.items).toHaveLength(items.length - 1);
    const floodEntry = json.items.find((i: { url?: string }) => i.url === flood[0]?.url);
    expect(floodEntry._tributary.sources.map((s: { id: string }) => s.id).sort()).toEqual(['daily-courier', 'global-wire']);
  });

  it('clusters a republication under another link and title into the original story: one entry, both outlets', async () => {
    const { items } = await rt.items.newest({ limit: 100 });
    const rates = items.filter((i) => i.title.includes('Central bank holds rates'));
    expect(rates.map((i) => i.sourceIds[0]).sort()).toEqual(['daily-courier', 'global-wire']);
    const wire = rates.find((i) => i.sourceIds[0] === 'global-wire');
    // One story; its id is whichever copy arrived first (the sources are fetched concurrently).
    const storyIds = new Set(rates.map((i) => i.storyId));
    expect(storyIds.size).toBe(1);
    const storyId = [...storyIds][0];
    expect(rates.map((i) => i.id)).toContain(storyId);
    const others = items.filter((i) => !rates.includes(i));
    expect(new Set(others.map((i) => i.storyId)).size).toBe(others.length);

    const json = JSON.parse(new TextDecoder().decode(await rt.blobs.get(`${rt.config.publishPrefix}feed.json`)));
    const entries = json.items.filter((i: { title?: string }) => i.title?.includes('Central bank holds rates'));
    expect(entries).toHaveLength(1);
    expect(entries[0].url).toBe(wire?.url);
    expect(entries[0]._tributary.sources.map((s: { id: string }) => s.id)).toEqual(['global-wire', 'daily-courier']);
    expect(entries[0]._tributary.story_id).toBe(storyId);
    const atom = new TextDecoder().decode(await rt.blobs.get(`${rt.config.publishPrefix}feed.atom`));
    expect(atom.match(/Central bank holds rates/g)).toHaveLength(1);
    const courierFeed = await handleApiRequest({ method: 'GET', path: '/sources/daily-courier.json', query: new URLSearchParams() }, rt);
    const courier = JSON.parse(String(courierFeed.body));
    expect(courier.items.map((i: { title?: string }) => i.title)).toContain('UPDATE 1-Central bank holds rates at 2.25% and signals patience');
  });

  it('writes nothing on a second cycle: every source answers 304 and no item changes', async () => {
    const before = await rt.items.getItems((await rt.items.newest({ limit: 100 })).items.map((i) => i.id));
    const requestsBefore = server.stats.notModified;
    const second = await runCycle(rt, sourcesFile, true);
    expect(second.failures).toEqual([]);
    expect(second.notModified).toBe(SAMPLES.length);
    expect(server.stats.notModified - requestsBefore).toBe(SAMPLES.length);
    expect(second.itemsNew + second.itemsUpdated + second.itemsMerged).toBe(0);
    expect(second.published).toBe(0);
    const after = await rt.items.getItems([...before.keys()]);
    for (const [id, item] of before) expect(after.get(id)?.version).toBe(item.version);
  });

  it('updates an item in place when its source changes it, and adds new entries', async () => {
    const file = (await loadFeedDir(SAMPLES_DIR)).get('/global-wire.xml');
    if (!file) throw new Error('sample missing');
    const text = new TextDecoder().decode(file.body)
      .replace('Divers map a Bronze Age shipwreck off Crete', 'Divers map a Bronze Age shipwreck off Crete, with 40 copper ingots')
      .replace('<item>', '<item><title>Breaking: port strike called off</title><link>https://wire.example/2026/11/port-strike-off</link><guid isPermaLink="false">wire-2026-11-26-0001</guid><pubDate>Thu, 26 Nov 2026 07:00:00 GMT</pubDate><description>Unions and operators agreed overnight.</description></item><item>');
    server.set('/global-wire.xml', { ...file, body: new TextEncoder().encode(text), lastModified: new Date() });
    const third = await runCycle(rt, sourcesFile, true);
    expect(third.itemsNew).toBe(1);
    expect(third.itemsUpdated).toBe(1);
    const { items } = await rt.items.newest({ limit: 100, sourceId: 'global-wire' });
    const wreck = items.filter((i) => i.title.includes('shipwreck'));
    expect(wreck).toHaveLength(1);
    expect(wreck[0]?.title).toContain('40 copper ingots');
    expect(wreck[0]?.storyId).toBe(wreck[0]?.id); // an update keeps the item's story
    expect(items[0]?.title).toBe('Breaking: port strike called off');
  });
});

describe('cycle records', () => {
  it('are opened by the scheduler and filled in by the fetchers, newest first', async () => {
    const summary = await runCycle(rt, sourcesFile, true);
    const [latest] = await rt.states.recentCycles(1);
    expect(Date.parse(latest?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(summary.startedAt));
    expect(latest?.due).toBe(SAMPLES.length);
    expect(latest?.sources).toBe(SAMPLES.length);
    expect((latest?.ok ?? 0) + (latest?.notModified ?? 0) + (latest?.failed ?? 0)).toBe(SAMPLES.length);
    expect(latest?.itemsNew).toBe(summary.itemsNew);
    expect(Date.parse(latest?.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(latest?.startedAt ?? ''));
  });
});
