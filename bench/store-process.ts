/**
 * The embedded stores (dynalite + s3rver) in a child process, so a measurement's heap and CPU are
 * not the stores' (in AWS they are remote). Run as a script, it starts the stores, prints their
 * endpoints as one JSON line and stops when its stdin closes, i.e. when the parent exits or closes it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../shared/config';
import { createRuntime, type Runtime } from '../shared/runtime';
import { createClients, destroyClients } from '../shared/store/clients';
import { startLocalStores } from '../shared/store/local-stack';
import { ensureBucket, ensureTable } from '../shared/store/table';
import { emptyUsage, type StorageUsage } from '../shared/store/usage';

/** A runtime wired to stores in a child process, with the storage calls it made. */
export interface RemoteStack {
  config: Config;
  runtime: Runtime;
  usage: StorageUsage;
  /** CPU seconds the store process has used so far (user + system; NaN where /proc is not available). */
  cpuS(): number;
  close(): Promise<void>;
}

/** CPU seconds of a process from /proc/<pid>/stat (Linux; clock ticks at the usual 100 Hz). */
function processCpuS(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const STARTUP_TIMEOUT_MS = 60_000;

/** Starts the stores in a child process and returns a runtime wired to them (with `overrides` on the config). */
export async function startRemoteStack(overrides: Partial<Config> = {}): Promise<RemoteStack> {
  // TRIBUTARY_BENCH_STORE_PROFILE=<dir> writes a CPU profile of the store process there (diagnosis).
  const profile = process.env.TRIBUTARY_BENCH_STORE_PROFILE;
  const child = spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), '--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const endpoints = await new Promise<{ dynamoEndpoint: string; s3Endpoint: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the store process did not start')), STARTUP_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`the store process exited (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { dynamoEndpoint: string; s3Endpoint: string });
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin.end();
    });
  try {
    const config = loadConfig(process.env, { logLevel: 'SILENT', ...overrides, ...endpoints, fetcherFunction: undefined });
    const clients = createClients(config);
    await ensureTable(clients.dynamo, config.tableName);
    await ensureBucket(clients.s3, config.bucketName);
    destroyClients(clients);
    const usage = emptyUsage();
    return { config, runtime: createRuntime(config, usage), usage, cpuS: () => processCpuS(child.pid), close: stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function serve(): Promise<void> {
  const stores = await startLocalStores();
  process.stdout.write(`${JSON.stringify({ dynamoEndpoint: stores.dynamoEndpoint, s3Endpoint: stores.s3Endpoint })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void stores.close().then(() => process.exit(0)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void serve();
