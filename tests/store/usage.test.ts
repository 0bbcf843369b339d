/**
 * Consumed capacity accounting (shared/store/usage.ts) against real engines: dynalite, which reports a
 * write's table units only (the index units are computed), and DynamoDB Local, which reports them.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../shared/config';
import type { SourceState } from '../../shared/model';
import { destroyClients } from '../../shared/store/clients';
import { javaAvailable } from '../../shared/store/local-stack';
import { itemRow } from '../../shared/store/rows';
import { QUERY_STATES_ABOVE } from '../../shared/store/state';
import { encodeSeen } from '../../shared/dedupe/seen';
import { idForKey } from '../../shared/ids';
import { IndexCopies, emptyUsage, indexWriteUnits, rowSize, snapshotUsage, trackUsage, usageSince, type StorageUsage } from '../../shared/store/usage';
import { createTestStores, testConfig, type TestStores } from '../helpers/stores';
import { useDynamoDbLocal } from '../helpers/dynamodb-local';
import { makeItem, newWrite } from './fixtures';

/** Fresh stores whose clients count into a fresh usage record. */
async function tracked(overrides: Partial<Config>): Promise<TestStores & { usage: StorageUsage }> {
  const stores = await createTestStores(testConfig(overrides));
  const usage = emptyUsage();
  trackUsage(stores.clients, usage);
  return { ...stores, usage };
}

/** The change `task` makes to the capacity figures of `usage`. */
async function delta(usage: StorageUsage, task: () => Promise<unknown>) {
  const before = { ...usage };
  await task();
  return {
    wru: usage.wru - before.wru,
    wruIndexes: usage.wruIndexes - before.wruIndexes,
    wruIndexesComputed: usage.wruIndexesComputed - before.wruIndexesComputed,
    rru: usage.rru - before.rru,
  };
}

const bigItem = (n: number) =>
  makeItem(`u:https://usage.example/${n}`, 'src-a', `2026-01-0${1 + (n % 9)}T00:00:00.000Z`, {
    summaryHtml: `<p>${'word '.repeat(500)}</p>`,
    contentText: `plain ${'text '.repeat(300)}`,
  });

function capacityContract(engine: string, endpoint: () => Partial<Config>): void {
  describe(`consumed capacity on ${engine}`, () => {
    it('charges a new item its row units plus one unit per small index entry; an update, the version it bumps in both', async () => {
      const stores = await tracked(endpoint());
      try {
        const items = [1, 2, 3].map(bigItem);
        const created = await delta(stores.usage, () => stores.items.writeItems(items.map((item) => newWrite(item))));
        const rowUnits = items.reduce((n, item) => n + Math.ceil(rowSize(itemRow(item, 1, 4)) / 1024), 0);
        // gsi1 (keys and version) and gsi2 (keys, itemId and version) hold one small entry each per item row.
        expect(created.wruIndexes).toBe(items.length * 2);
        expect(created.wru).toBeGreaterThanOrEqual(rowUnits + items.length * 2);
        expect(created.wru).toBeLessThanOrEqual(rowUnits + items.length * 2 + 1); // + the META months update
        if (engine === 'dynalite') expect(created.wruIndexesComputed).toBe(items.length * 2);
        const [first] = items;
        if (!first) throw new Error('no item');
        const updated = await delta(stores.usage, () =>
          stores.items.writeItems([{ item: { ...first, title: 'A new title' }, aliasKeys: [], kind: 'update', expectedVersion: 1 }]),
        );
        const rowUnitsAfter = Math.ceil(rowSize(itemRow(first, 2, 4)) / 1024);
        // No key changed; the version both indexes project did: computed as one write per index
        // (AWS's rule for index writes); DynamoDB Local charges one unit per index holding a changed row.
        if (engine === 'dynalite') expect(updated.wruIndexes).toBe(2);
        else expect(updated.wruIndexes).toBeLessThanOrEqual(2);
        expect(updated.wru - updated.wruIndexes).toBe(rowUnitsAfter);
        const read = await delta(stores.usage, () => stores.items.newest({ limit: 3 }));
        expect(read.rru).toBeGreaterThan(0);
        expect(read.wru).toBe(0);
      } finally {
        destroyClients(stores.clients);
      }
    });

    it('reads many states for fewer read units by Query than by BatchGetItem', async () => {
      const stores = await tracked(endpoint());
      try {
        const seen = encodeSeen(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [idForKey(`u:https://feed.example/story/${i}`).slice(0, 8), `${i}`.padStart(8, 'f')])));
        const ids = Array.from({ length: QUERY_STATES_ABOVE + 50 }, (_, i) => `src-${i}`);
        await Promise.all(ids.map((id) => stores.states.putState({ sourceId: id, consecutiveFailures: 0, itemsSeen: 30, seen })));
        let byQuery = new Map<string, SourceState>();
        const query = await delta(stores.usage, async () => (byQuery = await stores.states.getStates(ids)));
        const batch = await delta(stores.usage, async () => {
          for (let i = 0; i < ids.length; i += QUERY_STATES_ABOVE) await stores.states.getStates(ids.slice(i, i + QUERY_STATES_ABOVE));
        });
        expect(byQuery.size).toBe(ids.length);
        // BatchGetItem: every row rounded up to 4 KB, at half (eventually consistent).
        expect(batch.rru).toBe(ids.length * 0.5);
        expect(query.rru).toBeLessThan(batch.rru / 2);
      } finally {
        destroyClients(stores.clients);
      }
    });
  });
}

describe('index copies computed from rows', () => {
  it('charges a new entry, nothing for an unchanged one, a delete and a put for moved keys, and a delete', () => {
    const copies = new IndexCopies();
    const item = bigItem(1);
    const row = itemRow(item, 1, 4);
    expect(indexWriteUnits(row)).toBe(2);
    expect(copies.put(row)).toBe(2);
    expect(copies.put(itemRow({ ...item, title: 'other' }, 1, 4))).toBe(0);
    expect(copies.put(itemRow({ ...item, title: 'other' }, 2, 4))).toBe(2);
    expect(copies.put(itemRow({ ...item, sortDate: '2026-02-01T00:00:00.000Z' }, 3, 4))).toBe(4);
    expect(copies.delete({ pk: row.pk!, sk: row.sk! })).toBe(2);
    expect(copies.delete({ pk: row.pk!, sk: row.sk! })).toBe(0);
    expect(copies.put({ pk: { S: 'SOURCES' }, sk: { S: 'SOURCE#a' } })).toBe(0);
  });
});

capacityContract('dynalite', () => ({}));

if (javaAvailable()) {
  const endpoint = useDynamoDbLocal();
  capacityContract('DynamoDB Local', () => ({ dynamoEndpoint: endpoint() }));
}

describe('usage between two moments', () => {
  it('is every figure\'s difference, calls by command included, unaffected by counting after the snapshot', () => {
    const usage: StorageUsage = { ...emptyUsage(), calls: { PutItemCommand: 2 }, ddbRowsWritten: 2, wru: 3, s3Puts: 1, s3PutBytes: 10 };
    const before = snapshotUsage(usage);
    usage.calls.PutItemCommand = 5;
    usage.calls.GetObjectCommand = 1;
    Object.assign(usage, { ddbRowsWritten: 6, wru: 9.5, s3Gets: 1 });
    expect(usageSince(before, usage)).toEqual({ ...emptyUsage(), calls: { PutItemCommand: 3, GetObjectCommand: 1 }, ddbRowsWritten: 4, wru: 6.5, s3Gets: 1 });
  });
});

describe('tracking clients that already made calls', () => {
  it('counts every later call, though the clients cache their resolved middleware per command class', async () => {
    const stores = await createTestStores(testConfig({}));
    try {
      // Each command class used once before tracking starts: its resolved stack is cached without the counter.
      await stores.states.putState({ sourceId: 'early', consecutiveFailures: 0, itemsSeen: 0 });
      await stores.states.getStates(['early']);
      await stores.blobs.put('feeds/early.xml', 'x', { contentType: 'application/rss+xml' });
      await stores.blobs.get('feeds/early.xml');
      const usage = emptyUsage();
      trackUsage(stores.clients, usage);
      await stores.states.putState({ sourceId: 'late', consecutiveFailures: 0, itemsSeen: 0 });
      await stores.states.getStates(['late']);
      await stores.blobs.put('feeds/late.xml', 'yy', { contentType: 'application/rss+xml' });
      await stores.blobs.get('feeds/late.xml');
      expect(usage.ddbRowsWritten).toBe(1);
      expect(usage.ddbRowsRead).toBe(1);
      expect(usage.wru).toBeGreaterThan(0);
      expect(usage).toMatchObject({ s3Puts: 1, s3PutBytes: 2, s3Gets: 1 });
    } finally {
      destroyClients(stores.clients);
    }
  });
});

describe('S3 requests by price class', () => {
  it('counts PUTs with their bytes, GET and HEAD as GET-class, and each LIST page (priced as a PUT)', async () => {
    const stores = await tracked({});
    try {
      await stores.blobs.put('raw/feeds/a/1.gz', new Uint8Array(10), { contentType: 'application/gzip' });
      await stores.blobs.put('feeds/feed.xml', 'x'.repeat(7), { contentType: 'application/rss+xml' });
      expect(stores.usage).toMatchObject({ s3Puts: 2, s3PutBytes: 17, s3PutRawBytes: 10, s3Gets: 0, s3Lists: 0 });
      await stores.blobs.get('feeds/feed.xml');
      await stores.blobs.get('raw/feeds/a/1.gz', { offset: 0, length: 0 }); // an empty range is answered by a HEAD
      expect(await stores.blobs.list('raw/')).toEqual(['raw/feeds/a/1.gz']);
      expect(stores.usage).toMatchObject({ s3Puts: 2, s3Gets: 2, s3Lists: 1 });
    } finally {
      destroyClients(stores.clients);
    }
  });
});
