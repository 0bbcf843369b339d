/** DynamoStateRepository: per-source state (pk SOURCES) and cycle history (pk CYCLES) in the single table. */
import { ConditionalCheckFailedException, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Config } from '../config';
import type { SourceState } from '../model';
import { StaleStateError, StoreError } from '../errors';
import type { CycleCounts, CycleRecord, PutStateOptions, StateRepository } from './ports';
import { BATCH_GET_LIMIT, batchGetRows, dynamoError } from './dynamo-batch';
import { CYCLES_PK, SOURCES_PK, sourceSeenSk, sourceStateSk, withoutAttributes, type Row } from './rows';
import { TABLE_SCHEMA } from './table';

/** How long a cycle record is kept before TTL may remove it. */
const CYCLE_RETENTION_SECONDS = 90 * 24 * 60 * 60;
/** Upper bound on the pages one listing reads (a safety net; 1 MB per page). */
const MAX_PAGES = 10_000;
const KEY_ATTRIBUTES = ['pk', 'sk'] as const;
/** getStates reads the whole SOURCES partition by Query when asked for more ids than this (one BatchGetItem call's worth). */
export const QUERY_STATES_ABOVE = BATCH_GET_LIMIT;
/** Source-state updates sent at once by markFeedsChanged. */
const MARK_CONCURRENCY = 8;

/**
 * Every attribute putState owns: it sets those a state has and removes the others, which makes
 * the update a replacement. feedVersion is left out on purpose (only ADD touches it, so a state
 * write never undoes another fetcher's markFeedsChanged); writtenAt is stamped by putState itself.
 * A Record, so that a new SourceState field that is missing here fails to compile.
 */
const OWNED_FIELDS: Record<Exclude<keyof SourceState, 'sourceId' | 'feedVersion' | 'writtenAt'>, true> = {
  url: true, configuredUrl: true, etag: true, lastModified: true, status: true, lastError: true, lastStatusCode: true,
  consecutiveFailures: true, lastFetchAt: true, lastSuccessAt: true, nextFetchAt: true, lastBodyHash: true,
  lastRawKey: true, lastRawRange: true, seen: true, itemsSeen: true, feedTitle: true, itemsPerDay: true,
};

/**
 * State fields stored as one JSON string attribute instead of a map: as a DynamoDB map each entry
 * is a typed attribute to encode, send and decode on every read of every state (the scheduler reads
 * all of them each cycle).
 */
const PACKED_FIELDS = ['itemsPerDay'] as const;

/** A state row as stored: packed fields as JSON strings. */
function packState(present: Record<string, unknown>): Record<string, unknown> {
  const out = { ...present };
  for (const field of PACKED_FIELDS) if (out[field] !== undefined) out[field] = JSON.stringify(out[field]);
  return out;
}

/**
 * The SourceState of a stored row: packed fields parsed (a map written before packing is taken as is).
 * `seen` lives in its own row (getSeen); a state row an older version wrote may still hold it (as
 * bytes): it is passed on, and the next putState moves it to its row.
 */
function stateFromRow(row: Row): SourceState {
  const state = withoutAttributes<Record<string, unknown>>(row, KEY_ATTRIBUTES);
  // Fingerprints stored by an older version (a map, or its JSON) are of another shape: dropped, their
  // entries are looked up once more on the next changed fetch.
  if (state.seen instanceof Uint8Array) state.seen = Buffer.from(state.seen).toString('base64');
  else delete state.seen;
  for (const field of PACKED_FIELDS) {
    const value = state[field];
    if (typeof value !== 'string') continue;
    try {
      state[field] = JSON.parse(value);
    } catch (err) {
      throw new StoreError(`the stored ${field} of ${String(state.sourceId)} is not JSON`, { cause: err });
    }
  }
  return state as unknown as SourceState;
}

/** The StateRepository port on DynamoDB. */
export class DynamoStateRepository implements StateRepository {
  private readonly tableName: string;

  constructor(
    private readonly dynamo: DynamoDBClient,
    config: Config,
  ) {
    this.tableName = config.tableName;
  }

  /**
   * States of the given sources; sources without state are absent. Eventually consistent (half the
   * read units): states are read three times a cycle, and a state a second old costs at most a 200
   * instead of a 304, or a feed published one run later — never a lost or duplicated item.
   * More than QUERY_STATES_ABOVE ids (the scheduler, fetchers' batches aside, and the publisher ask for
   * every configured source) are read with one paginated Query of the SOURCES partition, which rounds
   * the total size up to 4 KB once per page instead of once per row as BatchGetItem does.
   */
  async getStates(sourceIds: string[]): Promise<Map<string, SourceState>> {
    const ids = [...new Set(sourceIds)];
    const states = new Map<string, SourceState>();
    if (ids.length > QUERY_STATES_ABOVE) {
      const wanted = new Set(ids);
      for (const state of await this.queryStates()) if (wanted.has(state.sourceId)) states.set(state.sourceId, state);
      return states;
    }
    const rows = await batchGetRows(
      this.dynamo,
      this.tableName,
      ids.map((id) => ({ pk: { S: SOURCES_PK }, sk: { S: sourceStateSk(id) } })),
      { consistentRead: false },
    );
    for (const row of rows) {
      const state = stateFromRow(row);
      states.set(state.sourceId, state);
    }
    return states;
  }

  /**
   * Replaces a source's state with one UpdateItem (SET what it has, REMOVE what it lacks) and stamps
   * writtenAt; feedVersion is never overwritten, only bumped with ADD when `feedChanged`. Its `seen`,
   * when set, goes to the source's fingerprint row at the same time (and never into the state row,
   * which the scheduler and publisher read for every source each cycle; about half its bytes).
   * Written in either order, fingerprints only ever describe items already written: a stale or
   * missing row costs lookups, never an entry.
   */
  async putState(state: SourceState, options: PutStateOptions = {}): Promise<void> {
    const present: Record<string, unknown> = { sourceId: state.sourceId, writtenAt: new Date().toISOString() };
    const absent: string[] = [];
    for (const field of Object.keys(OWNED_FIELDS) as (keyof typeof OWNED_FIELDS)[]) {
      if (state[field] === undefined || field === 'seen') absent.push(field);
      else present[field] = state[field];
    }
    const values: Record<string, AttributeValue> = {};
    const names: Record<string, string> = {};
    const sets = Object.entries(marshall(packState(present), { removeUndefinedValues: true })).map(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const removes = absent.map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
    let expression = `SET ${sets.join(', ')}`;
    if (options.feedChanged) {
      names['#fv'] = 'feedVersion';
      values[':one'] = { N: '1' };
      expression += ' ADD #fv :one';
    }
    if (removes.length > 0) expression += ` REMOVE ${removes.join(', ')}`;
    let condition: string | undefined;
    if (options.expectedWrittenAt !== undefined) {
      names['#wa'] = 'writtenAt';
      if (options.expectedWrittenAt === null) condition = 'attribute_not_exists(#wa)';
      else {
        condition = '#wa = :wa';
        values[':wa'] = { S: options.expectedWrittenAt };
      }
    }
    const seen = state.seen;
    try {
      await Promise.all([
        this.update(state.sourceId, expression, names, values, condition),
        seen === undefined ? undefined : this.put({ pk: SOURCES_PK, sk: sourceSeenSk(state.sourceId), seen: Buffer.from(seen, 'base64') }, `PutItem ${sourceSeenSk(state.sourceId)}`),
      ]);
    } catch (err) {
      if (err instanceof StoreError && err.cause instanceof ConditionalCheckFailedException) throw new StaleStateError(state.sourceId);
      throw err;
    }
  }

  /** A source's entry fingerprints as its last changed fetch left them (eventually consistent); undefined when none are stored. */
  async getSeen(sourceId: string): Promise<string | undefined> {
    // BatchGetItem, which the fetcher's role already has (one key).
    const [row] = await batchGetRows(this.dynamo, this.tableName, [{ pk: { S: SOURCES_PK }, sk: { S: sourceSeenSk(sourceId) } }], { consistentRead: false });
    const seen = row?.seen?.B;
    return seen ? Buffer.from(seen).toString('base64') : undefined;
  }

  /** Bumps feedVersion of each source (a source without a state row gets a minimal one: id, zero counters); returns the versions the bumps gave. */
  async markFeedsChanged(sourceIds: string[]): Promise<Map<string, number>> {
    const ids = [...new Set(sourceIds)];
    const versions = new Map<string, number>();
    for (let i = 0; i < ids.length; i += MARK_CONCURRENCY) {
      await Promise.all(
        ids.slice(i, i + MARK_CONCURRENCY).map(async (id) => {
          const after = await this.update(
            id,
            'SET #id = if_not_exists(#id, :id), #cf = if_not_exists(#cf, :zero), #is = if_not_exists(#is, :zero) ADD #fv :one',
            { '#id': 'sourceId', '#cf': 'consecutiveFailures', '#is': 'itemsSeen', '#fv': 'feedVersion' },
            { ':id': { S: id }, ':zero': { N: '0' }, ':one': { N: '1' } },
            undefined,
            true,
          );
          const version = Number(after?.feedVersion?.N);
          if (Number.isFinite(version)) versions.set(id, version);
        }),
      );
    }
    return versions;
  }

  /** Every stored source state, by a paginated Query on the SOURCES partition. */
  async listStates(): Promise<SourceState[]> {
    return this.queryStates();
  }

  /** Every stored source's feedVersion, by a Query of the SOURCES partition that returns only the id and the version. */
  async feedVersions(): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    for (const row of await this.querySources({ ProjectionExpression: '#id, #fv', ExpressionAttributeNames: { '#id': 'sourceId', '#fv': 'feedVersion' } })) {
      const id = row.sourceId?.S;
      if (id !== undefined) versions.set(id, Number(row.feedVersion?.N ?? 0));
    }
    return versions;
  }

  /** Every stored source state: a paginated, eventually consistent Query of the SOURCES partition. */
  private async queryStates(): Promise<SourceState[]> {
    return (await this.querySources()).map(stateFromRow);
  }

  /** The rows of the SOURCES partition (optionally projected), eventually consistent, page by page. */
  private async querySources(projection?: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> }): Promise<Row[]> {
    const rows: Row[] = [];
    let startKey: Row | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const output = await this.query({
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ...(projection ? { ProjectionExpression: projection.ProjectionExpression } : {}),
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', ...(projection?.ExpressionAttributeNames ?? {}) },
        ExpressionAttributeValues: { ':pk': { S: SOURCES_PK }, ':prefix': { S: sourceStateSk('') } },
        ConsistentRead: false,
        ExclusiveStartKey: startKey,
      });
      rows.push(...(output.Items ?? []));
      startKey = output.LastEvaluatedKey;
      if (!startKey) return rows;
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

  /** The cycles that started at or after `since`, oldest first (strongly consistent, so the scheduler sees every cycle it opened). */
  async cyclesSince(since: string): Promise<CycleRecord[]> {
    const cycles: CycleRecord[] = [];
    let startKey: Row | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const output = await this.query({
        KeyConditionExpression: '#pk = :pk AND #sk >= :since',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': { S: CYCLES_PK }, ':since': { S: since } },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      });
      cycles.push(...(output.Items ?? []).map((row) => withoutAttributes<CycleRecord>(row, [...KEY_ATTRIBUTES, TABLE_SCHEMA.ttlAttribute])));
      startKey = output.LastEvaluatedKey;
      if (!startKey) return cycles;
    }
    throw new StoreError(`DynamoDB Query CYCLES on ${this.tableName} returned more than ${MAX_PAGES} pages`);
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

  /** Updates a state row; with `returnNew`, answers the attributes the update set (UPDATED_NEW). */
  private async update(sourceId: string, expression: string, names: Record<string, string>, values: Record<string, AttributeValue>, condition?: string, returnNew = false): Promise<Row | undefined> {
    try {
      const output = await this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: SOURCES_PK }, sk: { S: sourceStateSk(sourceId) } },
          UpdateExpression: expression,
          ...(condition ? { ConditionExpression: condition } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ...(returnNew ? { ReturnValues: 'UPDATED_NEW' as const } : {}),
        }),
      );
      return output.Attributes;
    } catch (err) {
      throw dynamoError(`UpdateItem ${sourceStateSk(sourceId)}`, this.tableName, err);
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
