/**
 * The retry logic of batchPutRows / batchGetRows for UnprocessedItems / UnprocessedKeys, which the local
 * engines never return: a recording `send` stands in for the client (this tests our loop, not storage).
 */
import { describe, expect, it } from 'vitest';
import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { StoreError } from '../../shared/errors';
import { batchGetRows, batchPutRows } from '../../shared/store/dynamo-batch';
import type { Row } from '../../shared/store/rows';

const FAST = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 };
const row = (i: number): Row => ({ pk: { S: `ITEM#${i}` }, sk: { S: 'ITEM' }, n: { N: String(i) } });

/** A client whose BatchWriteItem leaves the requests `leave` picks unprocessed, recording every call. */
function writeRecorder(leave: (pk: string, call: number) => boolean) {
  const calls: string[][] = [];
  const client = {
    async send(command: { input: { RequestItems?: Record<string, WriteRequest[]> } }) {
      const requests = command.input.RequestItems?.t ?? [];
      calls.push(requests.map((request) => request.PutRequest?.Item?.pk?.S ?? ''));
      const unprocessed = requests.filter((request) => leave(request.PutRequest?.Item?.pk?.S ?? '', calls.length));
      return { UnprocessedItems: unprocessed.length ? { t: unprocessed } : {} };
    },
  };
  return { calls, client: client as unknown as DynamoDBClient };
}

describe('batchPutRows', () => {
  it('writes in groups of 25, de-duplicates keys and retries only unprocessed rows until all are written', async () => {
    const leftOnce = new Set(['ITEM#3', 'ITEM#40']);
    const { calls, client } = writeRecorder((pk) => leftOnce.delete(pk));
    const rows = Array.from({ length: 60 }, (_, i) => row(i));
    await batchPutRows(client, 't', [...rows, row(5)], FAST);
    expect(calls.every((call) => call.length <= 25)).toBe(true);
    const retries = calls.filter((call) => call.length === 1);
    expect(retries.flat().sort()).toEqual(['ITEM#3', 'ITEM#40']);
    expect(new Set(calls.flat()).size).toBe(60);
    expect(calls.flat()).toHaveLength(62);
  });

  it('throws StoreError, never dropping silently, when rows stay unprocessed past the bound', async () => {
    const { calls, client } = writeRecorder((pk) => pk === 'ITEM#7');
    const failure = batchPutRows(client, 't', [row(7), row(8)], FAST);
    await expect(failure).rejects.toBeInstanceOf(StoreError);
    await expect(failure).rejects.toThrow(/1 rows unprocessed after 4 attempts/);
    expect(calls).toEqual([['ITEM#7', 'ITEM#8'], ['ITEM#7'], ['ITEM#7'], ['ITEM#7']]);
  });
});

describe('batchGetRows', () => {
  it('reads in groups of 100 and retries unprocessed keys', async () => {
    const calls: number[] = [];
    let held = true;
    const client = {
      async send(command: { input: { RequestItems?: Record<string, { Keys?: Row[] }> } }) {
        const keys = command.input.RequestItems?.t?.Keys ?? [];
        calls.push(keys.length);
        if (held && keys.length > 2) {
          held = false;
          return { Responses: { t: keys.slice(2) }, UnprocessedKeys: { t: { Keys: keys.slice(0, 2) } } };
        }
        return { Responses: { t: keys }, UnprocessedKeys: {} };
      },
    } as unknown as DynamoDBClient;
    const rows = await batchGetRows(client, 't', Array.from({ length: 150 }, (_, i) => row(i)), { backoff: FAST });
    expect(rows).toHaveLength(150);
    expect([...calls].sort((a, b) => a - b)).toEqual([2, 50, 100]);
  });
});
