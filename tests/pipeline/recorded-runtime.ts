/**
 * A runtime on the real local stores (dynalite, s3rver) whose storage work is recorded: every
 * DynamoDB write with the key it wrote, every S3 GET and PUT with its key, and the item reads the
 * pipeline asks for (a counting wrapper around the real item repository). Nothing is mocked.
 */
import { expect } from 'vitest';
import type { Config } from '../../shared/config';
import type { Source } from '../../shared/model';
import { publishFeeds } from '../../shared/pipeline/publish-feeds';
import { manifestKey } from '../../shared/pipeline/publish-manifest';
import { localDispatcher, type Runtime } from '../../shared/runtime';
import { S3BlobStore } from '../../shared/store/blobs';
import { createClients, type AwsClients } from '../../shared/store/clients';
import { DynamoItemRepository } from '../../shared/store/items';
import type { ItemRepository } from '../../shared/store/ports';
import { DynamoStateRepository } from '../../shared/store/state';
import { DynamoStoryRepository } from '../../shared/store/stories';

/** What the runtime's storage calls were since the last reset. */
export interface StorageLog {
  /** `<Command> <pk>/<sk>` of each single-row DynamoDB write (PutItem, UpdateItem). */
  writes: string[];
  /** Keys of S3 GetObject and PutObject calls. */
  gets: string[];
  puts: string[];
  /** Item reads through the item repository: `newest:<sourceId|*>` (`>=<since>` when bounded), `getItems:<n>` and `resolveKeys:<n>`. */
  itemReads: string[];
  reset(): void;
}

type Input = { Key?: Record<string, { S?: string }>; Item?: Record<string, { S?: string }>; Bucket?: string };

function keyOf(input: Input): string {
  const row = input.Key ?? input.Item ?? {};
  return `${row.pk?.S ?? '?'}/${row.sk?.S ?? '?'}`;
}

function record(clients: AwsClients, log: StorageLog): void {
  clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      if (name === 'PutItemCommand' || name === 'UpdateItemCommand') log.writes.push(`${name.replace('Command', '')} ${keyOf(args.input as Input)}`);
      return next(args);
    },
    { step: 'initialize', name: 'testStorageLog' },
  );
  clients.s3.middlewareStack.add(
    (next, context) => async (args) => {
      const key = String((args.input as { Key?: string }).Key ?? '');
      if (context.commandName === 'GetObjectCommand') log.gets.push(key);
      if (context.commandName === 'PutObjectCommand') log.puts.push(key);
      return next(args);
    },
    { step: 'initialize', name: 'testStorageLog' },
  );
}

/** Wraps an item repository so that its reads are logged (every other method is the real one's). */
function countingItems(items: ItemRepository, log: StorageLog): ItemRepository {
  const wrapped = Object.create(items) as ItemRepository;
  wrapped.resolveKeys = (keys) => {
    log.itemReads.push(`resolveKeys:${keys.length}`);
    return items.resolveKeys(keys);
  };
  wrapped.getItems = (ids) => {
    log.itemReads.push(`getItems:${ids.length}`);
    return items.getItems(ids);
  };
  wrapped.newest = (query) => {
    log.itemReads.push(`newest:${query.sourceId ?? '*'}${query.since ? `>=${query.since}` : ''}`);
    return items.newest(query);
  };
  return wrapped;
}

/** A runtime on `config`'s (already created) table and bucket, with its storage log. */
export function recordedRuntime(config: Config): { rt: Runtime; log: StorageLog; clients: AwsClients } {
  const clients = createClients(config);
  const log: StorageLog = {
    writes: [],
    gets: [],
    puts: [],
    itemReads: [],
    reset() {
      for (const list of [this.writes, this.gets, this.puts, this.itemReads]) list.length = 0;
    },
  };
  record(clients, log);
  const rt: Runtime = {
    config,
    items: countingItems(new DynamoItemRepository(clients.dynamo, config), log),
    states: new DynamoStateRepository(clients.dynamo, config),
    stories: new DynamoStoryRepository(clients.dynamo, config),
    blobs: new S3BlobStore(clients.s3, config.bucketName),
    dispatcher: localDispatcher,
  };
  return { rt, log, clients };
}

/** The state-row writes of a log (`SOURCE#<id>` rows), as `<Command> <id>`. */
export function stateWrites(log: StorageLog): string[] {
  return log.writes.filter((w) => w.includes('SOURCES/SOURCE#')).map((w) => w.replace(/ SOURCES\/SOURCE#/, ' ')).sort();
}

/** A full publish that compares every file with the stored bytes (the manifest spoilt) must find nothing to write: the incremental publishes before it left every file right. */
export async function expectAllPublished(sources: Source[], rt: Runtime): Promise<void> {
  await rt.blobs.put(manifestKey(rt.config.publishPrefix), 'not a manifest');
  const full = await publishFeeds(sources, rt);
  expect(full.full).toBe(true);
  expect(full.written).toEqual([]);
}
