/**
 * Reading the sources file again (shared/sources/load.ts, the local runner's pushSources): a process
 * that read it before asks s3rver only whether it changed (If-None-Match), and sees every change.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pushSources } from '../../cli/local/cycle';
import { SourcesError } from '../../shared/errors';
import type { Runtime } from '../../shared/runtime';
import { loadSourceList } from '../../shared/sources/load';
import { serializeOpml } from '../../shared/sources/opml';
import type { BlobStore } from '../../shared/store/ports';
import { createTestStores, testConfig } from '../helpers/stores';

const opml = (...ids: string[]) => serializeOpml({ title: 't', sources: ids.map((id) => ({ id, url: `https://${id}.example/feed.xml`, title: id, tags: [] })) });

/** The blob store with every read recorded: 'full' for a transfer, 'unchanged' for a 304. */
function recording(blobs: BlobStore): { blobs: BlobStore; reads: string[] } {
  const reads: string[] = [];
  const wrapped = Object.create(blobs) as BlobStore;
  wrapped.get = async (key, range) => {
    reads.push('full');
    return blobs.get(key, range);
  };
  wrapped.getIfChanged = async (key, etag) => {
    const got = await blobs.getIfChanged(key, etag);
    reads.push(got === 'unchanged' ? 'unchanged' : 'full');
    return got;
  };
  return { blobs: wrapped, reads };
}

describe('loadSourceList', () => {
  it('reads an unchanged file again as a 304, a changed one in full, and a removed one as an error', async () => {
    const stores = await createTestStores(testConfig());
    const { blobs, reads } = recording(stores.blobs);
    await stores.blobs.put('config/s.opml', opml('a'));
    expect((await loadSourceList(blobs, 'config/s.opml')).sources.map((s) => s.id)).toEqual(['a']);
    const again = await loadSourceList(blobs, 'config/s.opml');
    expect(again.sources.map((s) => s.id)).toEqual(['a']);
    again.sources.pop();
    expect((await loadSourceList(blobs, 'config/s.opml')).sources.map((s) => s.id)).toEqual(['a']);
    await stores.blobs.put('config/s.opml', opml('a', 'b'));
    expect((await loadSourceList(blobs, 'config/s.opml')).sources.map((s) => s.id)).toEqual(['a', 'b']);
    expect(reads).toEqual(['full', 'unchanged', 'unchanged', 'full']);
    await stores.blobs.delete(['config/s.opml']);
    await expect(loadSourceList(blobs, 'config/s.opml')).rejects.toBeInstanceOf(SourcesError);
  });
});

describe('pushSources (local runner)', () => {
  it('checks an unchanged file with a 304, restores a stored file someone else changed, and pushes a local edit', async () => {
    const config = testConfig();
    const stores = await createTestStores(config);
    const { blobs, reads } = recording(stores.blobs);
    const rt = { config, blobs } as unknown as Runtime;
    const file = join(await mkdtemp(join(tmpdir(), 'tributary-sources-')), 'sources.opml');
    await writeFile(file, opml('a'));
    expect(await pushSources(rt, file)).toBe(true);
    expect(await pushSources(rt, file)).toBe(false);
    expect(await pushSources(rt, file)).toBe(false);
    expect(reads).toEqual(['full', 'full', 'unchanged']);
    await stores.blobs.put(config.sourcesKey, opml('other'));
    expect(await pushSources(rt, file)).toBe(true);
    expect((await loadSourceList(stores.blobs, config.sourcesKey)).sources.map((s) => s.id)).toEqual(['a']);
    await writeFile(file, opml('a', 'b'));
    expect(await pushSources(rt, file)).toBe(true);
    expect((await loadSourceList(stores.blobs, config.sourcesKey)).sources.map((s) => s.id)).toEqual(['a', 'b']);
  });
});
