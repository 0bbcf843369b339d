/** BatchGetItem / BatchWriteItem over any number of keys or rows: chunked, de-duplicated, unprocessed work retried with bounded backoff. */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { StoreError } from '../errors';
import { DEFAULT_BACKOFF, backoffDelayMs, sleep, type BackoffPolicy } from './backoff';
import { stringAttribute, type Row } from './rows';

/** BatchGetItem's limit of keys per call. */
export const BATCH_GET_LIMIT = 100;
/** BatchWriteItem's limit of requests per call. */
export const BATCH_WRITE_LIMIT = 25;
/** Batch calls of one operation in flight at once. */
const BATCH_CONCURRENCY = 4;

/** A StoreError for a failed DynamoDB call, naming the operation and table. */
export function dynamoError(operation: string, tableName: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError(`DynamoDB ${operation} on ${tableName} failed: ${(err as Error).message}`, { cause: err });
}

function keyOf(row: Row): string {
  return `${stringAttribute(row, 'pk')}\u0000${stringAttribute(row, 'sk')}`;
}

function chunk<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** Options of a batch read. */
export interface BatchGetOptions {
  /** Attribute names to return (a ProjectionExpression); all attributes when omitted. */
  attributes?: readonly string[];
  consistentRead?: boolean;
  backoff?: BackoffPolicy;
}

/** Reads rows by key (`{pk, sk}` rows); missing rows are absent from the result, order is not kept. */
export async function batchGetRows(
  dynamo: DynamoDBClient,
  tableName: string,
  keys: Row[],
  options: BatchGetOptions = {},
): Promise<Row[]> {
  const unique = [...new Map(keys.map((key) => [keyOf(key), key])).values()];
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const projection = options.attributes?.length
    ? {
        ProjectionExpression: options.attributes.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(options.attributes.map((name, i) => [`#a${i}`, name])),
      }
    : {};
  const results: Row[] = [];
  const readGroup = async (group: Row[]): Promise<void> => {
    let pending: KeysAndAttributes | undefined = { Keys: group, ConsistentRead: options.consistentRead, ...projection };
    for (let attempt = 1; pending?.Keys?.length; attempt++) {
      if (attempt > policy.maxAttempts) {
        throw new StoreError(
          `DynamoDB BatchGetItem on ${tableName} left ${pending.Keys.length} keys unprocessed after ${policy.maxAttempts} attempts`,
        );
      }
      if (attempt > 1) await sleep(backoffDelayMs(policy, attempt - 1));
      let output;
      try {
        output = await dynamo.send(new BatchGetItemCommand({ RequestItems: { [tableName]: pending } }));
      } catch (err) {
        throw dynamoError('BatchGetItem', tableName, err);
      }
      results.push(...(output.Responses?.[tableName] ?? []));
      pending = output.UnprocessedKeys?.[tableName];
    }
  };
  const limit = pLimit(BATCH_CONCURRENCY);
  await Promise.all(chunk(unique, BATCH_GET_LIMIT).map((group) => limit(() => readGroup(group))));
  return results;
}

/** Puts rows (unconditionally; a later row with the same key replaces an earlier one), 25 per call, never dropping any. */
export async function batchPutRows(
  dynamo: DynamoDBClient,
  tableName: string,
  rows: Row[],
  backoff: BackoffPolicy = DEFAULT_BACKOFF,
): Promise<void> {
  const unique = [...new Map(rows.map((row) => [keyOf(row), row])).values()];
  await batchWrite(dynamo, tableName, unique.map((row) => ({ PutRequest: { Item: row } })), backoff);
}

/** Deletes rows by key (pk, sk; absent rows are fine), 25 per call, never dropping any. */
export async function batchDeleteRows(
  dynamo: DynamoDBClient,
  tableName: string,
  keys: Row[],
  backoff: BackoffPolicy = DEFAULT_BACKOFF,
): Promise<void> {
  const unique = [...new Map(keys.map((key) => [keyOf(key), key])).values()];
  await batchWrite(dynamo, tableName, unique.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } as Row } })), backoff);
}

/** Sends write requests 25 per call, retrying unprocessed ones with backoff. */
async function batchWrite(dynamo: DynamoDBClient, tableName: string, requests: WriteRequest[], backoff: BackoffPolicy): Promise<void> {
  const writeGroup = async (group: WriteRequest[]): Promise<void> => {
    let pending = group;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > backoff.maxAttempts) {
        throw new StoreError(
          `DynamoDB BatchWriteItem on ${tableName} left ${pending.length} rows unprocessed after ${backoff.maxAttempts} attempts`,
        );
      }
      if (attempt > 1) await sleep(backoffDelayMs(backoff, attempt - 1));
      let output;
      try {
        output = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      } catch (err) {
        throw dynamoError('BatchWriteItem', tableName, err);
      }
      pending = output.UnprocessedItems?.[tableName] ?? [];
    }
  };
  const limit = pLimit(BATCH_CONCURRENCY);
  await Promise.all(chunk(requests, BATCH_WRITE_LIMIT).map((group) => limit(() => writeGroup(group))));
}
