/**
 * The wiring of one process: config → SDK clients → repositories and the fetch dispatcher. Handlers build it once
 * per container (lazily, on first use); tests and the local runner build their own from a Config.
 */
import { loadConfig, type Config } from './config';
import { S3BlobStore } from './store/blobs';
import { createClients } from './store/clients';
import { DynamoItemRepository } from './store/items';
import { LambdaFetchDispatcher, MemoryFetchDispatcher, lambdaInvoker } from './store/dispatch';
import type { BlobStore, FetchDispatcher, ItemRepository, StateRepository, StoryRepository } from './store/ports';
import { DynamoStateRepository } from './store/state';
import { DynamoStoryRepository } from './store/stories';
import { trackUsage, type StorageUsage } from './store/usage';

/** Everything a handler needs, built from one Config. */
export interface Runtime {
  config: Config;
  items: ItemRepository;
  states: StateRepository;
  stories: StoryRepository;
  blobs: BlobStore;
  /** Hands fetch jobs to fetcher invocations. */
  dispatcher: FetchDispatcher;
}

/** The in-process dispatcher used when no fetcher function is configured (the local runner drains it). */
export const localDispatcher = new MemoryFetchDispatcher();

/** Builds the runtime for a config: Lambda invokes when a fetcher function is set, the in-process dispatcher otherwise; `usage` counts storage calls. */
export function createRuntime(config: Config, usage?: StorageUsage): Runtime {
  const clients = createClients(config);
  if (usage) trackUsage(clients, usage);
  return {
    config,
    items: new DynamoItemRepository(clients.dynamo, config),
    states: new DynamoStateRepository(clients.dynamo, config),
    stories: new DynamoStoryRepository(clients.dynamo, config),
    blobs: new S3BlobStore(clients.s3, config.bucketName),
    dispatcher: config.fetcherFunction ? new LambdaFetchDispatcher(lambdaInvoker(config.region), config.fetcherFunction) : localDispatcher,
  };
}

let cached: Runtime | undefined;

/** The process-wide runtime from the environment, built on first use (one per Lambda container). */
export function runtimeFromEnv(): Runtime {
  cached ??= createRuntime(loadConfig());
  return cached;
}
