/**
 * DynamoStoryRepository: story clustering rows in the single table (see table.ts):
 *
 *   band       LSH#<bandKey>             B                         itemId (the last item listed under the band)
 *   signature  ITEM#<itemId>             SIG                       minhash (base64 of uint32 LE), size, storyId
 *   member     STORY#<storyId>           <firstSeenAt>#<itemId>    itemId, sourceIds, url, title
 *
 * A band row holds one item, the last one written under it: candidates for a batch of items are
 * read with BatchGetItem (100 band keys per call) instead of one Query per band, and band rows are
 * overwritten, so the table does not grow by a row per band per item. The cost is recall at the
 * margin: a band shared with an unrelated later item (boilerplate) points at that item instead, so a
 * republication is found through its other bands (an item has 13, a true copy shares most of them).
 * Nothing scans.
 */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Config } from '../config';
import { batchGetRows, batchPutRows, dynamoError } from './dynamo-batch';
import type { StoredSignature, StoryEntry, StoryMember, StoryRepository } from './ports';
import { itemPk, stringAttribute, type Row } from './rows';

/** Partition key of an LSH band. */
export const bandPk = (bandKey: string): string => `LSH#${bandKey}`;
/** Sort key of a band row (one row per band). */
export const BAND_SK = 'B';
/** Sort key of an item's signature row (partition ITEM#<id>). */
export const SIGNATURE_SK = 'SIG';
/** Partition key of a story's member rows. */
export const storyPk = (storyId: string): string => `STORY#${storyId}`;
/** Sort key of a member row: arrival order. */
export const memberSk = (firstSeenAt: string, itemId: string): string => `${firstSeenAt}#${itemId}`;

/** Candidates kept per item (its bands hold at most one each). */
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
    ...[...new Set(entry.bands)].map((band) => marshall({ pk: bandPk(band), sk: BAND_SK, itemId: signature.itemId })),
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

  /**
   * For each list of band keys, the ids of the items listed under them, most shared bands first, at
   * most CANDIDATE_LIMIT: every distinct band of the call is read once, with BatchGetItem.
   */
  async candidates(bandLists: string[][]): Promise<string[][]> {
    const bands = [...new Set(bandLists.flat())];
    const rows = await batchGetRows(this.dynamo, this.tableName, bands.map((band) => ({ pk: { S: bandPk(band) }, sk: { S: BAND_SK } })), {
      attributes: ['pk', 'itemId'],
      consistentRead: true,
    });
    const listed = new Map<string, string>();
    for (const row of rows) {
      const pk = stringAttribute(row, 'pk');
      const itemId = stringAttribute(row, 'itemId');
      if (pk && itemId) listed.set(pk, itemId);
    }
    return bandLists.map((list) => {
      const counts = new Map<string, number>();
      for (const band of new Set(list)) {
        const id = listed.get(bandPk(band));
        if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, CANDIDATE_LIMIT)
        .map(([id]) => id);
    });
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
