/**
 * The publisher reads the manifest and feed versions while it assigns stories (dynalite, s3rver):
 * a source whose item the assignment moves into another story is re-made in the same publish, and
 * the manifest records the version the move gave it, so the next publish has nothing to re-make.
 */
import { describe, expect, it } from 'vitest';
import { createPublisherHandler } from '../../functions/publisher/handler';
import { ingestFeed } from '../../shared/pipeline/ingest';
import { manifestKey, readManifest } from '../../shared/pipeline/publish-manifest';
import { createRuntime } from '../../shared/runtime';
import { serializeOpml } from '../../shared/sources/opml';
import { createTestStores, testConfig } from '../helpers/stores';
import { REPUBLISHED, WIRE, rss } from '../story/fixtures';

describe('publisher with a story move', () => {
  it('re-makes the moved item’s source in the same publish and records the bumped version', async () => {
    const config = testConfig({ logLevel: 'SILENT' });
    await createTestStores(config);
    const rt = createRuntime(config);
    const sources = ['wire', 'courier'].map((id) => ({ id, url: `https://${id}.example/feed.xml`, title: id, tags: ['news'] }));
    await rt.blobs.put(config.sourcesKey, serializeOpml({ title: 'stories', sources }));
    const ingest = async (sourceId: string, body: Uint8Array, at: string) => {
      await ingestFeed({ sourceId, body, feedUrl: `https://${sourceId}.example/feed.xml`, fetchedAt: new Date(at) }, rt);
      // As the fetcher's state commit does for a changed list.
      await rt.states.markFeedsChanged([sourceId]);
    };
    const publish = createPublisherHandler(() => rt);

    await ingest('wire', rss('Wire', [WIRE]), new Date(Date.now() - 60_000).toISOString());
    await publish({});
    await ingest('courier', rss('Courier', [REPUBLISHED]), new Date().toISOString());
    const second = await publish({});
    expect(second.stories.joined).toBe(1);
    expect(second.full).toBe(false);
    expect(second.rendered.length).toBeGreaterThan(0);
    const versions = await rt.states.feedVersions();
    // The fetch's bump and the move's bump: the manifest has the second, not the one read before the move.
    expect(versions.get('courier')).toBe(2);
    const manifest = await readManifest(rt.blobs, manifestKey(config.publishPrefix));
    expect(manifest?.sources).toMatchObject({ wire: versions.get('wire'), courier: 2 });
    const third = await publish({});
    expect(third.rendered).toEqual([]);
    expect(third.written).toEqual([]);
  });
});
