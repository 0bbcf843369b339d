/**
 * DynamoStoryRepository: story membership in the single table (see table.ts):
 *
 *   member     STORY#<storyId>           <firstSeenAt>#<itemId>    itemId, firstSeenAt, sourceIds, url, title
 *
 *   inbox      INBOX                     <object name>             body (gzip JSON, shared/story/inbox.ts)
 *
 * and the item row's `storyId`. A story of one item (most stories) has no member rows: its item,
 * whose id is the story's, is the story; the rows are written when a second item joins. Signatures and LSH bands are not in the table: they live in the
 * story index object the publisher keeps (shared/story/story-index.ts), so a new item costs one
 * member row here, not a row per band. Nothing scans.
 */
import { ConditionalCheckFailedException, GetItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import pLimit from 'p-limit';
import type { Config } from '../config';
import { batchDeleteRows, batchPutRows, dynamoError } from './dynamo-batch';
import type { InboxCursor, InboxObject, StoryMember, StoryRepository } from './ports';
import { INBOX_CURSOR_KEY, ITEM_SK, itemPk, type Row } from './rows';
import { TABLE_SCHEMA } from './table';

/** Partition key of a story's member rows. */
export const storyPk = (storyId: string): string => `STORY#${storyId}`;
/** Sort key of a member row: arrival order. */
export const memberSk = (firstSeenAt: string, itemId: string): string => `${firstSeenAt}#${itemId}`;

/** Partition key of the story inbox: one row per inbox object (a few per cycle), left to expire (TTL) once consumed. */
export const INBOX_PK = 'INBOX';
/** Days an inbox object is kept (the story window: an item older than it is not compared any more). */
export const INBOX_RETENTION_DAYS = 7;
/** The cursor row's key, as the SDK takes it. */
const CURSOR_KEY = { pk: { S: INBOX_CURSOR_KEY.pk }, sk: { S: INBOX_CURSOR_KEY.sk } };

/** Member rows a story lists at most. */
export const STORY_MEMBER_LIMIT = 500;
/** Item story updates in flight at once. */
const UPDATE_CONCURRENCY = 16;

/** The member row of a story member. */
export function memberRow(member: StoryMember): Row {
  return marshall(
    { pk: storyPk(member.storyId), sk: memberSk(member.firstSeenAt, member.itemId), itemId: member.itemId, firstSeenAt: member.firstSeenAt, sourceIds: member.sourceIds, url: member.url, title: member.title },
    { removeUndefinedValues: true },
  );
}

/** The StoryRepository port on DynamoDB. */
export class DynamoStoryRepository implements StoryRepository {
  private readonly tableName: string;

  constructor(
    private readonly dynamo: DynamoDBClient,
    config: Pick<Config, 'tableName'>,
  ) {
    this.tableName = config.tableName;
  }

  /**
   * Moves items into other stories: sets the item's storyId and bumps its version (so a fetcher's
   * concurrent update re-plans and keeps it). Returns the ids of items that do not exist.
   */
  async setStories(moves: { itemId: string; storyId: string }[]): Promise<string[]> {
    const missing: string[] = [];
    const limit = pLimit(UPDATE_CONCURRENCY);
    await Promise.all(
      moves.map((move) =>
        limit(async () => {
          try {
            await this.dynamo.send(
              new UpdateItemCommand({
                TableName: this.tableName,
                Key: { pk: { S: itemPk(move.itemId) }, sk: { S: ITEM_SK } },
                UpdateExpression: 'SET storyId = :story, #version = #version + :one',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':story': { S: move.storyId }, ':one': { N: '1' } },
              }),
            );
          } catch (err) {
            if (err instanceof ConditionalCheckFailedException) missing.push(move.itemId);
            else throw dynamoError(`UpdateItem ${itemPk(move.itemId)}`, this.tableName, err);
          }
        }),
      ),
    );
    return missing;
  }

  /** Member rows, with BatchWriteItem. */
  async putMembers(members: StoryMember[]): Promise<void> {
    await batchPutRows(this.dynamo, this.tableName, members.map(memberRow));
  }

  /**
   * Adds inbox objects as rows. A row instead of an S3 object: a put costs about a quarter of a
   * PUT request at these sizes, and the publisher reads every object with one Query instead of a
   * LIST and a GET each.
   */
  async putInbox(objects: InboxObject[]): Promise<void> {
    const expires = { N: String(Math.floor(Date.now() / 1000) + INBOX_RETENTION_DAYS * 86_400) };
    await batchPutRows(this.dynamo, this.tableName, objects.map((o) => ({ pk: { S: INBOX_PK }, sk: { S: o.name }, body: { B: o.body }, [TABLE_SCHEMA.ttlAttribute]: expires })));
  }

  /** The oldest `limit` inbox objects named after `after` (strongly consistent: a fetch that finished is seen). */
  async readInbox(limit: number, after?: string): Promise<InboxObject[]> {
    const out: InboxObject[] = [];
    for (const row of await this.queryRows(INBOX_PK, limit, true, after === undefined ? undefined : { op: '>', value: after })) {
      const name = row.sk?.S;
      // A row without a body is unreadable, like a corrupt body: the caller moves it aside.
      if (name !== undefined) out.push({ name, body: row.body?.B ?? new Uint8Array() });
    }
    return out;
  }

  /** Removes inbox rows by name, with BatchWriteItem. */
  async deleteInbox(names: string[]): Promise<void> {
    await batchDeleteRows(this.dynamo, this.tableName, names.map((name) => ({ pk: { S: INBOX_PK }, sk: { S: name } })));
  }

  /** Where the assigner is in the inbox. */
  async inboxCursor(): Promise<InboxCursor> {
    let row: Row | undefined;
    try {
      row = (await this.dynamo.send(new GetItemCommand({ TableName: this.tableName, Key: CURSOR_KEY, ConsistentRead: true }))).Item;
    } catch (err) {
      throw dynamoError('GetItem META/INBOX_CURSOR', this.tableName, err);
    }
    return { ...(row?.through?.S ? { through: row.through.S } : {}), done: row?.done?.SS ?? [] };
  }

  /** Stores the cursor (UpdateItem, which the publisher's role has); an empty `done` is left out (a string set cannot be empty). */
  async setInboxCursor(cursor: InboxCursor): Promise<void> {
    const sets: string[] = [];
    const removes: string[] = [];
    const values: Record<string, AttributeValue> = {};
    if (cursor.through === undefined) removes.push('#through');
    else {
      sets.push('#through = :through');
      values[':through'] = { S: cursor.through };
    }
    if (cursor.done.length === 0) removes.push('#done');
    else {
      sets.push('#done = :done');
      values[':done'] = { SS: [...new Set(cursor.done)] };
    }
    const expression = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
    try {
      await this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: CURSOR_KEY,
          UpdateExpression: expression,
          ExpressionAttributeNames: { '#through': 'through', '#done': 'done' },
          ...(sets.length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (err) {
      throw dynamoError('UpdateItem META/INBOX_CURSOR', this.tableName, err);
    }
  }

  /** Deletes up to `limit` inbox objects named before `before`; returns how many. */
  async sweepInbox(before: string, limit: number): Promise<number> {
    const rows = await this.queryRows(INBOX_PK, limit, false, { op: '<', value: before }, true);
    const names = rows.map((row) => row.sk?.S).filter((name): name is string => name !== undefined);
    await this.deleteInbox(names);
    return names.length;
  }

  /** A story's member rows in sort-key (arrival) order, paged up to STORY_MEMBER_LIMIT. */
  async members(storyId: string): Promise<StoryMember[]> {
    const out: StoryMember[] = [];
    for (const row of await this.queryRows(storyPk(storyId), STORY_MEMBER_LIMIT)) {
      const p = unmarshall(row) as Partial<StoryMember> & { itemId?: string };
      if (typeof p.itemId !== 'string' || typeof p.firstSeenAt !== 'string') continue;
      out.push({ storyId, itemId: p.itemId, firstSeenAt: p.firstSeenAt, sourceIds: Array.isArray(p.sourceIds) ? p.sourceIds : [], title: p.title ?? '', ...(p.url ? { url: p.url } : {}) });
    }
    return out.length > 0 ? out : this.storyOfOne(storyId);
  }

  /** Up to `limit` rows of partition `pk` in sort-key order (only sort keys `op` `value`, when given), page after page. */
  private async queryRows(pk: string, limit: number, consistentRead = false, sk?: { op: '<' | '>'; value: string }, keysOnly = false): Promise<Row[]> {
    const rows: Row[] = [];
    let start: Row | undefined;
    do {
      let page;
      try {
        page = await this.dynamo.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: sk ? `pk = :pk AND sk ${sk.op} :sk` : 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: pk }, ...(sk ? { ':sk': { S: sk.value } } : {}) },
            ...(keysOnly ? { ProjectionExpression: '#pk, #sk', ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' } } : {}),
            ...(consistentRead ? { ConsistentRead: true } : {}),
            Limit: limit - rows.length,
            ExclusiveStartKey: start,
          }),
        );
      } catch (err) {
        throw dynamoError(`Query ${pk}`, this.tableName, err);
      }
      rows.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && rows.length < limit);
    return rows;
  }

  /** A story without member rows: the item whose id is the story's, when it is still in its own story. */
  private async storyOfOne(storyId: string): Promise<StoryMember[]> {
    let row: Row | undefined;
    try {
      row = (
        await this.dynamo.send(
          new GetItemCommand({
            TableName: this.tableName,
            Key: { pk: { S: itemPk(storyId) }, sk: { S: ITEM_SK } },
            ProjectionExpression: 'id, storyId, firstSeenAt, sourceIds, title, #url',
            ExpressionAttributeNames: { '#url': 'url' },
          }),
        )
      ).Item;
    } catch (err) {
      throw dynamoError(`GetItem ${itemPk(storyId)}`, this.tableName, err);
    }
    if (!row) return [];
    const item = unmarshall(row) as { storyId?: unknown; firstSeenAt?: unknown; sourceIds?: unknown; title?: unknown; url?: unknown };
    if ((item.storyId ?? storyId) !== storyId || typeof item.firstSeenAt !== 'string') return [];
    const sourceIds = Array.isArray(item.sourceIds) ? item.sourceIds.filter((s): s is string => typeof s === 'string') : [];
    return [{ storyId, itemId: storyId, firstSeenAt: item.firstSeenAt, sourceIds, title: typeof item.title === 'string' ? item.title : '', ...(typeof item.url === 'string' ? { url: item.url } : {}) }];
  }
}
