/**
 * The Lambda handlers on a real runtime (dynalite + s3rver) against a loopback feed server:
 * fetch-job validation, failures recorded in state (never thrown), carried and read states, one
 * cycle-count update per job, 410 Gone, 301 Moved Permanently, duplicates, the scheduler's jobs and the publisher.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { createApiHandler } from '../../functions/api/handler';
import { createFetcherHandler } from '../../functions/fetcher/handler';
import { parseFetchJob } from '../../functions/fetcher/job';
import { createPublisherHandler } from '../../functions/publisher/handler';
import { createSchedulerHandler } from '../../functions/scheduler/handler';
import { loadConfig } from '../../shared/config';
import { EventError, StoreError } from '../../shared/errors';
import type { Source, SourceState } from '../../shared/model';
import { createRuntime, localDispatcher, type Runtime } from '../../shared/runtime';
import type { FetchJob, JobSource } from '../../shared/store/ports';
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

const entry = (s: Source): JobSource => ({ source: s });
const job = (...sources: (JobSource | Record<string, unknown>)[]): FetchJob => ({ sources: sources as JobSource[] });
const fetcher = (runtime: Runtime = rt) => createFetcherHandler(() => runtime);

/** The runtime with its getStates calls recorded (the real repository answers them). */
function readsRecorded(): { runtime: Runtime; reads: string[][] } {
  const reads: string[][] = [];
  const states = Object.create(rt.states) as Runtime['states'];
  states.getStates = (ids) => {
    reads.push([...ids]);
    return rt.states.getStates(ids);
  };
  return { runtime: { ...rt, states }, reads };
}

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

describe('parseFetchJob', () => {
  it('accepts a valid job and fills defaults', () => {
    const state = { sourceId: 'a', consecutiveFailures: 0, itemsSeen: 3, etag: '"x"' };
    const parsed = parseFetchJob({ cycle: '2025-06-01T10:00:00.000Z', attempt: 1, sources: [{ source: { id: 'a', url: 'https://a.example/f', tags: ['x', 1], siteUrl: 'https://a.example/' }, state }, { source: { id: 'b', url: 'https://b.example/f' }, state: null }] });
    expect(parsed).toEqual({
      job: {
        cycle: '2025-06-01T10:00:00.000Z',
        attempt: 1,
        sources: [{ source: { id: 'a', url: 'https://a.example/f', title: 'a', tags: ['x'], siteUrl: 'https://a.example/' }, state }, { source: { id: 'b', url: 'https://b.example/f', title: 'b', tags: [] }, state: null }],
      },
      rejected: [],
    });
  });

  it.each([
    ['null', null, /expects a fetch job object/],
    ['a string', 'job', /expects a fetch job object/],
    ['an SQS event', { Records: [{ body: '{}' }] }, /no sources array/],
    ['sources not an array', { sources: {} }, /no sources array/],
    ['a cycle that is no time', { cycle: 'yesterday', sources: [] }, /cycle that is not an ISO time: "yesterday"/],
  ])('rejects %s with EventError', (_name, event, pattern) => {
    expect(() => parseFetchJob(event)).toThrow(EventError);
    expect(() => parseFetchJob(event)).toThrow(pattern);
  });

  it('leaves out bad entries and repeats, and drops a state that is not the source\'s', () => {
    const { job: parsed, rejected } = parseFetchJob({
      sources: [null, { source: { id: 'a' } }, { source: { id: 'a', url: 'https://a.example/f' } }, { source: { id: 1, url: 'https://x.example/' } }, { source: { id: 'a', url: 'https://a.example/f' } }, { source: { id: 'b', url: 'https://b.example/f' }, state: { sourceId: 'other', consecutiveFailures: 0, itemsSeen: 0 } }],
    });
    expect(parsed.sources).toEqual([{ source: { id: 'a', url: 'https://a.example/f', title: 'a', tags: [] } }, { source: { id: 'b', url: 'https://b.example/f', title: 'b', tags: [] } }]);
    expect(rejected).toEqual([
      'entry 0: no source with an id and a url',
      'entry 1: no source with an id and a url',
      'entry 3: no source with an id and a url',
      'entry 4: source a repeated',
      'entry 5: state of b is not its state (it is read instead)',
    ]);
  });
});

describe('fetcher handler', () => {
  it('rejects a payload that is not a fetch job', async () => {
    await expect(fetcher()({ Records: [] })).rejects.toBeInstanceOf(EventError);
  });

  it('reports a malformed entry and processes the good ones', async () => {
    const r = await fetcher()(job({ source: { id: 'oops' } }, entry(sources.alpha as Source)));
    expect(r.rejected).toEqual(['entry 0: no source with an id and a url']);
    expect(r.outcomes).toHaveLength(1);
    expect(r.outcomes[0]).toMatchObject({ sourceId: 'alpha', status: 'ok', itemsNew: ALPHA.length });
    expect((await rt.items.newest({ limit: 10, sourceId: 'alpha' })).items).toHaveLength(ALPHA.length);
  });

  it('records 500, 503 and 404 in state as failures (never thrown), 5xx as retryable, with the backoff the schedule uses', async () => {
    const before = Date.now();
    const r = await fetcher()(job(entry(sources.e500 as Source), entry(sources.e404 as Source), entry(sources.beta as Source), entry(sources.e503 as Source)));
    const byId = new Map(r.outcomes.map((o) => [o.sourceId, o]));
    expect(byId.get('e404')).toMatchObject({ status: 'error', retryable: false });
    expect(byId.get('e404')?.error).toMatch(/^fetch: 404/);
    expect(byId.get('e500')).toMatchObject({ status: 'error', retryable: true });
    expect(byId.get('e503')).toMatchObject({ status: 'error', retryable: true });
    expect(byId.get('beta')).toMatchObject({ status: 'ok' });

    const states = await rt.states.getStates(['e404', 'e500', 'e503']);
    expect(states.get('e404')).toMatchObject({ status: 'error', lastStatusCode: 404, consecutiveFailures: 1 });
    expect(states.get('e404')?.lastError).toMatch(/404/);
    expect(states.get('e500')).toMatchObject({ status: 'error', lastStatusCode: 500, consecutiveFailures: 1 });
    expect(Date.parse(states.get('e500')?.nextFetchAt ?? '')).toBeGreaterThan(before);
    // Retry-After: 7200 pushes the next fetch two hours out, well past the 15-minute backoff
    const next503 = Date.parse(states.get('e503')?.nextFetchAt ?? '');
    expect(next503 - before).toBeGreaterThanOrEqual(7200_000 - 1000);
    expect(next503 - Date.now()).toBeLessThanOrEqual(7200_000 + 1000);
  });

  it('uses the states a fresh job carries, reads only the missing ones in one call, and reads all for a retry', async () => {
    const cycle = new Date().toISOString();
    const stored = (await rt.states.getStates(['alpha'])).get('alpha') as SourceState;
    // The carried state is what counts: alpha's (with its validators) gives a 304, beta's read one too.
    const fresh = readsRecorded();
    const r = await fetcher(fresh.runtime)({ cycle, sources: [{ source: sources.alpha as Source, state: stored }, entry(sources.beta as Source)] });
    expect(fresh.reads).toEqual([['beta']]);
    expect(r.outcomes.map((o) => o.status)).toEqual(['not-modified', 'not-modified']);
    // A carried state is used as is: one pointing at another URL is fetched there.
    const elsewhere = readsRecorded();
    const moved = await fetcher(elsewhere.runtime)({ cycle, sources: [{ source: sources.alpha as Source, state: { ...stored, url: `${server.url}/404`, etag: undefined } }] });
    expect(elsewhere.reads).toEqual([]);
    expect(moved.outcomes[0]).toMatchObject({ status: 'error', error: expect.stringMatching(/404/) });
    await rt.states.putState(stored);
    // A retry (or a job started long after its cycle) reads every state again.
    const retry = readsRecorded();
    const again = await fetcher(retry.runtime)({ cycle, attempt: 1, sources: [{ source: sources.alpha as Source, state: { ...stored, url: `${server.url}/404` } }, { source: sources.beta as Source, state: null }] });
    expect(retry.reads).toEqual([['alpha', 'beta']]);
    expect(again.outcomes.map((o) => o.status)).toEqual(['not-modified', 'not-modified']);
  });

  it('adds the whole job to its cycle in one update and moves the cycle\'s finishedAt', async () => {
    const cycle = new Date(Date.now() - 1000).toISOString();
    const zero = { ok: 0, notModified: 0, failed: 0, itemsNew: 0, itemsUpdated: 0, itemsMerged: 0, bytes: 0 };
    await rt.states.putCycle({ startedAt: cycle, finishedAt: cycle, sources: 7, due: 3, ...zero });
    const updates: string[] = [];
    const states = Object.create(rt.states) as Runtime['states'];
    states.addToCycle = (startedAt, counts, finishedAt) => {
      updates.push(startedAt);
      return rt.states.addToCycle(startedAt, counts, finishedAt);
    };
    const r = await fetcher({ ...rt, states })({ cycle, sources: [entry(sources.alpha as Source), entry(sources.beta as Source), entry(sources.e404 as Source)] });
    expect(updates).toEqual([cycle]);
    const [record] = await rt.states.cyclesSince(cycle);
    expect(record).toMatchObject({ startedAt: cycle, due: 3, notModified: 2, failed: 1, ok: 0 });
    expect(record?.bytes).toBe(r.outcomes.reduce((n, o) => n + o.bytes, 0));
    expect((record?.finishedAt ?? '') > cycle).toBe(true);
  });

  it('marks a 410 source gone; the scheduler then skips it', async () => {
    const r = await fetcher()(job(entry(sources.e410 as Source)));
    expect(r.outcomes[0]).toMatchObject({ sourceId: 'e410', status: 'gone' });
    const gone = (await rt.states.getStates(['e410'])).get('e410');
    expect(gone).toMatchObject({ status: 'gone', lastStatusCode: 410, configuredUrl: sources.e410?.url });

    // make both the gone and the 404 source overdue: only the 404 one may be scheduled
    const past = new Date(Date.now() - 60_000).toISOString();
    const e404 = (await rt.states.getStates(['e404'])).get('e404');
    await rt.states.putState({ ...(gone as NonNullable<typeof gone>), nextFetchAt: past });
    await rt.states.putState({ ...(e404 as NonNullable<typeof e404>), nextFetchAt: past });
    localDispatcher.drain();
    const scheduled = await createSchedulerHandler(() => rt)({});
    const dispatched = localDispatcher.drain().flatMap((j) => j.sources.map((e) => e.source.id));
    expect(dispatched).toContain('e404');
    expect(dispatched).not.toContain('e410');
    expect(scheduled).toMatchObject({ sources: Object.keys(sources).length, due: dispatched.length, jobs: 1 });
  });

  it('follows a 301, remembers the new URL, and fetches the new URL next time', async () => {
    const first = await fetcher()(job(entry(sources.moved as Source)));
    expect(first.outcomes[0]).toMatchObject({ status: 'ok', itemsNew: 1 });
    expect(hits['/old-feed.xml']).toBe(1);
    const state = (await rt.states.getStates(['moved'])).get('moved');
    expect(state?.url).toBe(`${server.url}/moved-new.xml`);
    expect(state?.configuredUrl).toBe(sources.moved?.url);

    const second = await fetcher()(job(entry(sources.moved as Source)));
    expect(second.outcomes[0]?.status).toBe('not-modified');
    expect(hits['/old-feed.xml']).toBe(1);
  });

  it('does not let a redelivered job set back the state a later run stored from the same carried state', async () => {
    const gamma: Source = { id: 'gamma-redelivered', url: `${server.url}/gamma.xml`, title: 'Gamma', tags: [] };
    const entries = [
      { id: 'g-1', title: 'Gamma one', link: 'https://gamma.example/1', date: '2025-05-01T10:00:00Z' },
      { id: 'g-2', title: 'Gamma two', link: 'https://gamma.example/2', date: '2025-05-02T10:00:00Z' },
    ];
    const serve = (n: number) => server.set('/gamma.xml', feedFile(rssFeed('Gamma', 'https://gamma.example/', entries.slice(0, n)), 'application/rss+xml; charset=utf-8'));
    serve(1);
    await fetcher()({ cycle: new Date().toISOString(), sources: [{ source: gamma, state: null }] });
    const first = (await rt.states.getStates([gamma.id])).get(gamma.id) as SourceState;
    expect(first.itemsSeen).toBe(1);
    serve(2);
    const delivered: FetchJob = { cycle: new Date().toISOString(), sources: [{ source: gamma, state: first }] };
    expect((await fetcher()(delivered)).outcomes[0]).toMatchObject({ status: 'ok', itemsNew: 1 });
    const second = (await rt.states.getStates([gamma.id])).get(gamma.id) as SourceState;
    expect(second.itemsSeen).toBe(2);
    // The same job again, with the state it carried: its fetch finds nothing new, and its state is not stored.
    const again = await fetcher()(structuredClone(delivered));
    expect(again.outcomes[0]).toMatchObject({ status: 'ok', itemsNew: 0 });
    expect((await rt.states.getStates([gamma.id])).get(gamma.id)).toEqual(second);
  });

  it('processes a source listed twice in one job once', async () => {
    const requests = server.stats.requests;
    const r = await fetcher()(job(entry(sources.beta as Source), entry(sources.beta as Source)));
    expect(server.stats.requests - requests).toBe(1);
    expect(r.outcomes).toHaveLength(1);
    expect(r.rejected).toEqual(['entry 1: source beta repeated']);
  });

  it('throws (for Lambda to retry) when the states it must read cannot be read', async () => {
    const states = Object.create(rt.states) as Runtime['states'];
    states.getStates = () => Promise.reject(new StoreError('BatchGetItem failed'));
    await expect(fetcher({ ...rt, states })(job(entry(sources.beta as Source)))).rejects.toBeInstanceOf(StoreError);
  });
});

describe('scheduler handler', () => {
  it.each([null, undefined, 'tick', 42])('rejects the non-object event %s', async (bad) => {
    await expect(createSchedulerHandler(() => rt)(bad)).rejects.toBeInstanceOf(EventError);
  });

  it('dispatches every source, gone or not due, with {force: true}: one job of the cycle carrying the states it read', async () => {
    localDispatcher.drain();
    const r = await createSchedulerHandler(() => rt)({ force: true });
    const jobs = localDispatcher.drain();
    expect(r).toMatchObject({ sources: 7, due: 7, jobs: 1 });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.cycle).toBe(r.cycle);
    expect(jobs[0]?.sources.map((e) => e.source.id)).toEqual(Object.keys(sources));
    expect(jobs[0]?.sources[0]?.source).toEqual(sources.alpha);
    const stored = await rt.states.getStates(Object.keys(sources));
    for (const e of jobs[0]?.sources ?? []) expect(e.state).toEqual(stored.get(e.source.id) ?? null);
  });

  it('does not treat a truthy non-boolean force as force', async () => {
    localDispatcher.drain();
    const r = await createSchedulerHandler(() => rt)({ force: 'yes' });
    expect(r.due).toBeLessThan(7);
    expect(localDispatcher.drain().flatMap((j) => j.sources.map((e) => e.source.id))).not.toContain('alpha');
  });

  it('fails when a job cannot be handed over, after opening the cycle', async () => {
    const refusing = { ...rt, dispatcher: { dispatch: () => Promise.reject(new StoreError('1 of 1 fetch jobs not handed to f')) } };
    const before = (await rt.states.recentCycles(1))[0]?.startedAt ?? '';
    await expect(createSchedulerHandler(() => refusing)({ force: true })).rejects.toThrow(/not handed/);
    expect(((await rt.states.recentCycles(1))[0]?.startedAt ?? '') > before).toBe(true);
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
