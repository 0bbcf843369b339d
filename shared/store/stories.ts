/**
 * DynamoStoryRepository: story clustering rows in the single table (see table.ts):
 *
 *   band       LSH#<bandKey>             <itemId>                  (keys only: one row per member)
 *   signature  ITEM#<itemId>             SIG                       minhash (base64 of uint32 LE), size, storyId
 *   member     STORY#<storyId>           <firstSeenAt>#<itemId>    itemId, sourceIds, url, title
 *
 * A band is read with one Query of at most BAND_READ_LIMIT rows; a band with more members than
 * BAND_MEMBER_LIMIT is uninformative and skipped. Nothing scans.
 */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Config } from '../config';
import { batchGetRows, batchPutRows, dynamoError } from './dynamo-batch';
import type { StoredSignature, StoryEntry, StoryMember, StoryRepository } from './ports';
import { itemPk, stringAttribute, type Row } from './rows';

/** Partition key of an LSH band. */
export const bandPk = (bandKey: string): string => `LSH#${bandKey}`;
/** Sort key of an item's signature row (partition ITEM#<id>). */
export const SIGNATURE_SK = 'SIG';
/** Partition key of a story's member rows. */
export const storyPk = (storyId: string): string => `STORY#${storyId}`;
/** Sort key of a member row: arrival order. */
export const memberSk = (firstSeenAt: string, itemId: string): string => `${firstSeenAt}#${itemId}`;

/** Members of a band beyond which the band says nothing (a boilerplate shingle run): skipped. */
export const BAND_MEMBER_LIMIT = 50;
/** Candidates whose signatures are read per lookup (one BatchGetItem call). */
export const CANDIDATE_LIMIT = 100;
/** Member rows a story lists at most. */
export const STORY_MEMBER_LIMIT = 500;

/** Base64 of the MinHash values as little-endian uint32. */
export function encodeMinhash(values: readonly number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeUInt32LE(v >>> 0, i * 4));
  return buf.toString('base64');
}

/** The MinHash values of `encodeMinhash`'s output. */
export function decodeMinhash(text: string): number[] {
  const buf = Buffer.from(text, 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readUInt32LE(i));
  return out;
}

/** The rows of one story entry: one per band, the signature, the membership. */
export function storyRows(entry: StoryEntry): Row[] {
  const { signature, member } = entry;
  return [
    ...[...new Set(entry.bands)].map((band) => marshall({ pk: bandPk(band), sk: signature.itemId })),
    marshall({ pk: itemPk(signature.itemId), sk: SIGNATURE_SK, minhash: encodeMinhash(signature.minhash), size: signature.size, storyId: signature.storyId }),
    memberRow(member),
  ];
}

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

  /** Item ids under the bands (parallel Queries, one per band), most shared bands first, at most CANDIDATE_LIMIT. */
  async candidates(bands: string[]): Promise<string[]> {
    const lists = await Promise.all([...new Set(bands)].map((band) => this.bandMembers(band)));
    const counts = new Map<string, number>();
    for (const list of lists) for (const id of list ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, CANDIDATE_LIMIT)
      .map(([id]) => id);
  }

  /** The members of one band, or undefined when it has more than BAND_MEMBER_LIMIT. */
  private async bandMembers(band: string): Promise<string[] | undefined> {
    try {
      const out = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: bandPk(band) } },
          ProjectionExpression: 'sk',
          Limit: BAND_MEMBER_LIMIT + 1,
          ConsistentRead: true,
        }),
      );
      const rows = out.Items ?? [];
      if (rows.length > BAND_MEMBER_LIMIT) return undefined;
      return rows.map((row) => stringAttribute(row, 'sk')).filter((id): id is string => id !== undefined);
    } catch (err) {
      throw dynamoError(`Query ${bandPk(band)}`, this.tableName, err);
    }
  }

  /** Signatures by item id, read with BatchGetItem. */
  async signatures(itemIds: string[]): Promise<Map<string, StoredSignature>> {
    const rows = await batchGetRows(
      this.dynamo,
      this.tableName,
      [...new Set(itemIds)].map((id) => ({ pk: { S: itemPk(id) }, sk: { S: SIGNATURE_SK } })),
      { attributes: ['pk', 'minhash', 'size', 'storyId'], consistentRead: true },
    );
    const out = new Map<string, StoredSignature>();
    for (const row of rows) {
      const plain = unmarshall(row) as { pk: string; minhash?: string; size?: number; storyId?: string };
      const itemId = plain.pk.slice('ITEM#'.length);
      if (typeof plain.minhash !== 'string' || typeof plain.size !== 'number' || typeof plain.storyId !== 'string') continue;
      out.set(itemId, { itemId, minhash: decodeMinhash(plain.minhash), size: plain.size, storyId: plain.storyId });
    }
    return out;
  }

  /** Band, signature and member rows of each entry, with BatchWriteItem. */
  async putStories(entries: StoryEntry[]): Promise<void> {
    await batchPutRows(this.dynamo, this.tableName, entries.flatMap(storyRows));
  }

  /** Member rows, with BatchWriteItem. */
  async putMembers(members: StoryMember[]): Promise<void> {
    await batchPutRows(this.dynamo, this.tableName, members.map(memberRow));
  }

  /** A story's member rows in sort-key (arrival) order, paged up to STORY_MEMBER_LIMIT. */
  async members(storyId: string): Promise<StoryMember[]> {
    const out: StoryMember[] = [];
    let start: Row | undefined;
    do {
      let page;
      try {
        page = await this.dynamo.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: storyPk(storyId) } },
            Limit: STORY_MEMBER_LIMIT - out.length,
            ExclusiveStartKey: start,
          }),
        );
      } catch (err) {
        throw dynamoError(`Query ${storyPk(storyId)}`, this.tableName, err);
      }
      for (const row of page.Items ?? []) {
        const p = unmarshall(row) as Partial<StoryMember> & { itemId?: string };
        if (typeof p.itemId !== 'string' || typeof p.firstSeenAt !== 'string') continue;
        out.push({ storyId, itemId: p.itemId, firstSeenAt: p.firstSeenAt, sourceIds: Array.isArray(p.sourceIds) ? p.sourceIds : [], title: p.title ?? '', ...(p.url ? { url: p.url } : {}) });
      }
      start = page.LastEvaluatedKey;
    } while (start && out.length < STORY_MEMBER_LIMIT);
    return out;
  }
}
