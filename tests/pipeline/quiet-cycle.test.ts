/**
 * A quiet cycle through the real handlers (scheduler → fetcher → publisher) on dynalite and
 * s3rver, over a loopback feed server: 304s write no source state, the status page and the
 * scheduler still know each source was checked, a state is written again after the heartbeat,
 * a changed feed bumps its feedVersion and its arrivals per day, and an item that another source
 * joins marks the first source's feed changed too.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../cli/local/cycle';
import { startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { createSchedulerHandler } from '../../functions/scheduler/handler';
import { loadConfig } from '../../shared/config';
import type { Source } from '../../shared/model';
import { fetchBatch } from '../../shared/pipeline/fetch-batch';
import { localDispatcher, type Runtime } from '../../shared/runtime';
import { HEARTBEAT_MS, REPLAY_WINDOW_MS } from '../../shared/schedule/replay';
import { collectStatus } from '../../shared/status/collect';
import { dayKey } from '../../shared/status/days';
import { renderStatusPage } from '../../shared/status/render';
import { serializeOpml } from '../../shared/sources/opml';
import { ALPHA, feedFile, rssFeed, testFeedFiles } from '../api/fixtures';
import { createTestStores, testConfig } from '../helpers/stores';
import { recordedRuntime, stateWrites, type StorageLog } from './recorded-runtime';

let server: FeedServer;
let rt: Runtime;
let log: StorageLog;
let sourcesFile: string;
let list: Source[];

const GAMMA = [{ id: 'g-1', title: 'Gamma one', link: 'https://gamma.example/one', date: '2025-05-02T12:00:00Z' }];
const gammaFile = (entries = GAMMA) => ({ ...feedFile(rssFeed('Gamma', 'https://gamma.example/', entries), 'application/rss+xml'), lastModified: new Date() });
const statesOf = async () => rt.states.getStates(list.map((s) => s.id));

beforeAll(async () => {
  const files = testFeedFiles();
  files.set('/gamma.xml', gammaFile());
  server = await startFeedServer(files);
  const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
  await createTestStores(config);
  ({ rt, log } = recordedRuntime(config));
  list = [
    { id: 'alpha', url: `${server.url}/alpha.xml`, title: 'Alpha', tags: ['letters'] },
    { id: 'beta', url: `${server.url}/beta.atom`, title: 'Beta', tags: ['letters'] },
    { id: 'gamma', url: `${server.url}/gamma.xml`, title: 'Gamma', tags: [] },
  ];
  sourcesFile = join(await mkdtemp(join(tmpdir(), 'tributary-quiet-')), 'sources.opml');
  await writeFile(sourcesFile, serializeOpml({ title: 'quiet', sources: list }));
  const cold = await runCycle(rt, sourcesFile, true);
  expect(cold.failures).toEqual([]);
});

afterAll(async () => {
  await server?.close();
});

describe('a cycle in which every source answers 304', () => {
  it('writes no source state, only the cycle record', async () => {
    const before = await statesOf();
    expect(before.get('alpha')).toMatchObject({ feedVersion: 1, itemsPerDay: { [dayKey(new Date())]: ALPHA.length }, status: 'ok' });
    log.reset();
    const quiet = await runCycle(rt, sourcesFile, true);
    expect(quiet.notModified).toBe(list.length);
    expect(stateWrites(log)).toEqual([]);
    expect(log.writes.every((w) => w.includes(' CYCLES/'))).toBe(true);
    expect(await statesOf()).toEqual(before);
  });

  it('still shows each source as checked by that cycle, on the status page and in its next fetch', async () => {
    const [cycle] = await rt.states.recentCycles(1);
    const input = await collectStatus(rt, list, { now: new Date() });
    const check = input.checks?.get('alpha');
    expect(check).toMatchObject({ lastCheckedAt: cycle?.startedAt, sinceWrite: true });
    expect(Date.parse(check?.nextFetchAt ?? '')).toBeGreaterThan(Date.parse((await statesOf()).get('alpha')?.nextFetchAt ?? ''));
    const row = /<tr class="source[^"]*" data-source="alpha"[\s\S]*?<\/tr>/.exec(renderStatusPage(input))?.[0] ?? '';
    expect(row).toContain('✔ not modified');
    expect(row).not.toContain('HTTP 200');
    expect(row).toContain(`datetime="${cycle?.startedAt}"`);
  });

  it('leaves the scheduler dispatching nothing that the cycle already fetched', async () => {
    localDispatcher.drain();
    const scheduled = await createSchedulerHandler(() => rt)({});
    expect(scheduled).toMatchObject({ due: 0, jobs: 0 });
    expect(localDispatcher.drain()).toEqual([]);
    expect(await rt.states.cyclesSince(new Date(Date.now() - REPLAY_WINDOW_MS).toISOString())).toHaveLength(2); // a tick with nothing due opens no cycle
  });

});

describe('a cycle in which feeds changed', () => {
  it('writes only the changed source, bumping its feedVersion and its arrivals of the day', async () => {
    const text = rssFeed('Alpha', 'https://alpha.example/', [{ id: 'alpha-4', title: 'Alpha four', link: 'https://alpha.example/2025/05/four', date: '2025-05-07T10:00:00Z' }, ...ALPHA]);
    server.set('/alpha.xml', { ...feedFile(text, 'application/rss+xml'), lastModified: new Date() });
    log.reset();
    const summary = await runCycle(rt, sourcesFile, true);
    expect(summary.itemsNew).toBe(1);
    expect(stateWrites(log)).toEqual(['UpdateItem alpha']);
    // The last fetch's fingerprints (their own row) let only the new entry be looked up: its guid and link.
    expect(log.itemReads.filter((r) => r.startsWith('resolveKeys:'))).toEqual(['resolveKeys:2']);
    expect(log.writes).toContain('PutItem SOURCES/SEEN#alpha');
    expect((await statesOf()).get('alpha')).toMatchObject({ feedVersion: 2, itemsPerDay: { [dayKey(new Date())]: ALPHA.length + 1 } });
  });

  it('marks the source whose item another source joined, without writing the rest of its state', async () => {
    const before = await statesOf();
    server.set('/gamma.xml', gammaFile([{ id: 'g-2', title: 'Alpha one', link: ALPHA[0]?.link as string, date: ALPHA[0]?.date as string }, ...GAMMA]));
    log.reset();
    const summary = await runCycle(rt, sourcesFile, true);
    expect(summary.itemsMerged).toBe(1);
    expect(stateWrites(log)).toEqual(['UpdateItem alpha', 'UpdateItem gamma']);
    const after = await statesOf();
    const { feedVersion: alphaBefore, ...alphaRest } = before.get('alpha') ?? { feedVersion: 0 };
    expect(after.get('alpha')).toEqual({ ...alphaRest, feedVersion: (alphaBefore ?? 0) + 1 });
    expect(after.get('gamma')?.feedVersion).toBe((before.get('gamma')?.feedVersion ?? 0) + 1);
    expect(after.get('gamma')?.itemsPerDay?.[dayKey(new Date())]).toBe(GAMMA.length + 1);
    expect(after.get('beta')).toEqual(before.get('beta'));
  });
});

describe('the heartbeat', () => {
  it('writes the state again once the last written fetch is older than the heartbeat', async () => {
    log.reset();
    const later = new Date(Date.now() + HEARTBEAT_MS + 60_000);
    const [outcome] = await fetchBatch([{ source: list[1] as Source }], { ...rt, now: () => later }, { cycle: new Date().toISOString() });
    expect(outcome?.status).toBe('not-modified');
    expect(stateWrites(log)).toEqual(['UpdateItem beta']);
    expect((await statesOf()).get('beta')).toMatchObject({ lastFetchAt: later.toISOString(), status: 'not-modified', lastStatusCode: 304 });
  });
});
