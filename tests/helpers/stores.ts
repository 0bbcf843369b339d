/** Test helpers: a Config with a private table and bucket on the shared local stores, and the store adapters on it. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../shared/config';
import { createClients, type AwsClients } from '../../shared/store/clients';
import { S3BlobStore } from '../../shared/store/blobs';
import { DynamoItemRepository } from '../../shared/store/items';
import { DynamoStateRepository } from '../../shared/store/state';
import { ensureBucket, ensureTable } from '../../shared/store/table';

let counter = 0;

/** A Config on the injected local endpoints with a table and bucket name no other call gets (so files run in parallel). */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const unique = `${process.pid}-${++counter}-${randomBytes(4).toString('hex')}`;
  return loadConfig(
    {},
    {
      region: 'us-east-1',
      dynamoEndpoint: inject('dynamoEndpoint'),
      s3Endpoint: inject('s3Endpoint'),
      tableName: `tributary-test-${unique}`,
      bucketName: `tributary-test-${unique}`,
      ...overrides,
    },
  );
}

/** The store adapters of a test, on freshly created table and bucket. */
export interface TestStores {
  items: DynamoItemRepository;
  states: DynamoStateRepository;
  blobs: S3BlobStore;
  clients: AwsClients;
}

/** Creates the table and bucket named by `config` and returns the adapters on them. */
export async function createTestStores(config: Config): Promise<TestStores> {
  const clients = createClients(config);
  await ensureTable(clients.dynamo, config.tableName);
  await ensureBucket(clients.s3, config.bucketName);
  return {
    items: new DynamoItemRepository(clients.dynamo, config),
    states: new DynamoStateRepository(clients.dynamo, config),
    blobs: new S3BlobStore(clients.s3, config.bucketName),
    clients,
  };
}
