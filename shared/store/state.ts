/** DynamoStateRepository: per-source state (pk SOURCES) and cycle history (pk CYCLES) in the single table. */
import { PutItemCommand, QueryCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Config } from '../config';
import type { SourceState } from '../model';
import { StoreError } from '../errors';
import type { CycleCounts, CycleRecord, StateRepository } from './ports';
import { batchGetRows, dynamoError } from './dynamo-batch';
import { CYCLES_PK, SOURCES_PK, sourceStateSk, withoutAttributes, type Row } from './rows';
import { TABLE_SCHEMA } from './table';

/** How long a cycle record is kept before TTL may remove it. */
const CYCLE_RETENTION_SECONDS = 90 * 24 * 60 * 60;
/** Upper bound on the pages one listing reads (a safety net; 1 MB per page). */
const MAX_PAGES = 10_000;
const KEY_ATTRIBUTES = ['pk', 'sk'] as const;

/** The StateRepository port on DynamoDB. */
export class DynamoStateRepository implements StateRepository {
  private readonly tableName: string;

  constructor(
    private readonly dynamo: DynamoDBClient,
    config: Config,
  ) {
    this.tableName = config.tableName;
  }

  /** States of the given sources; sources without state are absent. */
  async getStates(sourceIds: string[]): Promise<Map<string, SourceState>> {
    const rows = await batchGetRows(
      this.dynamo,
      this.tableName,
      [...new Set(sourceIds)].map((id) => ({ pk: { S: SOURCES_PK }, sk: { S: sourceStateSk(id) } })),
      { consistentRead: true },
    );
    const states = new Map<string, SourceState>();
    for (const row of rows) {
      const state = withoutAttributes<SourceState>(row, KEY_ATTRIBUTES);
      states.set(state.sourceId, state);
    }
    return states;
  }

  /** Replaces a source's state. */
  async putState(state: SourceState): Promise<void> {
    await this.put(
      { ...state, pk: SOURCES_PK, sk: sourceStateSk(state.sourceId) },
      `PutItem ${sourceStateSk(state.sourceId)}`,
    );
  }

  /** Every stored source state, by a paginated Query on the SOURCES partition. */
  async listStates(): Promise<SourceState[]> {
    const states: SourceState[] = [];
    let startKey: Row | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const output = await this.query({
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': { S: SOURCES_PK }, ':prefix': { S: sourceStateSk('') } },
        ExclusiveStartKey: startKey,
      });
      states.push(...(output.Items ?? []).map((row) => withoutAttributes<SourceState>(row, KEY_ATTRIBUTES)));
      startKey = output.LastEvaluatedKey;
      if (!startKey) return states;
    }
    throw new StoreError(`DynamoDB Query SOURCES on ${this.tableName} returned more than ${MAX_PAGES} pages`);
  }

  /** Records a cycle; it expires (TTL) 90 days after it started. */
  async putCycle(cycle: CycleRecord): Promise<void> {
    const started = Date.parse(cycle.startedAt);
    const base = Number.isNaN(started) ? Date.now() : started;
    await this.put(
      {
        ...cycle,
        pk: CYCLES_PK,
        sk: cycle.startedAt,
        [TABLE_SCHEMA.ttlAttribute]: Math.floor(base / 1000) + CYCLE_RETENTION_SECONDS,
      },
      `PutItem cycle ${cycle.startedAt}`,
    );
  }

  /** Adds counts to a cycle row with ADD (atomic across concurrent fetchers) and sets finishedAt. */
  async addToCycle(startedAt: string, counts: CycleCounts, finishedAt: string): Promise<void> {
    const names = Object.keys(counts) as (keyof CycleCounts)[];
    try {
      await this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: CYCLES_PK }, sk: { S: startedAt } },
          UpdateExpression: `ADD ${names.map((n, i) => `#c${i} :c${i}`).join(', ')} SET #fin = :fin`,
          ExpressionAttributeNames: { ...Object.fromEntries(names.map((n, i) => [`#c${i}`, n])), '#fin': 'finishedAt' },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((n, i) => [`:c${i}`, { N: String(counts[n]) }])),
            ':fin': { S: finishedAt },
          },
        }),
      );
    } catch (err) {
      throw dynamoError(`UpdateItem cycle ${startedAt}`, this.tableName, err);
    }
  }

  /** The `limit` most recent cycles, newest first. */
  async recentCycles(limit: number): Promise<CycleRecord[]> {
    if (limit <= 0) return [];
    const cycles: CycleRecord[] = [];
    let startKey: Row | undefined;
    do {
      const output = await this.query({
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': { S: CYCLES_PK } },
        ScanIndexForward: false,
        Limit: limit - cycles.length,
        ExclusiveStartKey: startKey,
      });
      cycles.push(
        ...(output.Items ?? []).map((row) =>
          withoutAttributes<CycleRecord>(row, [...KEY_ATTRIBUTES, TABLE_SCHEMA.ttlAttribute]),
        ),
      );
      startKey = output.LastEvaluatedKey;
    } while (startKey && cycles.length < limit);
    return cycles;
  }

  private async put(value: Record<string, unknown>, what: string): Promise<void> {
    try {
      await this.dynamo.send(
        new PutItemCommand({ TableName: this.tableName, Item: marshall(value, { removeUndefinedValues: true }) }),
      );
    } catch (err) {
      throw dynamoError(what, this.tableName, err);
    }
  }

  private async query(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) {
    try {
      return await this.dynamo.send(new QueryCommand({ TableName: this.tableName, ...input }));
    } catch (err) {
      throw dynamoError('Query', this.tableName, err);
    }
  }
}
