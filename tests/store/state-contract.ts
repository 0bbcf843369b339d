/** Contract of StateRepository (source states, cycle history), run against every DynamoDB engine. */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { SourceState } from '../../shared/model';
import type { CycleRecord } from '../../shared/store/ports';
import { StaleStateError } from '../../shared/errors';
import { QUERY_STATES_ABOVE } from '../../shared/store/state';
import { idForKey, sha256Hex } from '../../shared/ids';
import { encodeSeen } from '../../shared/dedupe/seen';

/** `n` fingerprints as seenKey and seenValue make them, packed. */
const fingerprints = (n: number): string => encodeSeen(Object.fromEntries(Array.from({ length: n }, (_, i) => [idForKey(`g:src:${i}`).slice(0, 8), sha256Hex(String(i)).slice(0, 8)])));
import { type StoresFactory, recordCommands, trackedFactory } from './contract-setup';

function state(sourceId: string, extra: Partial<SourceState> = {}): SourceState {
  return { sourceId, consecutiveFailures: 0, itemsSeen: 0, ...extra };
}

function cycle(startedAt: string, ok: number): CycleRecord {
  return {
    startedAt,
    finishedAt: startedAt.replace('T00', 'T01'),
    sources: 10,
    ok,
    notModified: 2,
    failed: 10 - ok - 2,
    itemsNew: 5,
    itemsUpdated: 1,
    itemsMerged: 0,
    bytes: 123_456,
  };
}

/** Registers the state repository contract tests for stores made by `factory`. */
export function stateContract(factory: StoresFactory): void {
  const fresh = trackedFactory(factory);

  describe('source state', () => {
    it('puts, replaces and gets states (fingerprints in their own row); unknown sources are absent', async () => {
      const { states } = await fresh();
      const full = state('src-a', {
        url: 'https://a.example/feed',
        etag: '"abc"',
        lastModified: 'Tue, 01 Dec 2026 00:00:00 GMT',
        status: 'ok',
        lastStatusCode: 200,
        lastFetchAt: '2026-12-01T00:00:00.000Z',
        lastBodyHash: 'f00d',
        lastRawKey: 'raw/batches/2026-12-01/1.gz',
        lastRawRange: { offset: 1024, length: 512 },
        seen: fingerprints(2),
        itemsSeen: 2,
        feedTitle: 'A',
      });
      await states.putState(full);
      await states.putState(state('src-b', { status: 'error', lastError: 'fetch: 500', consecutiveFailures: 3, seen: encodeSeen({}) }));
      const got = await states.getStates(['src-a', 'src-b', 'src-none']);
      const { seen: fullSeen, ...withoutSeen } = full;
      expect(got.get('src-a')).toEqual({ ...withoutSeen, writtenAt: expect.any(String) });
      expect(await states.getSeen('src-a')).toBe(fullSeen);
      expect(await states.getSeen('src-none')).toBeUndefined();
      expect(Date.now() - Date.parse(got.get('src-a')?.writtenAt ?? '')).toBeLessThan(60_000);
      expect(got.get('src-b')?.consecutiveFailures).toBe(3);
      expect(got.get('src-b')?.seen).toBeUndefined();
      expect(await states.getSeen('src-b')).toBe(encodeSeen({}));
      expect(got.has('src-none')).toBe(false);

      const replaced = state('src-a', { status: 'gone', lastStatusCode: 410, writtenAt: '2000-01-01T00:00:00.000Z' });
      await states.putState(replaced);
      // A state without fingerprints leaves the stored ones as they are.
      expect(await states.getSeen('src-a')).toBe(fullSeen);
      const after = (await states.getStates(['src-a'])).get('src-a');
      expect(after).toEqual({ ...replaced, writtenAt: expect.any(String) });
      expect(after?.writtenAt).not.toBe(replaced.writtenAt);
      expect((await states.getStates([])).size).toBe(0);
    });

    it('lists every state with a Query (no scan), beyond one BatchGet-sized group', async () => {
      const stores = await fresh();
      const ids = Array.from({ length: 120 }, (_, i) => `src-${String(i).padStart(3, '0')}`);
      await Promise.all(ids.map((id) => stores.states.putState(state(id, { itemsSeen: 1 }))));
      const recorder = recordCommands(stores);
      const listed = await stores.states.listStates();
      expect(listed.map((s) => s.sourceId).sort()).toEqual(ids);
      expect(recorder.commands.every((name) => name === 'QueryCommand')).toBe(true);
      expect((await stores.states.getStates(ids)).size).toBe(120);
    });

    it('reads many states with one Query of the partition and few with BatchGetItem, giving the same states', async () => {
      const stores = await fresh();
      const ids = Array.from({ length: QUERY_STATES_ABOVE + 30 }, (_, i) => `src-${String(i).padStart(3, '0')}`);
      const seen = fingerprints(40);
      await Promise.all(ids.map((id, i) => stores.states.putState(state(id, { itemsSeen: i, etag: `"${i}"`, seen }))));
      await stores.states.markFeedsChanged(['src-007']);
      // Asked for all but a few stored ids, plus unknown ones: the others in the partition are left out.
      const asked = [...ids.slice(5), 'src-none', 'src-none-2', ids[9] ?? ''];
      const recorder = recordCommands(stores);
      const byQuery = await stores.states.getStates(asked);
      expect(recorder.commands.length).toBeGreaterThan(0);
      expect(recorder.commands.every((name) => name === 'QueryCommand')).toBe(true);
      recorder.reset();
      const byBatch = new Map<string, SourceState>();
      for (let i = 0; i < asked.length; i += QUERY_STATES_ABOVE) {
        for (const [id, s] of await stores.states.getStates(asked.slice(i, i + QUERY_STATES_ABOVE))) byBatch.set(id, s);
      }
      expect(recorder.commands.every((name) => name === 'BatchGetItemCommand')).toBe(true);
      expect(byQuery.size).toBe(ids.length - 5);
      expect(byQuery.has('src-000')).toBe(false);
      expect(byQuery.get('src-007')?.feedVersion).toBe(1);
      expect(new Map([...byQuery].sort())).toEqual(new Map([...byBatch].sort()));
    });

    it('bumps feedVersion only by ADD: a state write neither sets nor undoes it', async () => {
      const { states } = await fresh();
      await states.putState(state('src-a', { etag: '"1"', feedVersion: 40 }), { feedChanged: true });
      expect((await states.getStates(['src-a'])).get('src-a')?.feedVersion).toBe(1);
      // Another fetcher marks the feed changed while this one holds an older copy of the state...
      const held = (await states.getStates(['src-a'])).get('src-a') as SourceState;
      await states.markFeedsChanged(['src-a', 'src-a']);
      // ...whose write replaces every other field but keeps the mark.
      await states.putState({ ...held, etag: '"2"' });
      const got = (await states.getStates(['src-a'])).get('src-a');
      expect(got).toMatchObject({ etag: '"2"', feedVersion: 2 });
      await states.putState({ ...held, etag: '"3"' }, { feedChanged: true });
      expect((await states.getStates(['src-a'])).get('src-a')?.feedVersion).toBe(3);
    });

    it('marks a source without a state with a minimal state that reads back as one', async () => {
      const { states } = await fresh();
      await states.markFeedsChanged(['src-new']);
      await states.markFeedsChanged([]);
      const expected = { sourceId: 'src-new', consecutiveFailures: 0, itemsSeen: 0, feedVersion: 1 };
      expect((await states.getStates(['src-new'])).get('src-new')).toEqual(expected);
      expect(await states.listStates()).toEqual([expected]);
    });

    it('reads every feedVersion with one projected Query: 0 for a state never marked, the bumps for the others', async () => {
      const { states } = await fresh();
      await states.putState(state('src-a', { seen: fingerprints(1) }));
      await states.putState(state('src-b'), { feedChanged: true });
      // The bumps answer the versions they gave.
      expect(await states.markFeedsChanged(['src-b', 'src-c', 'src-b'])).toEqual(new Map([['src-b', 2], ['src-c', 1]]));
      expect(new Map([...(await states.feedVersions())].sort())).toEqual(new Map([['src-a', 0], ['src-b', 2], ['src-c', 1]]));
    });

    it('stores itemsPerDay as one JSON string in the state row and fingerprints as 9 bytes each in their own row, outside the states listing', async () => {
      const stores = await fresh();
      const seen = fingerprints(50);
      await stores.states.putState(state('src-p', { seen, itemsPerDay: { '2026-11-26': 3, '2026-11-27': 1 } }));
      const get = (sk: string) => stores.clients.dynamo.send(new GetItemCommand({ TableName: stores.config.tableName, Key: { pk: { S: 'SOURCES' }, sk: { S: sk } } }));
      const row = await get('SOURCE#src-p');
      expect(row.Item?.seen).toBeUndefined();
      expect(row.Item?.itemsPerDay?.S).toBeDefined();
      expect((await get('SEEN#src-p')).Item?.seen?.B?.byteLength).toBe(1 + 50 * 9);
      expect((await stores.states.getStates(['src-p'])).get('src-p')).toMatchObject({ itemsPerDay: { '2026-11-26': 3, '2026-11-27': 1 } });
      expect(await stores.states.listStates()).toEqual([expect.not.objectContaining({ seen: expect.anything() })]);
      expect(await stores.states.getSeen('src-p')).toBe(seen);
    });

    it('passes on fingerprints an older version kept in the state row, and moves them to their own row on the next write', async () => {
      const stores = await fresh();
      const seen = fingerprints(3);
      const TableName = stores.config.tableName;
      await stores.clients.dynamo.send(new PutItemCommand({ TableName, Item: marshall({ pk: 'SOURCES', sk: 'SOURCE#src-o', sourceId: 'src-o', consecutiveFailures: 0, itemsSeen: 3, seen: Buffer.from(seen, 'base64') }) }));
      const old = (await stores.states.getStates(['src-o'])).get('src-o') as SourceState;
      expect(old.seen).toBe(seen);
      expect(await stores.states.getSeen('src-o')).toBeUndefined();
      await stores.states.putState({ ...old, etag: '"e"' });
      const row = await stores.clients.dynamo.send(new GetItemCommand({ TableName, Key: { pk: { S: 'SOURCES' }, sk: { S: 'SOURCE#src-o' } } }));
      expect(row.Item?.seen).toBeUndefined();
      expect(await stores.states.getSeen('src-o')).toBe(seen);
    });

    it('reads a state an older version wrote (maps, or fingerprints as JSON), its fingerprints dropped', async () => {
      const stores = await fresh();
      const { TableName } = { TableName: stores.config.tableName };
      await stores.clients.dynamo.send(new PutItemCommand({ TableName, Item: marshall({ pk: 'SOURCES', sk: 'SOURCE#src-m', sourceId: 'src-m', consecutiveFailures: 0, itemsSeen: 2, seen: { k: 'v' }, itemsPerDay: { '2026-11-27': 2 } }) }));
      await stores.clients.dynamo.send(new PutItemCommand({ TableName, Item: marshall({ pk: 'SOURCES', sk: 'SOURCE#src-j', sourceId: 'src-j', consecutiveFailures: 0, itemsSeen: 2, seen: '{"cvy3ndm3kujf":"698ced3f01"}', itemsPerDay: '{"2026-11-27":2}' }) }));
      const listed = await stores.states.listStates();
      expect(listed.find((s) => s.sourceId === 'src-m')).toEqual({ sourceId: 'src-m', consecutiveFailures: 0, itemsSeen: 2, itemsPerDay: { '2026-11-27': 2 } });
      expect(listed.find((s) => s.sourceId === 'src-j')).toEqual({ sourceId: 'src-j', consecutiveFailures: 0, itemsSeen: 2, itemsPerDay: { '2026-11-27': 2 } });
    });

    it('writes over the expected writtenAt only: a stale expectation fails with StaleStateError and changes nothing', async () => {
      const { states } = await fresh();
      await states.putState(state('src-w', { etag: '"1"' }), { expectedWrittenAt: null });
      const first = (await states.getStates(['src-w'])).get('src-w') as SourceState;
      expect(first.writtenAt).toBeDefined();
      await expect(states.putState(state('src-w', { etag: '"x"' }), { expectedWrittenAt: null })).rejects.toBeInstanceOf(StaleStateError);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await states.putState({ ...first, etag: '"2"' }, { expectedWrittenAt: first.writtenAt, feedChanged: true });
      const second = (await states.getStates(['src-w'])).get('src-w') as SourceState;
      expect(second).toMatchObject({ etag: '"2"', feedVersion: 1 });
      await expect(states.putState({ ...first, etag: '"stale"' }, { expectedWrittenAt: first.writtenAt, feedChanged: true })).rejects.toBeInstanceOf(StaleStateError);
      expect((await states.getStates(['src-w'])).get('src-w')).toEqual(second);
      // A row only marked changed (no writtenAt) counts as never written.
      await states.markFeedsChanged(['src-m']);
      await states.putState(state('src-m', { etag: '"m"' }), { expectedWrittenAt: null });
      expect((await states.getStates(['src-m'])).get('src-m')).toMatchObject({ etag: '"m"', feedVersion: 1 });
    });

    it('lists nothing on an empty table', async () => {
      const { states } = await fresh();
      expect(await states.listStates()).toEqual([]);
      expect(await states.recentCycles(5)).toEqual([]);
    });
  });

  describe('cycles', () => {
    it('returns the most recent cycles newest first, without table attributes', async () => {
      const { states } = await fresh();
      const days = ['2026-01-03', '2026-01-01', '2026-01-05', '2026-01-02', '2026-01-04'];
      for (const [i, day] of days.entries()) await states.putCycle(cycle(`${day}T00:00:00.000Z`, i));
      const recent = await states.recentCycles(3);
      expect(recent.map((c) => c.startedAt)).toEqual([
        '2026-01-05T00:00:00.000Z',
        '2026-01-04T00:00:00.000Z',
        '2026-01-03T00:00:00.000Z',
      ]);
      expect(recent[0]).toEqual(cycle('2026-01-05T00:00:00.000Z', 2));
      expect(await states.recentCycles(50)).toHaveLength(5);
      expect(await states.recentCycles(0)).toEqual([]);
    });

    it('lists the cycles since a time, oldest first, with the forced flag', async () => {
      const { states } = await fresh();
      await states.putCycle({ ...cycle('2026-01-02T00:00:00.000Z', 1), forced: true });
      await states.putCycle(cycle('2026-01-01T00:00:00.000Z', 2));
      await states.putCycle(cycle('2026-01-03T00:00:00.000Z', 3));
      const since = await states.cyclesSince('2026-01-02T00:00:00.000Z');
      expect(since.map((c) => c.startedAt)).toEqual(['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
      expect(since[0]).toEqual({ ...cycle('2026-01-02T00:00:00.000Z', 1), forced: true });
      expect(await states.cyclesSince('2026-02-01T00:00:00.000Z')).toEqual([]);
    });
  });
}
