/** Member rows (dynalite and s3rver): a story of one item has none, a story others join lists every item. */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { clusterStories, type ClusterDeps } from '../../shared/pipeline/cluster-stories';
import { ingestFeed, type IngestDeps } from '../../shared/pipeline/ingest';
import { DynamoStoryRepository, storyPk } from '../../shared/store/stories';
import { createTestStores, testConfig } from '../helpers/stores';
import { REPUBLISHED, SAME_TOPIC, WIRE, rss } from '../story/fixtures';

let deps: IngestDeps & ClusterDeps;
let memberRows: (storyId: string) => Promise<number>;

beforeEach(async () => {
  const config = testConfig();
  const stores = await createTestStores(config);
  deps = { items: stores.items, blobs: stores.blobs, states: stores.states, stories: new DynamoStoryRepository(stores.clients.dynamo, config) };
  memberRows = async (storyId) =>
    (await stores.clients.dynamo.send(new QueryCommand({ TableName: config.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: storyPk(storyId) } } }))).Items?.length ?? 0;
});

const ingest = (sourceId: string, entries: (typeof WIRE)[], at: string) =>
  ingestFeed({ sourceId, body: rss(sourceId, entries), feedUrl: `https://${sourceId}.example/feed.xml`, fetchedAt: new Date(at) }, deps);

describe('story member rows', () => {
  it('none for stories of one item, whose members are the item itself; both rows once a later run joins one', async () => {
    await ingest('wire', [WIRE, SAME_TOPIC], '2026-11-26T10:00:00Z');
    await clusterStories(deps, new Date('2026-11-26T10:10:00Z'));
    const items = (await deps.items.newest({ limit: 10 })).items;
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(await memberRows(item.id)).toBe(0);
      expect((await deps.stories.members(item.id)).map((m) => [m.itemId, m.sourceIds, m.title])).toEqual([[item.id, ['wire'], item.title]]);
    }

    await ingest('courier', [REPUBLISHED], '2026-11-26T11:00:00Z');
    expect((await clusterStories(deps, new Date('2026-11-26T11:10:00Z'))).joined).toBe(1);
    const wire = items.find((i) => i.url === WIRE.link)!;
    expect(await memberRows(wire.id)).toBe(2);
    expect((await deps.stories.members(wire.id)).map((m) => m.sourceIds[0])).toEqual(['wire', 'courier']);
    const courier = (await deps.items.newest({ sourceId: 'courier', limit: 10 })).items[0]!;
    expect(await deps.stories.members(courier.id)).toEqual([]);
  });
});
