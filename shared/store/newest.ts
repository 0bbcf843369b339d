/** The newest-items reads: across all sources (gsi1, month × shard partitions) and per source (gsi2), each index holding keys, then the items by BatchGetItem. */
import { GetItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../model';
import type { ItemPage, NewestQuery } from './ports';
import { batchGetRows, dynamoError } from './dynamo-batch';
import {
  BUCKETS_KEY, ITEM_SK, decodeCursor, encodeCursor, itemFromRow, itemPk, newestPartition,
  sourcePartition, stringAttribute, type Row,
} from './rows';
import { NEWEST_INDEX, SOURCE_INDEX } from './table';

/** What the newest-items reads need to know about the table. */
export interface NewestContext {
  dynamo: DynamoDBClient;
  tableName: string;
  shards: number;
  /** Items read before, by id, with the version they were read at (index rows carry the version: a hit needs no read). */
  cache?: ItemCache;
}

/** Items by id with their version, the oldest forgotten past a bound (a warm publisher reads only what changed). */
export class ItemCache {
  private readonly entries = new Map<string, { version: number; item: Item }>();

  constructor(private readonly capacity = 5_000) {}

  /** The item if it is held at exactly this version. */
  get(id: string, version: number): Item | undefined {
    const entry = this.entries.get(id);
    return entry && entry.version === version ? entry.item : undefined;
  }

  /** Holds an item at a version (replacing any other version of it). */
  set(id: string, version: number, item: Item): void {
    this.entries.delete(id);
    this.entries.set(id, { version, item });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** Bounds on an index sort key (`<sortDate>#<id>`): lo inclusive, hi inclusive or exclusive. */
interface SortRange {
  lo?: string;
  hi?: string;
  hiExclusive: boolean;
}

/** ISO bounds normalised to the stored form (`toISOString`) so string order equals time order. */
function normaliseBound(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** The sort-key range for since/until (inclusive) and a cursor (exclusive); undefined when it is empty. */
function sortRange(query: NewestQuery): SortRange | undefined {
  const range: SortRange = { hiExclusive: false };
  if (query.since) range.lo = normaliseBound(query.since);
  // '$' sorts right after '#', so every `<until>#<id>` is ≤ `<until>$`.
  if (query.until) range.hi = `${normaliseBound(query.until)}$`;
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    if (range.hi === undefined || after <= range.hi) {
      range.hi = after;
      range.hiExclusive = true;
    }
  }
  if (range.lo !== undefined && range.hi !== undefined) {
    if (range.lo > range.hi || (range.lo === range.hi && range.hiExclusive)) return undefined;
  }
  return range;
}

const descending = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/** Up to `want` rows of one index partition, newest first, within `range`; `more` when further rows exist, `nextKey` resumes after the last row returned. */
async function queryPartition(
  ctx: NewestContext,
  index: { name: string; partitionKey: string; sortKey: string },
  partition: string,
  range: SortRange,
  want: number,
  startKey?: Row,
): Promise<{ rows: Row[]; more: boolean; nextKey?: Row }> {
  const values: Row = { ':pk': { S: partition } };
  let condition = '#pk = :pk';
  // DynamoDB has no "between, upper bound exclusive": query inclusively and drop the cursor row itself.
  const dropExact = range.hiExclusive && range.lo !== undefined ? range.hi : undefined;
  if (range.lo !== undefined) values[':lo'] = { S: range.lo };
  if (range.hi !== undefined) values[':hi'] = { S: range.hi };
  if (range.lo !== undefined && range.hi !== undefined) condition += ' AND #sk BETWEEN :lo AND :hi';
  else if (range.hi !== undefined) condition += range.hiExclusive ? ' AND #sk < :hi' : ' AND #sk <= :hi';
  else if (range.lo !== undefined) condition += ' AND #sk >= :lo';
  const rows: Row[] = [];
  let nextKey = startKey;
  do {
    let output;
    try {
      output = await ctx.dynamo.send(
        new QueryCommand({
          TableName: ctx.tableName,
          IndexName: index.name,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: {
            '#pk': index.partitionKey,
            ...(range.lo !== undefined || range.hi !== undefined ? { '#sk': index.sortKey } : {}),
          },
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          // One row beyond `want` tells whether more follow; one more when the cursor row may be dropped.
          Limit: want + 1 - rows.length + (dropExact !== undefined ? 1 : 0),
          ExclusiveStartKey: nextKey,
        }),
      );
    } catch (err) {
      throw dynamoError(`Query ${index.name}`, ctx.tableName, err);
    }
    for (const row of output.Items ?? []) {
      if (dropExact === undefined || stringAttribute(row, index.sortKey) !== dropExact) rows.push(row);
    }
    nextKey = output.LastEvaluatedKey;
  } while (nextKey && rows.length <= want);
  if (rows.length <= want) return { rows, more: false };
  // Resume right after the last row kept, not after the extra row read.
  const kept = rows.slice(0, want);
  const lastKept = kept.at(-1) ?? {};
  const resumeKey: Row = {};
  for (const name of ['pk', 'sk', index.partitionKey, index.sortKey]) {
    const value = lastKept[name];
    if (value) resumeKey[name] = value;
  }
  return { rows: kept, more: true, nextKey: resumeKey };
}

/** The months (yyyy-mm) that have items, newest first. */
async function readMonths(ctx: NewestContext): Promise<string[]> {
  try {
    const output = await ctx.dynamo.send(
      new GetItemCommand({
        TableName: ctx.tableName,
        Key: { pk: { S: BUCKETS_KEY.pk }, sk: { S: BUCKETS_KEY.sk } },
        ProjectionExpression: 'months',
        ConsistentRead: true,
      }),
    );
    return [...(output.Item?.months?.SS ?? [])].sort(descending);
  } catch (err) {
    throw dynamoError('GetItem META', ctx.tableName, err);
  }
}

/** The id of the item an index row stands for: `itemId` (membership rows) or the item key `ITEM#<id>`. */
function itemIdOf(row: Row): string | undefined {
  return stringAttribute(row, 'itemId') ?? stringAttribute(row, 'pk')?.slice(itemPk('').length);
}

/**
 * The items of index rows in the rows' order, read with BatchGetItem — eventually consistent, as the
 * index itself is. A row whose item is gone, or whose item an earlier row (or `seen`) already gave, is skipped.
 */
async function itemsOfRows(ctx: NewestContext, rows: Row[], seen: Set<string>): Promise<Item[]> {
  const ids = rows.map(itemIdOf).filter((id): id is string => id !== undefined);
  const found = new Map<string, Item>();
  // An index row that carries the item's version (gsi1 projects it) is served from the cache when it holds that version.
  for (const row of rows) {
    const id = itemIdOf(row);
    const version = row.version?.N;
    const cached = id !== undefined && version !== undefined ? ctx.cache?.get(id, Number(version)) : undefined;
    if (cached) found.set(id as string, cached);
  }
  const fetched = await batchGetRows(
    ctx.dynamo, ctx.tableName, ids.filter((id) => !found.has(id)).map((id) => ({ pk: { S: itemPk(id) }, sk: { S: ITEM_SK } })), { consistentRead: false },
  );
  for (const row of fetched) {
    const { item, version } = itemFromRow(row);
    found.set(item.id, item);
    ctx.cache?.set(item.id, version, item);
  }
  const items: Item[] = [];
  for (const id of ids) {
    const item = found.get(id);
    if (item && !seen.has(item.id)) {
      seen.add(item.id);
      items.push(item);
    }
  }
  return items;
}

/** Newest items across all sources: walks the months newest first, querying every shard of a month in parallel (keys only), then reads the page's items. */
export async function newestAcrossSources(ctx: NewestContext, query: NewestQuery): Promise<ItemPage> {
  const range = sortRange(query);
  if (!range || query.limit <= 0) return { items: [] };
  const loMonth = range.lo?.slice(0, 7);
  const hiMonth = range.hi?.slice(0, 7);
  const months = (await readMonths(ctx)).filter(
    (month) => (loMonth === undefined || month >= loMonth) && (hiMonth === undefined || month <= hiMonth),
  );
  const collected: Row[] = [];
  let more = false;
  for (const [position, month] of months.entries()) {
    const need = query.limit - collected.length;
    const shards = await Promise.all(
      Array.from({ length: ctx.shards }, (_, shard) =>
        queryPartition(ctx, NEWEST_INDEX, newestPartition(month, shard), range, need),
      ),
    );
    const merged = shards
      .flatMap((result) => result.rows)
      .sort((a, b) => descending(stringAttribute(a, NEWEST_INDEX.sortKey) ?? '', stringAttribute(b, NEWEST_INDEX.sortKey) ?? ''));
    collected.push(...merged.slice(0, need));
    if (collected.length >= query.limit) {
      more = merged.length > need || shards.some((result) => result.more) || position < months.length - 1;
      break;
    }
  }
  const lastKey = stringAttribute(collected.at(-1), NEWEST_INDEX.sortKey);
  return {
    items: await itemsOfRows(ctx, collected, new Set()),
    ...(more && lastKey ? { cursor: encodeCursor(lastKey) } : {}),
  };
}

/** Newest items of one source: gsi2 (item rows and membership rows), then the items by BatchGetItem. */
export async function newestOfSource(ctx: NewestContext, sourceId: string, query: NewestQuery): Promise<ItemPage> {
  const range = sortRange(query);
  if (!range || query.limit <= 0) return { items: [] };
  const items: Item[] = [];
  const seen = new Set<string>();
  let lastKey: string | undefined;
  let more = false;
  let startKey: Row | undefined;
  do {
    const page = await queryPartition(
      ctx, SOURCE_INDEX, sourcePartition(sourceId), range, query.limit - items.length, startKey,
    );
    items.push(...(await itemsOfRows(ctx, page.rows, seen)));
    lastKey = stringAttribute(page.rows.at(-1), SOURCE_INDEX.sortKey) ?? lastKey;
    more = page.more;
    startKey = page.nextKey;
  } while (items.length < query.limit && startKey);
  return { items, ...(more && items.length >= query.limit && lastKey ? { cursor: encodeCursor(lastKey) } : {}) };
}
