/**
 * The local stack: dynalite and s3rver in-process (persisted under the data folder), the table and
 * bucket created, and a Runtime wired to them — the same repositories the Lambda functions use.
 */
import { mkdir } from 'node:fs/promises';
import { loadConfig, type Config } from '../../shared/config';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { createClients, destroyClients } from '../../shared/store/clients';
import { startLocalStores } from '../../shared/store/local-stack';
import { ensureBucket, ensureTable } from '../../shared/store/table';
import { emptyUsage, type StorageUsage } from '../../shared/store/usage';

/** A running local stack. */
export interface LocalStack {
  config: Config;
  runtime: Runtime;
  /** Storage calls made through the runtime so far. */
  usage: StorageUsage;
  close(): Promise<void>;
}

/** Options for the local stack. */
export interface LocalStackOptions {
  /** Folder for the embedded stores; undefined keeps everything in memory. */
  dataDir?: string;
  /** Extra hosts the fetch guard allows (e.g. the sample server's 127.0.0.1:port). */
  allowHosts: string[];
  publicUrl?: string;
  /** Handler log level (the local runner prints its own summary lines). */
  logLevel?: Config['logLevel'];
  /** Further config overrides (tests, benchmarks). */
  overrides?: Partial<Config>;
}

/** Starts the embedded stores and returns a runtime wired to them. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const stores = await startLocalStores({ dataDir: options.dataDir, dynamoPort: 0, s3Port: 0 });
  const base = loadConfig();
  const config: Config = {
    ...base,
    ...options.overrides,
    dynamoEndpoint: stores.dynamoEndpoint,
    s3Endpoint: stores.s3Endpoint,
    fetcherFunction: undefined,
    logLevel: options.logLevel ?? 'SILENT',
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    fetch: { ...base.fetch, ...options.overrides?.fetch, allowHosts: [...base.fetch.allowHosts, ...options.allowHosts] },
  };
  const clients = createClients(config);
  try {
    await ensureTable(clients.dynamo, config.tableName);
    await ensureBucket(clients.s3, config.bucketName);
  } catch (err) {
    await stores.close();
    throw err;
  } finally {
    destroyClients(clients);
  }
  const usage = emptyUsage();
  return { config, runtime: createRuntime(config, usage), usage, close: () => stores.close() };
}
