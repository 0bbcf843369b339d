/**
 * The Lambda handlers on a real runtime (dynalite + s3rver) against a loopback feed server:
 * message validation, the fetcher's partial-batch failures (retryable only), permanent failures
 * recorded in state, 410 Gone, 301 Moved Permanently, duplicate delivery, the scheduler and the publisher.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { createApiHandler } from '../../functions/api/handler';
import { createFetcherHandler } from '../../functions/fetcher/handler';
import { parseSourceMessage } from '../../functions/fetcher/message';
import { createPublisherHandler } from '../../functions/publisher/handler';
import { createSchedulerHandler } from '../../functions/scheduler/handler';
import { loadConfig } from '../../shared/config';
import { EventError } from '../../shared/errors';
import type { Source } from '../../shared/model';
import { createRuntime, localQueue, type Runtime } from '../../shared/runtime';
import { serializeOpml } from '../../shared/sources/opml';
import { ALPHA, feedFile, rssFeed, testFeedFiles } from '../api/fixtures';
import { createTestStores, testConfig } from '../helpers/stores';

let server: FeedServer;
let rt: Runtime;
let sources: Record<string, Source>;
const hits: Record<string, number> = {};

function counted(path: string, answer: (req: IncomingMessage, res: ServerResponse) => void): void {
  server.route(path, (req, res) => {
    hits[path] = (hits[path] ?? 0) + 1;
    answer(req, res);
  });
}

let seq = 0;
const record = (body: string): SQSRecord => ({ messageId: `m-${++seq}`, body }) as SQSRecord;
const msg = (s: Source) => record(JSON.stringify({ source: s }));
const event = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const fetcher = () => createFetcherHandler(() => rt);
const failedIds = (r: { batchItemFailures: { itemIdentifier: string }[] }) => r.batchItemFailures.map((f) => f.itemIdentifier);

beforeAll(async () => {
  const files = testFeedFiles();
  files.set('/moved-new.xml', feedFile(rssFeed('Moved', 'https://moved.example/', [{ id: 'm-1', title: 'Moved one', link: 'https://moved.example/1', date: '2025-04-01T00:00:00Z' }]), 'application/rss+xml'));
  server = await startFeedServer(files);
  counted('/500', (_q, res) => res.writeHead(500).end('boom'));
  counted('/503', (_q, res) => res.writeHead(503, { 'retry-after': '7200' }).end());
  counted('/404', (_q, res) => res.writeHead(404).end());
  counted('/410', (_q, res) => res.writeHead(410).end());
  counted('/old-feed.xml', (_q, res) => res.writeHead(301, { location: `${server.url}/moved-new.xml` }).end());
  const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
  await createTestStores(config);
  rt = createRuntime(config);
  const list: Source[] = [
    { id: 'alpha', url: `${server.url}/alpha.xml`, title: 'Alpha', tags: [] },
    { id: 'beta', url: `${server.url}/beta.atom`, title: 'Beta', tags: [] },
    { id: 'e500', url: `${server.url}/500`, title: 'e500', tags: [] },
    { id: 'e503', url: `${server.url}/503`, title: 'e503', tags: [] },
    { id: 'e404', url: `${server.url}/404`, title: 'e404', tags: [] },
    { id: 'e410', url: `${server.url}/410`, title: 'e410', tags: [] },
    { id: 'moved', url: `${server.url}/old-feed.xml`, title: 'Moved', tags: [] },
  ];
  sources = Object.fromEntries(list.map((s) => [s.id, s]));
  await rt.blobs.put(config.sourcesKey, serializeOpml({ title: 'handlers', sources: list }));
});

afterAll(async () => {
  await server?.close();
});

describe('parseSourceMessage', () => {
  it('accepts a valid body and fills defaults', () => {
    expect(parseSourceMessage('{"source":{"id":"a","url":"https://a.example/f","tags":["x",1],"siteUrl":"https://a.example/"}}')).toEqual({
      source: { id: 'a', url: 'https://a.example/f', title: 'a', tags: ['x'], siteUrl: 'https://a.example/' },
    });
  });

  it.each([
    ['non-JSON', 'not json', /not JSON/],
    ['null', 'null', /no source/],
    ['no source', '{"id":"a","url":"https://a.example/f"}', /no source/],
    ['missing id', '{"source":{"url":"https://a.example/f"}}', /no source with an id and a url/],
    ['empty url', '{"source":{"id":"a","url":""}}', /no source with an id and a url/],
    ['numeric id', '{"source":{"id":1,"url":"https://a.example/f"}}', /no source/],
  ])('rejects %s with EventError', (_name, body, pattern) => {
    expect(() => parseSourceMessage(body)).toThrow(EventError);
    expect(() => parseSourceMessage(body)).toThrow(pattern);
  });
});

describe('fetcher handler', () => {
  it('rejects an event that is not an SQS event', async () => {
    await expect(fetcher()({} as SQSEvent)).rejects.toBeInstanceOf(EventError);
  });

  it('reports a malformed record and processes the good ones', async () => {
    const bad = record('{oops');
    const good = msg(sources.alpha as Source);
    const r = await fetcher()(event(bad, good));
    expect(failedIds(r)).toEqual([bad.messageId]);
    expect(r.outcomes).toHaveLength(1);
    expect(r.outcomes[0]).toMatchObject({ sourceId: 'alpha', status: 'ok', itemsNew: ALPHA.length });
    expect((await rt.items.newest({ limit: 10, sourceId: 'alpha' })).items).toHaveLength(ALPHA.length);
  });

  it('reports 500 and 503 sources for retry, but not a 404 (recorded in state instead)', async () => {
    const m500 = msg(sources.e500 as Source);
    const m503 = msg(sources.e503 as Source);
    const m404 = msg(sources.e404 as Source);
    const mBeta = msg(sources.beta as Source);
    const before = Date.now();
    const r = await fetcher()(event(m500, m404, mBeta, m503));
    expect(failedIds(r).sort()).toEqual([m500.messageId, m503.messageId].sort());
    const byId = new Map(r.outcomes.map((o) => [o.sourceId, o]));
    expect(byId.get('e404')).toMatchObject({ status: 'error', retryable: false });
    expect(byId.get('e404')?.error).toMatch(/^fetch: 404/);
    expect(byId.get('e500')).toMatchObject({ status: 'error', retryable: true });
    expect(byId.get('beta')).toMatchObject({ status: 'ok' });

    const states = await rt.states.getStates(['e404', 'e503']);
    expect(states.get('e404')).toMatchObject({ status: 'error', lastStatusCode: 404, consecutiveFailures: 1 });
    expect(states.get('e404')?.lastError).toMatch(/404/);
    // Retry-After: 7200 pushes the next fetch two hours out, well past the 15-minute backoff
    const next503 = Date.parse(states.get('e503')?.nextFetchAt ?? '');
    expect(next503 - before).toBeGreaterThanOrEqual(7200_000 - 1000);
    expect(next503 - Date.now()).toBeLessThanOrEqual(7200_000 + 1000);
  });

  it('marks a 410 source gone without retrying it; the scheduler then skips it', async () => {
    const m = msg(sources.e410 as Source);
    const r = await fetcher()(event(m));
    expect(failedIds(r)).toEqual([]);
    expect(r.outcomes[0]).toMatchObject({ sourceId: 'e410', status: 'gone' });
    const gone = (await rt.states.getStates(['e410'])).get('e410');
    expect(gone).toMatchObject({ status: 'gone', lastStatusCode: 410, configuredUrl: sources.e410?.url });

    // make both the gone and the 404 source overdue: only the 404 one may be scheduled
    const past = new Date(Date.now() - 60_000).toISOString();
    const e404 = (await rt.states.getStates(['e404'])).get('e404');
    await rt.states.putState({ ...(gone as NonNullable<typeof gone>), nextFetchAt: past });
    await rt.states.putState({ ...(e404 as NonNullable<typeof e404>), nextFetchAt: past });
    localQueue.drain();
    const scheduled = await createSchedulerHandler(() => rt)({});
    const queued = localQueue.drain().map((m) => m.source.id);
    expect(queued).toContain('e404');
    expect(queued).not.toContain('e410');
    expect(scheduled).toMatchObject({ sources: Object.keys(sources).length, due: queued.length });
  });

  it('follows a 301, remembers the new URL, and fetches the new URL next time', async () => {
    const first = await fetcher()(event(msg(sources.moved as Source)));
    expect(first.outcomes[0]).toMatchObject({ status: 'ok', itemsNew: 1 });
    expect(hits['/old-feed.xml']).toBe(1);
    const state = (await rt.states.getStates(['moved'])).get('moved');
    expect(state?.url).toBe(`${server.url}/moved-new.xml`);
    expect(state?.configuredUrl).toBe(sources.moved?.url);

    const second = await fetcher()(event(msg(sources.moved as Source)));
    expect(second.outcomes[0]?.status).toBe('not-modified');
    expect(hits['/old-feed.xml']).toBe(1);
  });

  it('processes a source delivered twice in one batch once, and both messages succeed', async () => {
    const a = msg(sources.beta as Source);
    const b = msg(sources.beta as Source);
    const requests = server.stats.requests;
    const r = await fetcher()(event(a, b));
    expect(server.stats.requests - requests).toBe(1);
    expect(r.outcomes).toHaveLength(1);
    expect(failedIds(r)).toEqual([]);
  });

  it('reports every message of a duplicated source that failed retryably', async () => {
    const a = msg(sources.e500 as Source);
    const b = msg(sources.e500 as Source);
    const before = hits['/500'] ?? 0;
    const r = await fetcher()(event(a, b));
    expect(hits['/500']).toBe(before + 1);
    expect(failedIds(r).sort()).toEqual([a.messageId, b.messageId].sort());
  });
});

describe('scheduler handler', () => {
  it.each([null, undefined, 'tick', 42])('rejects the non-object event %s', async (bad) => {
    await expect(createSchedulerHandler(() => rt)(bad)).rejects.toBeInstanceOf(EventError);
  });

  it('queues every source, gone or not due, with {force: true}', async () => {
    localQueue.drain();
    const r = await createSchedulerHandler(() => rt)({ force: true });
    const queued = localQueue.drain();
    expect(r).toMatchObject({ sources: 7, due: 7 });
    expect(queued.map((m) => m.source.id)).toEqual(Object.keys(sources));
    expect(queued[0]?.source).toEqual(sources.alpha);
  });

  it('does not treat a truthy non-boolean force as force', async () => {
    localQueue.drain();
    const r = await createSchedulerHandler(() => rt)({ force: 'yes' });
    expect(r.due).toBeLessThan(7);
    expect(localQueue.drain().map((m) => m.source.id)).not.toContain('alpha');
  });
});

describe('publisher and API handlers', () => {
  it('writes the three feeds, and rewrites nothing when nothing changed', async () => {
    const publish = createPublisherHandler(() => rt);
    await expect(publish(null)).rejects.toBeInstanceOf(EventError);
    const first = await publish({});
    const keys = ['feed.xml', 'feed.atom', 'feed.json'].map((n) => `${rt.config.publishPrefix}${n}`);
    expect([...first.written, ...first.unchanged]).toEqual(expect.arrayContaining(keys));
    for (const key of keys) {
      const body = new TextDecoder().decode(await rt.blobs.get(key));
      expect(body, key).toContain('Alpha three');
      expect(body, key).toContain('Moved one');
    }
    const second = await publish({});
    expect(second.written).toEqual([]);
    expect(second.unchanged).toEqual(expect.arrayContaining(keys));
  });

  it('serves the API through a function URL event, feeds base64-encoded', async () => {
    const handler = createApiHandler(() => rt);
    const api = async (e: LambdaFunctionURLEvent) => (await handler(e)) as Exclude<LambdaFunctionURLResult, string>;
    const ev = (rawPath: string, rawQueryString = '', method = 'GET') => ({ rawPath, rawQueryString, requestContext: { http: { method } } }) as unknown as LambdaFunctionURLEvent;
    const feed = await api(ev('/feed.json'));
    expect(feed).toMatchObject({ statusCode: 200, isBase64Encoded: true });
    const parsed = JSON.parse(Buffer.from(String(feed.body), 'base64').toString('utf8'));
    expect(parsed.items.map((i: { title: string }) => i.title)).toContain('Beta two');
    const items = await api(ev('/items', 'limit=1'));
    expect(items).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(JSON.parse(String(items.body)).items).toHaveLength(1);
    expect((await api(ev('/items', 'limit=0'))).statusCode).toBe(400);
    expect((await api({} as LambdaFunctionURLEvent)).statusCode).toBe(400);
  });
});
