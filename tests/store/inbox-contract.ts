/** The story inbox rows (DynamoStoryRepository.putInbox/readInbox/deleteInbox): run against each DynamoDB engine. */
import { describe, expect, it } from 'vitest';
import { DynamoStoryRepository } from '../../shared/store/stories';
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
