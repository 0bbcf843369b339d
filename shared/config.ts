/**
 * Configuration: the only module that reads `process.env`. Everything else receives a `Config`.
 * Variable names are documented in the README; the CDK stack sets the same names on each function.
 */
import { ConfigError } from './errors';

/** Limits and politeness settings for fetching. */
export interface FetchSettings {
  userAgent: string;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  /** Abort when no body byte arrives for this long (slow drip). */
  idleTimeoutMs: number;
  /** Cap on the body, checked on the wire bytes and on the decompressed bytes. */
  maxBodyBytes: number;
  maxRedirects: number;
  /** Requests one fetcher invocation keeps in flight (most wait on the network, and a 304 has no body). */
  concurrency: number;
  /** Of those, responses whose bodies are read and processed at once: what bounds a fetcher's memory. */
  bodyConcurrency: number;
  /** Requests at once to one host. */
  perHostConcurrency: number;
  /** Hosts (`host` or `host:port`) exempt from the private-address guard, e.g. a loopback test server. */
  allowHosts: string[];
}

/** Everything a handler, the CLI or the local runner needs to know. */
export interface Config {
  region: string;
  tableName: string;
  bucketName: string;
  /** Set locally (dynalite, DynamoDB Local); unset in AWS. */
  dynamoEndpoint?: string;
  /** Set locally (s3rver); unset in AWS. */
  s3Endpoint?: string;
  /** The fetcher function (name or ARN) the scheduler invokes with fetch jobs; unset locally (an in-process dispatcher is used). */
  fetcherFunction?: string;
  /** Key of the sources OPML in the bucket. */
  sourcesKey: string;
  /** Prefix of published feeds in the bucket. */
  publishPrefix: string;
  fetch: FetchSettings;
  /** Default minutes between fetches of one source. */
  fetchIntervalMinutes: number;
  /** Combined feed: title, size, public base URL (for self links and ids). */
  feedTitle: string;
  feedItems: number;
  publicUrl: string;
  /** Write shards per month in the newest-items index (spreads writes; publish reads all). */
  indexShards: number;
  /** WebSub hub advertised in every feed and pinged when a feed changes. */
  websubHub?: string;
  /** Handler log level: DEBUG, INFO, WARN, ERROR, SILENT. */
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;

function logLevel(raw: string | undefined): Config['logLevel'] {
  const level = (raw ?? 'INFO').toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError(`TRIBUTARY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level as Config['logLevel'];
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** Reads the configuration from an environment (default `process.env`), with optional overrides. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const base: Config = {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    tableName: env.TRIBUTARY_TABLE ?? 'tributary',
    bucketName: env.TRIBUTARY_BUCKET ?? 'tributary',
    dynamoEndpoint: env.TRIBUTARY_DYNAMODB_ENDPOINT || undefined,
    s3Endpoint: env.TRIBUTARY_S3_ENDPOINT || undefined,
    fetcherFunction: env.TRIBUTARY_FETCHER_FUNCTION || undefined,
    sourcesKey: env.TRIBUTARY_SOURCES_KEY ?? 'config/sources.opml',
    publishPrefix: env.TRIBUTARY_PUBLISH_PREFIX ?? 'feeds/',
    fetch: {
      userAgent:
        env.TRIBUTARY_USER_AGENT ??
        'Tributary/0.1 (feed aggregator; +https://github.com/tributary-feeds/tributary)',
      connectTimeoutMs: int(env, 'TRIBUTARY_CONNECT_TIMEOUT_MS', 5_000, 1),
      totalTimeoutMs: int(env, 'TRIBUTARY_TOTAL_TIMEOUT_MS', 20_000, 1),
      idleTimeoutMs: int(env, 'TRIBUTARY_IDLE_TIMEOUT_MS', 10_000, 1),
      maxBodyBytes: int(env, 'TRIBUTARY_MAX_BODY_BYTES', 10 * 1024 * 1024, 1024),
      maxRedirects: int(env, 'TRIBUTARY_MAX_REDIRECTS', 5, 0),
      concurrency: int(env, 'TRIBUTARY_FETCH_CONCURRENCY', 100, 1),
      bodyConcurrency: int(env, 'TRIBUTARY_FETCH_BODY_CONCURRENCY', 25, 1),
      perHostConcurrency: int(env, 'TRIBUTARY_PER_HOST_CONCURRENCY', 2, 1),
      allowHosts: list(env.TRIBUTARY_ALLOW_HOSTS),
    },
    fetchIntervalMinutes: int(env, 'TRIBUTARY_FETCH_INTERVAL_MINUTES', 15, 1),
    feedTitle: env.TRIBUTARY_FEED_TITLE ?? 'Tributary',
    feedItems: int(env, 'TRIBUTARY_FEED_ITEMS', 100, 1),
    publicUrl: (env.TRIBUTARY_PUBLIC_URL ?? 'http://localhost:8080').replace(/\/+$/, ''),
    indexShards: int(env, 'TRIBUTARY_INDEX_SHARDS', 4, 1),
    websubHub: env.TRIBUTARY_WEBSUB_HUB || undefined,
    logLevel: logLevel(env.TRIBUTARY_LOG_LEVEL),
  };
  return {
    ...base,
    ...overrides,
    fetch: { ...base.fetch, ...(overrides.fetch ?? {}) },
  };
}

/** The environment variable names, for the CDK stack and the local runner to set. */
export const ENV = {
  table: 'TRIBUTARY_TABLE',
  bucket: 'TRIBUTARY_BUCKET',
  dynamoEndpoint: 'TRIBUTARY_DYNAMODB_ENDPOINT',
  s3Endpoint: 'TRIBUTARY_S3_ENDPOINT',
  fetcherFunction: 'TRIBUTARY_FETCHER_FUNCTION',
  sourcesKey: 'TRIBUTARY_SOURCES_KEY',
  publishPrefix: 'TRIBUTARY_PUBLISH_PREFIX',
  allowHosts: 'TRIBUTARY_ALLOW_HOSTS',
  feedTitle: 'TRIBUTARY_FEED_TITLE',
  feedItems: 'TRIBUTARY_FEED_ITEMS',
  publicUrl: 'TRIBUTARY_PUBLIC_URL',
  fetchIntervalMinutes: 'TRIBUTARY_FETCH_INTERVAL_MINUTES',
  indexShards: 'TRIBUTARY_INDEX_SHARDS',
  logLevel: 'TRIBUTARY_LOG_LEVEL',
  websubHub: 'TRIBUTARY_WEBSUB_HUB',
} as const;

/** Settings of the local runner (`npm start`, `tributary run`): ports, data folder, cycle period. */
export interface LocalSettings {
  /** Port of the local HTTP server (feeds, items). */
  port: number;
  /** Port of the loopback server that serves the shipped sample feeds. */
  samplesPort: number;
  /** Folder of the embedded stores (dynalite, s3rver). */
  dataDir: string;
  /** Seconds between local cycles. */
  cycleSeconds: number;
  /** The sources OPML file in the repo. */
  sourcesFile: string;
}

/** Reads the local runner's settings from the environment (PORT, TRIBUTARY_DATA_DIR, …). */
export function loadLocalSettings(env: Env = process.env): LocalSettings {
  return {
    port: int(env, 'PORT', 8080, 0),
    samplesPort: int(env, 'TRIBUTARY_SAMPLES_PORT', 8079, 0),
    dataDir: env.TRIBUTARY_DATA_DIR ?? '.data',
    cycleSeconds: int(env, 'TRIBUTARY_CYCLE_SECONDS', 60, 1),
    sourcesFile: env.TRIBUTARY_SOURCES_FILE ?? 'sources/sources.opml',
  };
}
