/**
 * Article capture in ingest, against a loopback page server: capture="always" stores the page
 * (gzipped, content-addressed) and the extracted text on the item and clusters on it; a failing page
 * never fails the ingest; capture="short" skips items whose feed text is long enough; OPML carries it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseFetchJob } from '../../functions/fetcher/job';
import { loadConfig } from '../../shared/config';
import { SourcesError } from '../../shared/errors';
import { createFetchLimiter } from '../../shared/fetch';
import type { Item } from '../../shared/model';
import { MAX_ARTICLE_CHARS, SHORT_TEXT_CHARS, wantsCapture } from '../../shared/pipeline/capture';
import { ingestFeed, type IngestDeps } from '../../shared/pipeline/ingest';
import { parseOpml, serializeOpml } from '../../shared/sources/opml';
import { DynamoStoryRepository } from '../../shared/store/stories';
import { parseInboxObject } from '../../shared/story';
import { createTestStores, testConfig } from '../helpers/stores';

const ARTICLE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour ferry returns | Courier</title>
<meta name="author" content="Priya Natarajan"></head><body><nav><a href="/">Home</a><a href="/local">Local</a></nav>
<article><h1>Harbour ferry returns after three-week repair</h1>
<p>The Blue Heron ferry is back on the harbour route after repairs to its propeller shaft, the port authority said on Tuesday, ending three weeks of replacement buses.</p>
<p>Engineers found a crack in the shaft during a routine inspection in early November. The operator said the first crossing on Tuesday morning carried 140 passengers, most of them commuters.</p>
<p>The winter timetable runs until March, with sailings every 40 minutes on weekdays and every hour at weekends.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>`;

let server: Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/ferry') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE);
    else res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let deps: IngestDeps;

beforeEach(async () => {
  const config = testConfig({ fetch: { ...loadConfig({}).fetch, allowHosts: [new URL(base).host] } });
  const stores = await createTestStores(config);
  deps = {
    items: stores.items,
    blobs: stores.blobs,
    stories: new DynamoStoryRepository(stores.clients.dynamo, config),
    pages: { settings: config.fetch, limiter: createFetchLimiter(config.fetch) },
  };
});

function feed(entries: { title: string; path: string; text: string }[]): Uint8Array {
  const items = entries.map((e) => `<item><title>${e.title}</title><link>${base}${e.path}</link><guid>${base}${e.path}</guid><pubDate>Tue, 24 Nov 2026 17:45:00 GMT</pubDate><description>${e.text}</description></item>`);
  return new TextEncoder().encode(`<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title><link>${base}/</link>${items.join('')}</channel></rss>`);
}

const ingest = (body: Uint8Array, capture: 'always' | 'short' | 'off') =>
  ingestFeed({ sourceId: 'courier', body, feedUrl: `${base}/feed.xml`, fetchedAt: new Date('2026-11-25T08:00:00Z'), capture }, deps);

async function byPath(): Promise<Map<string, Item>> {
  const { items } = await deps.items.newest({ limit: 100 });
  return new Map(items.map((i) => [new URL(i.url as string).pathname, i]));
}

describe('article capture', () => {
  it('capture="always" stores the raw page gzipped under raw/pages/ and the extracted text on the item', async () => {
    const result = await ingest(feed([{ title: 'Harbour ferry returns', path: '/ferry', text: 'The ferry is back.' }]), 'always');
    expect(result).toMatchObject({ created: 1, captured: 1, captureFailures: 0 });
    const item = (await byPath()).get('/ferry');
    expect(item?.pageRef?.key).toMatch(/^raw\/pages\/courier\/[0-9a-f]{64}\.gz$/);
    const stored = await deps.blobs.get(item?.pageRef?.key as string);
    expect(Buffer.from(gunzipSync(stored as Uint8Array)).toString('utf8')).toBe(ARTICLE);
    expect(item?.articleText).toContain('Engineers found a crack in the shaft');
    expect(item?.articleText).not.toContain('newsletter');
    expect(item?.articleText?.length).toBeLessThanOrEqual(MAX_ARTICLE_CHARS);
    const inbox = (await (deps.stories as DynamoStoryRepository).readInbox(100)).map((o) => parseInboxObject(o.body) ?? []);
    const entry = inbox.flat().find((e) => e.itemId === item?.id);
    expect(entry?.size).toBeGreaterThan(40); // the story signature is built from the article, not the four-word feed text
  });

  it('a failing page does not fail the ingest: the item is stored without a capture', async () => {
    const result = await ingest(
      feed([
        { title: 'Harbour ferry returns', path: '/ferry', text: 'The ferry is back.' },
        { title: 'Council approves night bus trial', path: '/broken', text: 'Two routes will run until 3 a.m.' },
      ]),
      'always',
    );
    expect(result).toMatchObject({ created: 2, captured: 1, captureFailures: 1 });
    const items = await byPath();
    expect(items.get('/broken')?.pageRef).toBeUndefined();
    expect(items.get('/broken')?.articleText).toBeUndefined();
    expect(items.get('/broken')?.storyId).toBe(items.get('/broken')?.id);
    expect(items.get('/ferry')?.pageRef).toBeDefined();
  });

  it('capture="short" fetches only items whose feed text is short; "off" and a re-run fetch nothing', async () => {
    const long = 'word '.repeat(SHORT_TEXT_CHARS / 4);
    const before = hits.length;
    await ingest(feed([{ title: 'Long', path: '/long', text: long }, { title: 'Harbour ferry returns', path: '/ferry', text: 'Short.' }]), 'short');
    expect(hits.slice(before)).toEqual(['/ferry']);
    await ingest(feed([{ title: 'Long', path: '/long', text: long }, { title: 'Harbour ferry returns', path: '/ferry', text: 'Short.' }]), 'short');
    await ingest(feed([{ title: 'Other', path: '/other', text: 'Short.' }]), 'off');
    expect(hits.slice(before)).toEqual(['/ferry']);
    expect(wantsCapture('always', { url: undefined })).toBe(false);
  });
});

describe('the tributary:capture OPML attribute', () => {
  const opml = (attr: string) =>
    `<opml version="2.0" xmlns:tributary="https://tributary.dev/ns/opml/1.0"><body><outline type="rss" text="C" xmlUrl="https://c.example/feed" ${attr}/></body></opml>`;

  it('parses off (default), always and short, survives serialising, and travels in the fetch job', () => {
    expect(parseOpml(opml('')).sources[0]?.capture).toBeUndefined();
    expect(parseOpml(opml('tributary:capture="off"')).sources[0]?.capture).toBeUndefined();
    const source = parseOpml(opml('tributary:capture="short"')).sources[0];
    expect(source?.capture).toBe('short');
    const again = parseOpml(serializeOpml({ title: 't', sources: [source as NonNullable<typeof source>] })).sources[0];
    expect(again?.capture).toBe('short');
    expect(parseFetchJob(JSON.parse(JSON.stringify({ sources: [{ source: again }] }))).job.sources[0]?.source.capture).toBe('short');
  });

  it('rejects another value with a SourcesError', () => {
    expect(() => parseOpml(opml('tributary:capture="sometimes"'))).toThrow(SourcesError);
  });
});
