/** DynamoItemRepository: items, their identity-key aliases and the newest-items indexes in the single table. */
import {
  ConditionalCheckFailedException,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import pLimit from 'p-limit';
import type { Config } from '../config';
import type { Item } from '../model';
import { StoreError, VersionConflictError } from '../errors';
import { idForKey } from '../ids';
import type { ItemPage, ItemRepository, ItemSummary, ItemWrite, NewestQuery } from './ports';
import { batchGetRows, batchPutRows, dynamoError } from './dynamo-batch';
import { ItemCache, newestAcrossSources, newestOfSource, type NewestContext } from './newest';
import {
  ALIAS_SK, BUCKETS_KEY, ITEM_SK, aliasPk, aliasRow, itemFromRow, itemPk, itemRow, membershipRow,
  monthOf, stringAttribute, type Row,
} from './rows';

/** Conditional puts of updates and merges in flight at once. */
const UPDATE_CONCURRENCY = 8;

/** Throws the first real failure, else one VersionConflictError naming every conflicting item. */
function throwFailures(failures: unknown[]): void {
  const real = failures.find((err) => !(err instanceof VersionConflictError));
  if (real) throw real;
  if (failures.length > 0) throw new VersionConflictError(failures.flatMap((err) => (err as VersionConflictError).itemIds));
}

/** The ItemRepository port on DynamoDB (single-table design, see table.ts). */
export class DynamoItemRepository implements ItemRepository {
  private readonly tableName: string;
  private readonly shards: number;
  /** Months already recorded in META BUCKETS by this process. */
  private readonly recordedMonths = new Set<string>();
  /** Items the newest pages read, by version: a warm publisher re-reads only new and changed items. */
  private readonly cache = new ItemCache();

  constructor(
    private readonly dynamo: DynamoDBClient,
    config: Config,
  ) {
    this.tableName = config.tableName;
    this.shards = config.indexShards;
  }

  /** For each known identity key, the item id: an item whose id derives from the key wins over an alias row. */
  async resolveKeys(keys: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(keys)];
    const lookups: Row[] = unique.flatMap((key) => [
      { pk: { S: itemPk(idForKey(key)) }, sk: { S: ITEM_SK } },
      { pk: { S: aliasPk(key) }, sk: { S: ALIAS_SK } },
    ]);
    const rows = await batchGetRows(this.dynamo, this.tableName, lookups, {
      attributes: ['pk', 'sk', 'itemId'],
      consistentRead: true,
    });
    const present = new Map<string, Row>();
    for (const row of rows) present.set(`${stringAttribute(row, 'pk')}|${stringAttribute(row, 'sk')}`, row);
    const resolved = new Map<string, string>();
    for (const key of unique) {
      const derivedId = idForKey(key);
      if (present.has(`${itemPk(derivedId)}|${ITEM_SK}`)) {
        resolved.set(key, derivedId);
        continue;
      }
      const aliasTarget = stringAttribute(present.get(`${aliasPk(key)}|${ALIAS_SK}`), 'itemId');
      if (aliasTarget) resolved.set(key, aliasTarget);
    }
    return resolved;
  }

  /** Items by id with their version; ids that are not stored are absent. Strongly consistent unless `eventual`. */
  async getItems(ids: string[], options: { eventual?: boolean } = {}): Promise<Map<string, Item & { version: number }>> {
    const rows = await batchGetRows(
      this.dynamo,
      this.tableName,
      [...new Set(ids)].map((id) => ({ pk: { S: itemPk(id) }, sk: { S: ITEM_SK } })),
      { consistentRead: !options.eventual },
    );
    const items = new Map<string, Item & { version: number }>();
    for (const row of rows) {
      const { item, version } = itemFromRow(row);
      items.set(item.id, { ...item, version });
    }
    return items;
  }

  /** The sources, story, title and link of stored items, read with a projection (no content); missing ids are absent. */
  async itemSummaries(ids: string[]): Promise<Map<string, ItemSummary>> {
    const rows = await batchGetRows(
      this.dynamo,
      this.tableName,
      [...new Set(ids)].map((id) => ({ pk: { S: itemPk(id) }, sk: { S: ITEM_SK } })),
      { attributes: ['id', 'sourceIds', 'storyId', 'title', 'url'], consistentRead: true },
    );
    const out = new Map<string, ItemSummary>();
    for (const row of rows) {
      const { id, sourceIds, storyId, title, url } = unmarshall(row) as Record<string, unknown>;
      if (typeof id !== 'string') continue;
      const sources = Array.isArray(sourceIds) ? sourceIds.filter((s): s is string => typeof s === 'string') : [];
      out.set(id, {
        sourceIds: sources,
        ...(typeof storyId === 'string' ? { storyId } : {}),
        ...(typeof title === 'string' ? { title } : {}),
        ...(typeof url === 'string' ? { url } : {}),
      });
    }
    return out;
  }

  /** Writes new items in batches and updates/merges with optimistic locking, plus their alias and membership rows. */
  async writeItems(writes: ItemWrite[]): Promise<void> {
    if (writes.length === 0) return;
    // Months first: a reader that finds an item must also find its month.
    await this.recordMonths(writes.map((write) => monthOf(write.item.sortDate)));
    // New items go out in batches, unconditionally: an item whose id derives from a shared link is
    // the same row whichever source writes it (see isSharedKey), so two creators cannot make two items.
    const created = writes.filter((write) => write.kind === 'new');
    await batchPutRows(this.dynamo, this.tableName, [
      ...created.map((write) => itemRow(write.item, 1, this.shards)),
      ...created.flatMap((write) => this.companionRows(write)),
    ]);
    const changed = writes.filter((write) => write.kind !== 'new');
    if (changed.length === 0) return;
    // Writes to one item run in the given order; different items run in parallel.
    const byItem = new Map<string, ItemWrite[]>();
    for (const write of changed) byItem.set(write.item.id, [...(byItem.get(write.item.id) ?? []), write]);
    const limit = pLimit(UPDATE_CONCURRENCY);
    const failures: unknown[] = [];
    const companions: Row[] = [];
    await Promise.all(
      [...byItem.values()].map((sequence) =>
        limit(async () => {
          for (const write of sequence) {
            try {
              await this.putChanged(write);
              companions.push(...this.companionRows(write));
            } catch (err) {
              failures.push(err);
              return;
            }
          }
        }),
      ),
    );
    await batchPutRows(this.dynamo, this.tableName, companions);
    throwFailures(failures);
  }

  /** Newest items by sortDate then id, across all sources or of one source; never scans. */
  async newest(query: NewestQuery): Promise<ItemPage> {
    const ctx: NewestContext = { dynamo: this.dynamo, tableName: this.tableName, shards: this.shards, cache: this.cache };
    return query.sourceId ? newestOfSource(ctx, query.sourceId, query) : newestAcrossSources(ctx, query);
  }

  /** Alias rows for the write's identity keys and membership rows for every source but the first. */
  private companionRows(write: ItemWrite): Row[] {
    const { item } = write;
    const aliases = write.aliasKeys
      .filter((key) => idForKey(key) !== item.id)
      .map((key) => aliasRow(key, item.id));
    const members = new Set(item.sourceIds.slice(1));
    if (write.joinedSourceId) members.add(write.joinedSourceId);
    members.delete(item.sourceIds[0] ?? '');
    return [...aliases, ...[...members].map((sourceId) => membershipRow(item, sourceId))];
  }

  /** A conditional put of an update or merge: fails with VersionConflictError unless the stored version is the expected one. */
  private async putChanged(write: ItemWrite): Promise<void> {
    const expected = write.expectedVersion;
    if (expected === undefined) {
      throw new StoreError(`${write.kind} of item ${write.item.id} without an expectedVersion`);
    }
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: itemRow(write.item, expected + 1, this.shards),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': { N: String(expected) } },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new VersionConflictError(write.item.id);
      throw dynamoError(`PutItem ${itemPk(write.item.id)}`, this.tableName, err);
    }
  }

  /** Adds months not yet recorded by this process to META BUCKETS (ADD to a string set is idempotent). */
  private async recordMonths(months: string[]): Promise<void> {
    const fresh = [...new Set(months)].filter((month) => !this.recordedMonths.has(month));
    if (fresh.length === 0) return;
    try {
      await this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: BUCKETS_KEY.pk }, sk: { S: BUCKETS_KEY.sk } },
          UpdateExpression: 'ADD #months :months',
          ExpressionAttributeNames: { '#months': 'months' },
          ExpressionAttributeValues: { ':months': { SS: fresh } },
        }),
      );
    } catch (err) {
      throw dynamoError('UpdateItem META', this.tableName, err);
    }
    for (const month of fresh) this.recordedMonths.add(month);
  }
}
