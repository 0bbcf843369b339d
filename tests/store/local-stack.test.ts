/** startLocalStores: persisted data survives a restart, and the servers close cleanly. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { createClients, destroyClients } from '../../shared/store/clients';
import { S3BlobStore } from '../../shared/store/blobs';
import { DynamoStateRepository } from '../../shared/store/state';
import { ensureBucket, ensureTable } from '../../shared/store/table';
import { startLocalStores } from '../../shared/store/local-stack';

describe('startLocalStores', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps DynamoDB and S3 data in dataDir across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tributary-stack-'));
    dirs.push(dataDir);
    const config = (endpoints: { dynamoEndpoint: string; s3Endpoint: string }) =>
      loadConfig({}, { ...endpoints, tableName: 'persist', bucketName: 'persist' });

    const first = await startLocalStores({ dataDir });
    expect(first.dynamoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const firstConfig = config(first);
    const firstClients = createClients(firstConfig);
    await ensureTable(firstClients.dynamo, 'persist');
    await ensureBucket(firstClients.s3, 'persist');
    await new DynamoStateRepository(firstClients.dynamo, firstConfig).putState({ sourceId: 'kept', consecutiveFailures: 0, itemsSeen: 7 });
    await new S3BlobStore(firstClients.s3, 'persist').put('config/sources.opml', '<opml/>');
    destroyClients(firstClients);
    await first.close();

    const second = await startLocalStores({ dataDir });
    const secondConfig = config(second);
    const secondClients = createClients(secondConfig);
    try {
      await ensureTable(secondClients.dynamo, 'persist'); // idempotent on an existing table
      const states = await new DynamoStateRepository(secondClients.dynamo, secondConfig).getStates(['kept']);
      expect(states.get('kept')?.itemsSeen).toBe(7);
      const opml = await new S3BlobStore(secondClients.s3, 'persist').get('config/sources.opml');
      expect(Buffer.from(opml!).toString()).toBe('<opml/>');
    } finally {
      destroyClients(secondClients);
      await second.close();
    }
  });

  it('starts in memory on free ports and closes while a client still holds connections', async () => {
    const stores = await startLocalStores();
    const clients = createClients(loadConfig({}, { ...stores, tableName: 'mem', bucketName: 'mem' }));
    await ensureTable(clients.dynamo, 'mem');
    await ensureTable(clients.dynamo, 'mem');
    await ensureBucket(clients.s3, 'mem');
    await ensureBucket(clients.s3, 'mem');
    const started = Date.now();
    await stores.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    destroyClients(clients);
  });
});
