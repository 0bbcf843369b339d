/** The assigner's inbox cursor (dynalite, s3rver): consumed objects stay until TTL, the cursor skips them, and a late object is still read. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { advanceInbox, CURSOR_DONE_LIMIT, INBOX_LATE_MS, nextCursor, readPendingInbox, REREAD_LIMIT_BYTES, type InboxRead } from '../../shared/pipeline/story-inbox';
import { DynamoStoryRepository } from '../../shared/store/stories';
import { inboxObjects, type InboxEntry } from '../../shared/story';
import { createTestStores, testConfig } from '../helpers/stores';

const NOW = new Date('2026-11-27T12:00:00Z');
const at = (minutesBefore: number) => new Date(NOW.getTime() - minutesBefore * 60_000);
const entry = (id: string): InboxEntry => ({ itemId: id, firstSeenAt: NOW.toISOString(), sourceIds: ['s'], title: id, minhash: '', size: 0, bands: [] });
const object = (source: string, minutesBefore: number) => inboxObjects(source, at(minutesBefore), [entry(source)])[0] as { name: string; body: Buffer };

describe('nextCursor', () => {
  const read = (names: string[], cursor: InboxRead['cursor'] = { done: [] }): InboxRead => ({ cursor, pending: [], names, sizes: new Map(), rejectedNames: [] });
  const name = (minutesBefore: number, s = 'x') => `${at(minutesBefore).toISOString()}-${s}-000000000000`;

  it('moves over done objects older than the horizon, lists the younger done ones, and stops at one not done', () => {
    const names = [name(30, 'a'), name(20, 'b'), name(10, 'c'), name(2, 'd')];
    expect(nextCursor(read(names), names, NOW)).toEqual({ through: names[2], done: [names[3]] });
    // b is waiting: the cursor stops before it, everything done after it is listed.
    expect(nextCursor(read(names), [names[0]!, names[2]!, names[3]!], NOW)).toEqual({ through: names[0], done: [names[2], names[3]] });
    expect(INBOX_LATE_MS).toBeGreaterThanOrEqual(60_000);
  });

  it('keeps the done list to CURSOR_DONE_LIMIT names, oldest first', () => {
    const names = Array.from({ length: CURSOR_DONE_LIMIT + 5 }, (_, i) => `${at(1).toISOString()}-s${String(i).padStart(5, '0')}-0`);
    const next = nextCursor(read(names), names, NOW);
    expect(next.through).toBeUndefined();
    expect(next.done).toEqual(names.slice(0, CURSOR_DONE_LIMIT));
  });
});

describe('the inbox cursor over the table', () => {
  it('skips consumed objects, reads an object that became visible late, and moves past both once they are old', async () => {
    const config = testConfig();
    const stores = await createTestStores(config);
    const stories = new DynamoStoryRepository(stores.clients.dynamo, config);
    const deps = { blobs: stores.blobs, stories };
    const [old, recent] = [object('old', 30), object('recent', 1)];
    await stories.putInbox([old, recent]);
    const first = await readPendingInbox(deps, []);
    expect(first.pending.map((o) => o.name)).toEqual([old.name, recent.name]);
    await advanceInbox(stories, first, [old.name, recent.name], NOW);
    expect(await stories.inboxCursor()).toEqual({ through: old.name, done: [recent.name] });

    // Written late, named before an object already consumed: still read, the consumed one skipped.
    const late = object('late', 3);
    await stories.putInbox([late]);
    const second = await readPendingInbox(deps, []);
    expect(second.pending.map((o) => o.name)).toEqual([late.name]);
    await advanceInbox(stories, second, [late.name], new Date(NOW.getTime() + 10 * 60_000));
    expect(await stories.inboxCursor()).toEqual({ through: recent.name, done: [] });
    expect((await readPendingInbox(deps, [])).pending).toEqual([]);
    // Consumed objects are not deleted (TTL does it), only swept once much older.
    expect((await stories.readInbox(10)).map((o) => o.name)).toEqual([old.name, late.name, recent.name]);
  });

  it('deletes done objects it cannot pass yet when they are a burst of bytes, instead of reading them again', async () => {
    const config = testConfig();
    const stores = await createTestStores(config);
    const stories = new DynamoStoryRepository(stores.clients.dynamo, config);
    // Three young objects of incompressible entries, together over REREAD_LIMIT_BYTES.
    const big = (source: string) => inboxObjects(source, at(1), Array.from({ length: 400 }, (_, i) => ({ ...entry(`${source}-${i}`), minhash: randomBytes(512).toString('base64') })))[0] as { name: string; body: Buffer };
    const objects = ['a', 'bb', 'ccc'].map(big);
    expect(objects.reduce((n, o) => n + o.body.byteLength, 0)).toBeGreaterThan(REREAD_LIMIT_BYTES);
    await stories.putInbox(objects);
    const read = await readPendingInbox({ blobs: stores.blobs, stories }, []);
    await advanceInbox(stories, read, objects.map((o) => o.name), NOW);
    expect(await stories.inboxCursor()).toEqual({ done: [] });
    expect(await stories.readInbox(10)).toEqual([]);
  });

  it('moves an unreadable object aside and counts it as done', async () => {
    const config = testConfig();
    const stores = await createTestStores(config);
    const stories = new DynamoStoryRepository(stores.clients.dynamo, config);
    const broken = { name: `${at(20).toISOString()}-broken-0`, body: new TextEncoder().encode('not gzip') };
    await stories.putInbox([broken]);
    const rejected: string[] = [];
    const read = await readPendingInbox({ blobs: stores.blobs, stories }, rejected);
    expect(read.pending).toEqual([]);
    expect(rejected).toEqual([`stories/rejected/inbox_${broken.name}`]);
    await advanceInbox(stories, read, [], NOW);
    expect(await stories.inboxCursor()).toEqual({ through: broken.name, done: [] });
  });
  it('reads from where another process moved the cursor, not from where this process last left it', async () => {
    const config = testConfig();
    const stores = await createTestStores(config);
    // Two publishers' processes over one table: each has its own repository.
    const here = { blobs: stores.blobs, stories: new DynamoStoryRepository(stores.clients.dynamo, config) };
    const there = { blobs: stores.blobs, stories: new DynamoStoryRepository(stores.clients.dynamo, config) };
    const a = object('a', 40);
    await here.stories.putInbox([a]);
    const mine = await readPendingInbox(here, []);
    await advanceInbox(here.stories, mine, [a.name], NOW);
    expect((await here.stories.inboxCursor()).through).toBe(a.name);

    // The other process consumes two older-than-the-horizon objects and moves the cursor past them.
    const [b, c] = [object('b', 30), object('c', 20)];
    await there.stories.putInbox([b, c]);
    const theirs = await readPendingInbox(there, []);
    expect(theirs.pending.map((o) => o.name)).toEqual([b.name, c.name]);
    await advanceInbox(there.stories, theirs, [b.name, c.name], NOW);
    expect((await there.stories.inboxCursor()).through).toBe(c.name);

    const d = object('d', 10);
    await here.stories.putInbox([d]);
    expect((await readPendingInbox(here, [])).pending.map((o) => o.name)).toEqual([d.name]);
  });
});
