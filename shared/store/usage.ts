/**
 * Request accounting: counts every DynamoDB and S3 call a client makes, with the rows written and
 * read by batch calls, and the DynamoDB capacity units they consumed (asked for with
 * ReturnConsumedCapacity INDEXES), so a cycle can report its storage cost (the local runner and the benchmark).
 *
 * Index write units: AWS and DynamoDB Local report them (ConsumedCapacity.GlobalSecondaryIndexes);
 * dynalite, the embedded engine, reports the table's units only. When a write's answer names no index, the
 * units of the index copies are computed from the rows put and deleted (IndexCopies, which remembers the
 * entries it saw to tell a new entry from an unchanged one) and also counted in `wruIndexesComputed`.
 * Rows changed by UpdateItem are not in the request, so their index units are not computed: in this
 * design those rows (source states, cycles, META) are in no index.
 */
import type { AttributeValue, ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { forgetResolvedMiddleware } from './clients';
import { shardOf, type Row } from './rows';
import { TABLE_SCHEMA, type GlobalIndexSchema } from './table';

/** Counts of storage calls and rows. */
export interface StorageUsage {
  /** Calls by command name, e.g. { PutItemCommand: 3, BatchWriteItemCommand: 1 }. */
  calls: Record<string, number>;
  /** DynamoDB rows written (each put, each row of a batch write, each update). */
  ddbRowsWritten: number;
  /** DynamoDB rows asked for by reads (each get, each key of a batch get; a query counts once). */
  ddbRowsRead: number;
  /** Of ddbRowsRead, the rows read eventually consistent (half the read units). */
  ddbRowsReadEventual: number;
  s3Puts: number;
  s3PutBytes: number;
  /** Of s3PutBytes, the bytes put under raw/ (kept for months; everything else is overwritten derived data). */
  s3PutRawBytes: number;
  /** GetObject and HeadObject requests (S3 prices both as GET-class). */
  s3Gets: number;
  /** ListObjectsV2 pages (S3 prices LIST at the PUT rate). */
  s3Lists: number;
  /** DynamoDB write capacity units consumed, index copies included. */
  wru: number;
  /** Of wru, the units of index copies. */
  wruIndexes: number;
  /** Of wruIndexes, the units computed from the rows put because the engine reported none (dynalite). */
  wruIndexesComputed: number;
  /** DynamoDB read capacity units consumed (eventually consistent reads at half), index reads included. */
  rru: number;
}

/** A zeroed usage record. */
export function emptyUsage(): StorageUsage {
  return {
    calls: {}, ddbRowsWritten: 0, ddbRowsRead: 0, ddbRowsReadEventual: 0, s3Puts: 0, s3PutBytes: 0, s3PutRawBytes: 0, s3Gets: 0, s3Lists: 0,
    wru: 0, wruIndexes: 0, wruIndexesComputed: 0, rru: 0,
  };
}

/** A copy of the counts as they are now (calls included), to compare with later (usageSince). */
export function snapshotUsage(usage: StorageUsage): StorageUsage {
  return { ...usage, calls: { ...usage.calls } };
}

/** What was counted between `before` (a snapshotUsage) and `after`: every figure's difference (calls by command too). */
export function usageSince(before: StorageUsage, after: StorageUsage): StorageUsage {
  const calls: Record<string, number> = {};
  for (const [name, n] of Object.entries(after.calls)) if (n !== (before.calls[name] ?? 0)) calls[name] = n - (before.calls[name] ?? 0);
  const delta = { ...emptyUsage(), calls };
  for (const key of Object.keys(delta) as (keyof StorageUsage)[]) if (key !== 'calls') (delta[key] as number) = (after[key] as number) - (before[key] as number);
  return delta;
}

/** DynamoDB's size of an attribute value in bytes (numbers approximated by their digits). */
export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.length / 2) + 1;
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (v.NS) return v.NS.reduce((n, s) => n + s.length, 0);
  if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + valueSize(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + valueSize(x), 0);
  return 0;
}

/** A row's size: attribute names plus values. */
export function rowSize(row: Record<string, AttributeValue>): number {
  return Object.entries(row).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueSize(v), 0);
}

/** The attributes of `row` that `index` holds: none when the row lacks the index keys (a sparse index). */
function indexEntry(row: Record<string, AttributeValue>, index: GlobalIndexSchema): Record<string, AttributeValue> | undefined {
  if (!row[index.partitionKey] || !row[index.sortKey]) return undefined;
  if (index.projection.type === 'ALL') return row;
  const names = [TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey, index.partitionKey, index.sortKey];
  if (index.projection.type === 'INCLUDE') names.push(...index.projection.nonKeyAttributes);
  const entry: Record<string, AttributeValue> = {};
  for (const name of names) if (row[name]) entry[name] = row[name];
  return entry;
}

/** Write units of one index entry: its size in 1 KB units, rounded up. */
const entryUnits = (entry: Record<string, AttributeValue>): number => Math.max(1, Math.ceil(rowSize(entry) / 1024));

/** Write units of the index copies of a row put as a new row: per index holding it, its entry's units. */
export function indexWriteUnits(row: Record<string, AttributeValue>): number {
  let units = 0;
  for (const index of TABLE_SCHEMA.globalIndexes) {
    const entry = indexEntry(row, index);
    if (entry) units += entryUnits(entry);
  }
  return units;
}

/** One index entry as remembered: hashes of its keys and of the whole entry, and its write units. */
interface EntryTrace {
  keys: number;
  entry: number;
  units: number;
}

const hash = (value: unknown): number => shardOf(JSON.stringify(value), 2 ** 32);

/**
 * The index entries of the rows a tracker saw written, by table key, so that a put is charged as DynamoDB
 * charges it: a new entry its units, a changed one the larger units, moved keys a delete plus a put, an
 * unchanged entry nothing. Rows written before tracking began (or by other clients) count as new.
 */
export class IndexCopies {
  private readonly seen = new Map<string, (EntryTrace | undefined)[]>();

  /** Index write units of putting `row`. */
  put(row: Record<string, AttributeValue>): number {
    const key = keyOf(row);
    const before = this.seen.get(key);
    const after = TABLE_SCHEMA.globalIndexes.map((index): EntryTrace | undefined => {
      const entry = indexEntry(row, index);
      if (!entry) return undefined;
      return { keys: hash([entry[index.partitionKey], entry[index.sortKey]]), entry: hash(entry), units: entryUnits(entry) };
    });
    let units = 0;
    for (const [i, now] of after.entries()) {
      const was = before?.[i];
      if (!now) units += was?.units ?? 0;
      else if (!was || was.keys !== now.keys) units += now.units + (was?.units ?? 0);
      else if (was.entry !== now.entry) units += Math.max(was.units, now.units);
    }
    if (after.some(Boolean)) this.seen.set(key, after);
    else this.seen.delete(key);
    return units;
  }

  /** Index write units of deleting the row with `key` (its pk and sk). */
  delete(key: Record<string, AttributeValue>): number {
    const before = this.seen.get(keyOf(key));
    this.seen.delete(keyOf(key));
    return (before ?? []).reduce((n, trace) => n + (trace?.units ?? 0), 0);
  }
}

function keyOf(row: Record<string, AttributeValue>): string {
  return `${row[TABLE_SCHEMA.partitionKey]?.S}\u0000${row[TABLE_SCHEMA.sortKey]?.S}`;
}

type Input = Record<string, unknown>;

function countRows(command: string, input: Input, usage: StorageUsage): void {
  switch (command) {
    case 'PutItemCommand':
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      usage.ddbRowsWritten++;
      break;
    case 'BatchWriteItemCommand':
      for (const rows of Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>)) usage.ddbRowsWritten += rows.length;
      break;
    case 'GetItemCommand':
    case 'QueryCommand':
      usage.ddbRowsRead++;
      if (input.ConsistentRead !== true) usage.ddbRowsReadEventual++;
      break;
    case 'BatchGetItemCommand':
      for (const req of Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>)) {
        usage.ddbRowsRead += req.Keys?.length ?? 0;
        if (req.ConsistentRead !== true) usage.ddbRowsReadEventual += req.Keys?.length ?? 0;
      }
      break;
    case 'PutObjectCommand': {
      usage.s3Puts++;
      const body = input.Body;
      const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : 0;
      usage.s3PutBytes += bytes;
      if (typeof input.Key === 'string' && input.Key.startsWith('raw/')) usage.s3PutRawBytes += bytes;
      break;
    }
    case 'GetObjectCommand':
    case 'HeadObjectCommand':
      usage.s3Gets++;
      break;
    case 'ListObjectsV2Command':
      usage.s3Lists++;
      break;
  }
}

/** Commands that accept ReturnConsumedCapacity, and whether they write. */
const CAPACITY_COMMANDS: Record<string, 'write' | 'read'> = {
  PutItemCommand: 'write', UpdateItemCommand: 'write', DeleteItemCommand: 'write', BatchWriteItemCommand: 'write',
  TransactWriteItemsCommand: 'write', GetItemCommand: 'read', BatchGetItemCommand: 'read', QueryCommand: 'read',
  ScanCommand: 'read', TransactGetItemsCommand: 'read',
};

/** The rows a write request put and the keys it deleted (PutItem, DeleteItem, BatchWriteItem less its unprocessed requests, TransactWriteItems). */
function writesOf(command: string, input: Input, output: unknown): { puts: Row[]; deletes: Row[] } {
  const puts: Row[] = [];
  const deletes: Row[] = [];
  const add = (put?: { Item?: unknown }, del?: { Key?: unknown }) => {
    if (put?.Item) puts.push(put.Item as Row);
    if (del?.Key) deletes.push(del.Key as Row);
  };
  type Request = { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } };
  switch (command) {
    case 'PutItemCommand':
      add(input as { Item?: unknown });
      break;
    case 'DeleteItemCommand':
      add(undefined, input as { Key?: unknown });
      break;
    case 'BatchWriteItemCommand': {
      const unprocessed = (output as { UnprocessedItems?: Record<string, Request[]> } | undefined)?.UnprocessedItems ?? {};
      for (const [table, requests] of Object.entries((input.RequestItems ?? {}) as Record<string, Request[]>)) {
        const requestKey = (req: Request) => keyOf((req.PutRequest?.Item ?? req.DeleteRequest?.Key ?? {}) as Row);
        const left = new Set((unprocessed[table] ?? []).map(requestKey));
        for (const req of requests) if (!left.has(requestKey(req))) add(req.PutRequest, req.DeleteRequest);
      }
      break;
    }
    case 'TransactWriteItemsCommand':
      for (const t of (input.TransactItems ?? []) as { Put?: { Item?: unknown }; Delete?: { Key?: unknown } }[]) add(t.Put, t.Delete);
      break;
  }
  return { puts, deletes };
}

/** Adds the capacity a DynamoDB answer reports to `usage`, computing index write units the engine left out. */
function countCapacity(command: string, input: Input, output: unknown, usage: StorageUsage, copies: IndexCopies): void {
  const kind = CAPACITY_COMMANDS[command];
  if (!kind) return;
  const reported = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] } | undefined)?.ConsumedCapacity;
  const capacities = reported === undefined ? [] : Array.isArray(reported) ? reported : [reported];
  const units = capacities.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
  const indexUnits = capacities.reduce(
    (n, c) => n + Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((m, i) => m + (i.CapacityUnits ?? 0), 0),
    0,
  );
  if (kind === 'read') {
    usage.rru += units;
    return;
  }
  usage.wru += units;
  usage.wruIndexes += indexUnits;
  // An engine that reports index units (AWS, DynamoDB Local) names an index when a write touched one.
  if (capacities.some((c) => c.GlobalSecondaryIndexes !== undefined)) return;
  const { puts, deletes } = writesOf(command, input, output);
  const computed = puts.reduce((n, row) => n + copies.put(row), 0) + deletes.reduce((n, key) => n + copies.delete(key), 0);
  usage.wru += computed;
  usage.wruIndexes += computed;
  usage.wruIndexesComputed += computed;
}

/** Adds a counting middleware to the clients; every call they make from now on is added to `usage`, DynamoDB calls with their consumed capacity. */
export function trackUsage(clients: { dynamo: DynamoDBClient; s3: S3Client }, usage: StorageUsage): void {
  const copies = new IndexCopies();
  for (const client of [clients.dynamo, clients.s3] as const) {
    (client.middlewareStack as { add: (mw: unknown, options: unknown) => void }).add(
      (next: (args: { input: Input }) => Promise<{ output?: unknown }>, context: { commandName?: string }) => async (args: { input: Input }) => {
        const name = context.commandName ?? 'unknown';
        usage.calls[name] = (usage.calls[name] ?? 0) + 1;
        countRows(name, args.input, usage);
        const measure = client === clients.dynamo && CAPACITY_COMMANDS[name] !== undefined;
        if (measure && args.input.ReturnConsumedCapacity === undefined) {
          args = { ...args, input: { ...args.input, ReturnConsumedCapacity: 'INDEXES' } };
        }
        const result = await next(args);
        if (measure) countCapacity(name, args.input, result.output, usage, copies);
        return result;
      },
      { step: 'initialize', name: 'tributaryUsage' },
    );
    forgetResolvedMiddleware(client);
  }
}
