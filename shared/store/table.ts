/**
 * The single-table design (one DynamoDB table, on-demand billing, key `pk` (S) + `sk` (S)):
 *
 *   row                 pk                    sk                  other attributes
 *   item                ITEM#<id>             ITEM                Item fields, version (1 on creation, +1 per write),
 *                                                                 gsi1pk NEW#<yyyy-mm>#<shard>, gsi1sk <sortDate>#<id>,
 *                                                                 gsi2pk SRC#<sourceIds[0]>,   gsi2sk <sortDate>#<id>
 *   membership          ITEM#<id>             SRC#<sourceId>      itemId, gsi2pk SRC#<sourceId>, gsi2sk <sortDate>#<id>
 *   alias               KEY#<idForKey(key)>   KEY                 itemId, key (the readable identity key)
 *   month buckets       META                  BUCKETS             months (string set of yyyy-mm with items)
 *   source state        SOURCES               SOURCE#<sourceId>   SourceState fields (`seen`, `itemsPerDay` as JSON strings)
 *   cycle               CYCLES                <startedAt>         CycleRecord fields, expiresAt (TTL, epoch s, +90 days)
 *   story member        STORY#<storyId>       <firstSeenAt>#<id>  itemId, firstSeenAt, sourceIds, url, title
 *
 * GSI `gsi1` (gsi1pk, gsi1sk, projection INCLUDE version): newest items across all sources. Partitions are
 * month × shard (shard = stable hash of the id mod `indexShards`), so writes spread and a read walks
 * the months listed in META BUCKETS from newest to oldest, querying every shard of a month; the items
 * themselves are then read with BatchGetItem (a whole-item copy in the index doubled every item write),
 * except those a warm process holds at the version the index row carries (newest.ts ItemCache).
 * GSI `gsi2` (gsi2pk, gsi2sk, projection INCLUDE itemId, version): newest items of one source; the items
 * themselves are then read with BatchGetItem, or taken from the cache when the row carries their version (item rows do). Nothing ever scans.
 *
 * Item rows leave out summaryText/contentText when they equal the text of their html (rows.ts itemRow).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type Projection,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { StoreError } from '../errors';
import { sleep } from './backoff';

/** One global secondary index of the table. */
export interface GlobalIndexSchema {
  name: string;
  partitionKey: string;
  sortKey: string;
  projection: { type: 'ALL' } | { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; nonKeyAttributes: readonly string[] };
}

/**
 * Newest items across all sources: month × shard partitions, keys only (the items are read by key).
 * A deployed index's projection cannot be changed in place: see globalIndexProps in infra/stacks/stateful-stack.ts.
 */
export const NEWEST_INDEX = {
  name: 'gsi1',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  projection: { type: 'INCLUDE', nonKeyAttributes: ['version'] },
} as const satisfies GlobalIndexSchema;

/** Newest items of one source (item rows and membership rows). */
export const SOURCE_INDEX = {
  name: 'gsi2',
  partitionKey: 'gsi2pk',
  sortKey: 'gsi2sk',
  projection: { type: 'INCLUDE', nonKeyAttributes: ['itemId', 'version'] },
} as const satisfies GlobalIndexSchema;

/** The table's shape, shared by `ensureTable` and the CDK stack. All key attributes are strings. */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  billingMode: 'PAY_PER_REQUEST',
  globalIndexes: [NEWEST_INDEX, SOURCE_INDEX] as readonly GlobalIndexSchema[],
  /** Epoch seconds after which DynamoDB may delete the row (cycle records). */
  ttlAttribute: 'expiresAt',
} as const;

/** The DynamoDB Projection of an index schema. */
export function indexProjection(index: GlobalIndexSchema): Projection {
  return index.projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.nonKeyAttributes] }
    : { ProjectionType: index.projection.type };
}

const WAIT_ACTIVE_MS = 60_000;
const POLL_MS = 100;

function isActive(table: TableDescription | undefined): boolean {
  if (table?.TableStatus !== 'ACTIVE') return false;
  return (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
}

async function describe(dynamo: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await dynamo.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw new StoreError(`DynamoDB DescribeTable ${tableName} failed: ${(err as Error).message}`, { cause: err });
  }
}

async function createTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  const keyAttributes = new Set<string>([TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey]);
  for (const index of TABLE_SCHEMA.globalIndexes) keyAttributes.add(index.partitionKey).add(index.sortKey);
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: TABLE_SCHEMA.billingMode,
        AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE_SCHEMA.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: indexProjection(index),
        })),
      }),
    );
  } catch (err) {
    if (err instanceof ResourceInUseException) return; // created concurrently
    throw new StoreError(`DynamoDB CreateTable ${tableName} failed: ${(err as Error).message}`, { cause: err });
  }
}

async function enableTtl(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const current = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const status = current.TimeToLiveDescription?.TimeToLiveStatus;
    if (status === 'ENABLED' || status === 'ENABLING') return;
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
      }),
    );
  } catch (err) {
    // dynalite has no UpdateTimeToLive; expired cycles then simply stay (they are read newest first).
    if ((err as Error).name === 'UnknownOperationException') return;
    throw new StoreError(`DynamoDB TTL setup on ${tableName} failed: ${(err as Error).message}`, { cause: err });
  }
}

/** Creates the table (idempotently, tolerating a concurrent create), waits until it and its indexes are ACTIVE, enables TTL where supported. */
export async function ensureTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  if (!(await describe(dynamo, tableName))) await createTable(dynamo, tableName);
  const deadline = Date.now() + WAIT_ACTIVE_MS;
  while (!isActive(await describe(dynamo, tableName))) {
    if (Date.now() > deadline) throw new StoreError(`table ${tableName} not ACTIVE after ${WAIT_ACTIVE_MS} ms`);
    await sleep(POLL_MS);
  }
  await enableTtl(dynamo, tableName);
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (err) {
    if (httpStatus(err) === 404 || (err as Error).name === 'NotFound') return false;
    throw new StoreError(`S3 head bucket ${bucket} failed: ${(err as Error).message}`, { cause: err });
  }
}

/** Creates the bucket unless it exists (idempotent; tolerates a concurrent create). */
export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  if (await bucketExists(s3, bucket)) return;
  const region = await s3.config.region();
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region && region !== 'us-east-1'
          ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }
          : {}),
      }),
    );
  } catch (err) {
    // A concurrent create by us is fine; a name taken by someone else fails the second check.
    if (await bucketExists(s3, bucket)) return;
    throw new StoreError(`S3 create bucket ${bucket} failed: ${(err as Error).message}`, { cause: err });
  }
}
