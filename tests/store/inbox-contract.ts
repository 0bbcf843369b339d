/** The story inbox rows (DynamoStoryRepository putInbox/readInbox/deleteInbox, the cursor, the sweep): run against each DynamoDB engine. */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoStoryRepository, INBOX_PK, INBOX_RETENTION_DAYS } from '../../shared/store/stories';
import { inboxObjects, parseInboxObject, type InboxEntry } from '../../shared/story';
import { type StoresFactory, trackedFactory } from './contract-setup';

const entry = (i: number): InboxEntry => ({ itemId: `item-${i}`, firstSeenAt: '2026-11-27T10:00:00.000Z', sourceIds: ['wire'], title: `Headline ${i}`, minhash: 'AAAAAA==', size: 12, bands: [`b${i}`] });

/** Inbox objects are rows: read back oldest first, byte for byte, at most `limit`, and gone once deleted. */
export function inboxContract(factory: StoresFactory): void {
  const fresh = trackedFactory(factory);
  describe('story inbox', () => {
    it('reads the objects back oldest first with their bytes, pages past a limit, and deletes by name', async () => {
      const stores = await fresh();
      const stories = new DynamoStoryRepository(stores.clients.dynamo, stores.config);
      const later = inboxObjects('beta', new Date('2026-11-27T10:05:00Z'), [entry(2)]);
      const earlier = inboxObjects('alpha', new Date('2026-11-27T10:00:00Z'), [entry(1)]);
      await stories.putInbox(later);
      await stories.putInbox(earlier);
      const all = await stories.readInbox(10);
      expect(all.map((o) => o.name)).toEqual([...earlier, ...later].map((o) => o.name));
      expect(all.map((o) => parseInboxObject(o.body))).toEqual([[entry(1)], [entry(2)]]);
      expect((await stories.readInbox(1)).map((o) => o.name)).toEqual([earlier[0]?.name]);
      await stories.deleteInbox([earlier[0]?.name as string]);
      expect((await stories.readInbox(10)).map((o) => o.name)).toEqual([later[0]?.name]);
      await stories.deleteInbox([]);
    });

    it('reads only objects named after a given one, gives each a TTL, and sweeps objects named before a time', async () => {
      const stores = await fresh();
      const stories = new DynamoStoryRepository(stores.clients.dynamo, stores.config);
      const objects = [0, 1, 2].flatMap((i) => inboxObjects(`s${i}`, new Date(Date.UTC(2026, 10, 27, 10, i)), [entry(i)]));
      await stories.putInbox(objects);
      const names = objects.map((o) => o.name);
      expect((await stories.readInbox(10, names[0])).map((o) => o.name)).toEqual(names.slice(1));
      expect((await stories.readInbox(1, names[0])).map((o) => o.name)).toEqual([names[1]]);
      expect(await stories.readInbox(10, names[2])).toEqual([]);
      const row = await stores.clients.dynamo.send(new GetItemCommand({ TableName: stores.config.tableName, Key: { pk: { S: INBOX_PK }, sk: { S: names[0] as string } } }));
      const expires = Number(row.Item?.expiresAt?.N);
      expect(Math.abs(expires - (Date.now() / 1000 + INBOX_RETENTION_DAYS * 86_400))).toBeLessThan(600);
      expect(await stories.sweepInbox('2026-11-27T10:01:30.000Z', 500)).toBe(2);
      expect((await stories.readInbox(10)).map((o) => o.name)).toEqual([names[2]]);
      expect(await stories.sweepInbox('2026-11-27T10:01:30.000Z', 500)).toBe(0);
    });

    it('stores the assigner’s cursor: empty at first, then as set, an empty done list included', async () => {
      const stores = await fresh();
      const stories = new DynamoStoryRepository(stores.clients.dynamo, stores.config);
      expect(await stories.inboxCursor()).toEqual({ done: [] });
      await stories.setInboxCursor({ through: '2026-11-27T10:00:00.000Z-a-1', done: ['2026-11-27T10:09:00.000Z-c-3', '2026-11-27T10:05:00.000Z-b-2'] });
      const cursor = await stories.inboxCursor();
      expect(cursor.through).toBe('2026-11-27T10:00:00.000Z-a-1');
      expect([...cursor.done].sort()).toEqual(['2026-11-27T10:05:00.000Z-b-2', '2026-11-27T10:09:00.000Z-c-3']);
      await stories.setInboxCursor({ through: '2026-11-27T10:09:00.000Z-c-3', done: [] });
      expect(await stories.inboxCursor()).toEqual({ through: '2026-11-27T10:09:00.000Z-c-3', done: [] });
    });

    it('keeps a large object whole (a feed of hundreds of new items)', async () => {
      const stores = await fresh();
      const stories = new DynamoStoryRepository(stores.clients.dynamo, stores.config);
      const many = Array.from({ length: 1200 }, (_, i) => ({ ...entry(i), title: `A headline of ordinary length about story number ${i}`, minhash: Buffer.alloc(256, i).toString('base64') }));
      const objects = inboxObjects('wire', new Date('2026-11-27T11:00:00Z'), many);
      await stories.putInbox(objects);
      const read = await stories.readInbox(100);
      expect(read.flatMap((o) => parseInboxObject(o.body) ?? [])).toEqual(many);
    });
  });
}
