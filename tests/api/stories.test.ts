/** `GET /stories/{id}`: a story's items in arrival order, from its member rows and the items; 404 when unknown. */
import { beforeAll, describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../shared/api/router';
import type { Item } from '../../shared/model';
import { clusterStories } from '../../shared/pipeline/cluster-stories';
import { ingestFeed } from '../../shared/pipeline/ingest';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { createTestStores, testConfig } from '../helpers/stores';
import { REPUBLISHED, SAME_TOPIC, WIRE, rss } from '../story/fixtures';

let rt: Runtime;

const get = async (path: string) => {
  const r = await handleApiRequest({ method: 'GET', path, query: new URLSearchParams() }, rt);
  return { status: r.status, body: JSON.parse(String(r.body)) as Record<string, unknown> };
};

beforeAll(async () => {
  const config = testConfig({ logLevel: 'SILENT' });
  await createTestStores(config);
  rt = createRuntime(config);
  const ingest = (sourceId: string, body: Uint8Array, at: string) => ingestFeed({ sourceId, body, feedUrl: `https://${sourceId}.example/feed.xml`, fetchedAt: new Date(at) }, rt);
  await ingest('wire', rss('Wire', [WIRE]), '2026-11-26T08:00:00Z');
  await ingest('ledger', rss('Ledger', [SAME_TOPIC]), '2026-11-26T09:00:00Z');
  await ingest('courier', rss('Courier', [REPUBLISHED]), '2026-11-26T10:00:00Z');
  await clusterStories(rt, new Date('2026-11-26T11:00:00Z'));
});

describe('GET /stories/{id}', () => {
  it('lists the story items in arrival order, with their sources', async () => {
    const { items } = await rt.items.newest({ limit: 10 });
    const wire = items.find((i) => i.url === WIRE.link) as Item;
    const r = await get(`/stories/${wire.storyId}`);
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(wire.id);
    const listed = r.body.items as Item[];
    expect(listed.map((i) => i.url)).toEqual([WIRE.link, REPUBLISHED.link]);
    expect(listed.map((i) => i.sourceIds)).toEqual([['wire'], ['courier']]);
    expect(listed.every((i) => i.storyId === wire.id && !('version' in i))).toBe(true);
  });

  it('answers a single-item story and 404 for an unknown one', async () => {
    const { items } = await rt.items.newest({ limit: 10 });
    const other = items.find((i) => i.url === SAME_TOPIC.link) as Item;
    expect(((await get(`/stories/${other.id}`)).body.items as Item[]).map((i) => i.id)).toEqual([other.id]);
    const missing = await get('/stories/nosuchstory');
    expect(missing).toEqual({ status: 404, body: { error: 'no story nosuchstory' } });
  });
});
