/** S3BlobStore against s3rver: put/get/range/list, missing keys, and the raw-range pattern (gzip members by byte range). */
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../shared/errors';
import { S3BlobStore } from '../../shared/store/blobs';
import { destroyClients } from '../../shared/store/clients';
import { createTestStores, testConfig, type TestStores } from '../helpers/stores';

describe('S3BlobStore on s3rver', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await createTestStores(testConfig());
  });
  afterAll(() => destroyClients(stores.clients));

  it('stores strings and bytes exactly (no aws-chunked framing) and replaces on put', async () => {
    const { blobs } = stores;
    await blobs.put('feeds/all.xml', '<rss>é</rss>', { contentType: 'application/rss+xml', cacheControl: 'max-age=60' });
    expect(Buffer.from((await blobs.get('feeds/all.xml'))!).toString('utf8')).toBe('<rss>é</rss>');
    const bytes = new Uint8Array(randomBytes(300_000));
    await blobs.put('raw/big.bin', bytes, { contentType: 'application/octet-stream' });
    expect(Buffer.from((await blobs.get('raw/big.bin'))!).equals(Buffer.from(bytes))).toBe(true);
    await blobs.put('feeds/all.xml', 'v2');
    expect(Buffer.from((await blobs.get('feeds/all.xml'))!).toString('utf8')).toBe('v2');
    await blobs.put('empty.txt', '');
    expect(await blobs.get('empty.txt')).toEqual(new Uint8Array(0));
  });

  it('deletes keys in batches, ignoring keys that do not exist', async () => {
    const { blobs } = stores;
    const keys = Array.from({ length: 1003 }, (_, i) => `del/${String(i).padStart(4, '0')}`);
    await Promise.all(keys.map((k) => blobs.put(k, k)));
    await blobs.put('keep/one', 'x');
    await blobs.delete([...keys, 'del/never-written']);
    expect(await blobs.list('del/')).toEqual([]);
    expect(await blobs.get('del/0000')).toBeUndefined();
    expect(await blobs.list('keep/')).toEqual(['keep/one']);
    await blobs.delete([]);
  });

  it('reads byte ranges', async () => {
    const { blobs } = stores;
    await blobs.put('range/abc', 'abcdefghijklmnopqrstuvwxyz');
    expect(Buffer.from((await blobs.get('range/abc', { offset: 0, length: 3 }))!).toString()).toBe('abc');
    expect(Buffer.from((await blobs.get('range/abc', { offset: 23, length: 3 }))!).toString()).toBe('xyz');
    expect(Buffer.from((await blobs.get('range/abc', { offset: 10, length: 1 }))!).toString()).toBe('k');
    expect(await blobs.get('range/abc', { offset: 5, length: 0 })).toEqual(new Uint8Array(0));
    await expect(blobs.get('range/abc', { offset: -1, length: 2 })).rejects.toBeInstanceOf(StoreError);
  });

  it('returns undefined for missing keys, with or without a range', async () => {
    const { blobs } = stores;
    expect(await blobs.get('nope/missing')).toBeUndefined();
    expect(await blobs.get('nope/missing', { offset: 0, length: 10 })).toBeUndefined();
    expect(await blobs.get('nope/missing', { offset: 0, length: 0 })).toBeUndefined();
  });

  it('lists keys under a prefix only', async () => {
    const { blobs } = stores;
    const keys = Array.from({ length: 12 }, (_, i) => `list/a/${String(i).padStart(2, '0')}.txt`);
    await Promise.all(keys.map((key) => blobs.put(key, key)));
    await blobs.put('list/b/other.txt', 'x');
    expect((await blobs.list('list/a/')).sort()).toEqual(keys);
    expect(await blobs.list('list/none/')).toEqual([]);
  });

  it('keeps several gzip members in one object and reads one back by range (raw-range pattern)', async () => {
    const { blobs } = stores;
    const htmls = ['<p>first</p>', '<div>second, longer ' + 'x'.repeat(5_000) + '</div>', '<p>third é ✓</p>'];
    const members = htmls.map((html) => gzipSync(Buffer.from(html, 'utf8')));
    const refs = members.reduce<{ offset: number; length: number }[]>((acc, member) => {
      const previous = acc.at(-1);
      acc.push({ offset: previous ? previous.offset + previous.length : 0, length: member.length });
      return acc;
    }, []);
    await blobs.put('raw/items/2026-11-27/batch.gz', Buffer.concat(members), { contentType: 'application/gzip' });
    for (const [i, ref] of refs.entries()) {
      const slice = await blobs.get('raw/items/2026-11-27/batch.gz', ref);
      expect(gunzipSync(slice!).toString('utf8')).toBe(htmls[i]);
    }
    const whole = await blobs.get('raw/items/2026-11-27/batch.gz');
    expect(gunzipSync(whole!).toString('utf8')).toBe(htmls.join(''));
  });

  it('turns SDK failures into StoreError with the key in the message and the cause kept', async () => {
    const missingBucket = new S3BlobStore(stores.clients.s3, 'tributary-no-such-bucket');
    const failure = await missingBucket.put('raw/feeds/x.gz', 'x').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).message).toMatch(/^store: S3 put raw\/feeds\/x\.gz failed: /);
    expect((failure as StoreError).cause).toBeDefined();
    await expect(missingBucket.list('raw/')).rejects.toBeInstanceOf(StoreError);
  });
});
