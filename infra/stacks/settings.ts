/**
 * Deployment settings: read from CDK context (cdk.json `context`, or `-c tributary:<name>=<value>`),
 * validated once, and handed to the stacks as a typed object. Defaults for the pipeline's own
 * settings come from shared/config.ts, so the stack and the code cannot disagree about them.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { loadConfig } from '../../shared/config';
import { DEFAULT_RATE_MINUTES } from '../schedule-rates';

/** Everything a deployment can configure. */
export interface TributarySettings {
  /** Minutes between scheduler runs (each run dispatches the sources that are due to the fetcher). */
  scheduleRateMinutes: number;
  /** Minutes between publisher runs (it rewrites the combined feed only when it changed). */
  publishRateMinutes: number;
  /** Default minutes between fetches of one source (TRIBUTARY_FETCH_INTERVAL_MINUTES). */
  fetchIntervalMinutes: number;
  feedTitle: string;
  /** Items in the combined feed. */
  feedItems: number;
  /** Key of the sources OPML in the bucket. */
  sourcesKey: string;
  /** Prefix of published feeds in the bucket; the CDN serves exactly this prefix. */
  publishPrefix: string;
  /** Hosts exempt from the private-address guard (normally none in the cloud). */
  allowHosts: string[];
  /** Write shards of the newest-items index; never lower it once items exist. */
  indexShards: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Public base URL override (a custom domain); default: the CloudFront domain. */
  publicUrl?: string;
  /** Days before raw payloads (`raw/`) move to S3 Standard-IA; 0 keeps them in Standard. */
  rawInfrequentAccessDays: number;
  /** Days before raw payloads expire; 0 keeps them forever. */
  rawExpirationDays: number;
  /** Days a replaced or deleted object version is kept (the bucket is versioned). */
  noncurrentVersionDays: number;
  /** Days function logs are kept. */
  logRetentionDays: RetentionDays;
  /** Reserved concurrency of the fetcher (most jobs fetched at once; more wait in Lambda's queue); 0 = none, the account's pool. */
  fetcherReservedConcurrency: number;
  /** Fetcher timeout in seconds: one job of up to JOB_SIZE sources must fit in it. */
  fetcherTimeoutSeconds: number;
  /** Longest time (seconds) the CDN caches a feed. */
  cdnMaxTtlSeconds: number;
  /** Fetcher failure rate (percent of sources fetched in an hour) that raises the alarm. */
  sourceFailureAlarmPercent: number;
  /** Optional e-mail address subscribed to the alarm topic. */
  alarmEmail?: string;
}

/** The context key prefix of every setting, e.g. `tributary:feedTitle`. */
export const CONTEXT_PREFIX = 'tributary:';

const RETENTION_VALUES = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;

/** Raised when a context value is not usable; the message names the context key. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

type Read = (name: string) => unknown;

function integer(read: Read, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = read(name);
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(`${CONTEXT_PREFIX}${name} must be an integer in ${min}..${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function text(read: Read, name: string, fallback: string): string {
  const raw = read(name);
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || raw.trim() === '') throw new SettingsError(`${CONTEXT_PREFIX}${name} must be a non-empty string`);
  return raw;
}

function optionalText(read: Read, name: string): string | undefined {
  const raw = read(name);
  return raw === undefined || raw === '' ? undefined : text(read, name, '');
}

function hosts(read: Read, name: string): string[] {
  const raw = read(name);
  if (raw === undefined) return [];
  const values = Array.isArray(raw) ? raw : String(raw).split(/[\s,]+/);
  return values.map((v) => String(v).trim()).filter(Boolean);
}

/** Settings from a context reader (`name` without prefix → raw value); throws SettingsError on a bad value. */
export function readSettings(read: Read): TributarySettings {
  const defaults = loadConfig({});
  const logLevel = text(read, 'logLevel', defaults.logLevel).toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new SettingsError(`${CONTEXT_PREFIX}logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const retention = integer(read, 'logRetentionDays', RetentionDays.ONE_MONTH, 1);
  if (!RETENTION_VALUES.has(retention)) {
    throw new SettingsError(`${CONTEXT_PREFIX}logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, …), got ${retention}`);
  }
  const publishPrefix = text(read, 'publishPrefix', defaults.publishPrefix);
  if (!/^[A-Za-z0-9._-]+\/$/.test(publishPrefix)) {
    throw new SettingsError(`${CONTEXT_PREFIX}publishPrefix must be one path segment ending in "/", e.g. "feeds/"`);
  }
  const settings: TributarySettings = {
    scheduleRateMinutes: integer(read, 'scheduleRateMinutes', DEFAULT_RATE_MINUTES.scheduler, 1, 1440),
    publishRateMinutes: integer(read, 'publishRateMinutes', DEFAULT_RATE_MINUTES.publisher, 1, 1440),
    fetchIntervalMinutes: integer(read, 'fetchIntervalMinutes', defaults.fetchIntervalMinutes, 1),
    feedTitle: text(read, 'feedTitle', defaults.feedTitle),
    feedItems: integer(read, 'feedItems', defaults.feedItems, 1, 1000),
    sourcesKey: text(read, 'sourcesKey', defaults.sourcesKey),
    publishPrefix,
    allowHosts: hosts(read, 'allowHosts'),
    indexShards: integer(read, 'indexShards', defaults.indexShards, 1, 64),
    logLevel: logLevel as TributarySettings['logLevel'],
    publicUrl: optionalText(read, 'publicUrl')?.replace(/\/+$/, ''),
    rawInfrequentAccessDays: integer(read, 'rawInfrequentAccessDays', 30, 0),
    rawExpirationDays: integer(read, 'rawExpirationDays', 365, 0),
    noncurrentVersionDays: integer(read, 'noncurrentVersionDays', 30, 1),
    logRetentionDays: retention as RetentionDays,
    fetcherReservedConcurrency: integer(read, 'fetcherReservedConcurrency', 0, 0, 1000),
    fetcherTimeoutSeconds: integer(read, 'fetcherTimeoutSeconds', 300, 10, 900),
    cdnMaxTtlSeconds: integer(read, 'cdnMaxTtlSeconds', 120, 0, 86_400),
    sourceFailureAlarmPercent: integer(read, 'sourceFailureAlarmPercent', 50, 1, 100),
    alarmEmail: optionalText(read, 'alarmEmail'),
  };
  if (settings.rawInfrequentAccessDays !== 0 && settings.rawInfrequentAccessDays < 30) {
    throw new SettingsError(`${CONTEXT_PREFIX}rawInfrequentAccessDays must be 0 (off) or ≥ 30 (an S3 Standard-IA minimum)`);
  }
  if (settings.rawExpirationDays !== 0 && settings.rawExpirationDays <= settings.rawInfrequentAccessDays) {
    throw new SettingsError(`${CONTEXT_PREFIX}rawExpirationDays must be 0 (never) or greater than rawInfrequentAccessDays`);
  }
  if (settings.publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(settings.publicUrl)) {
    throw new SettingsError(`${CONTEXT_PREFIX}publicUrl must be an absolute http(s) URL`);
  }
  return settings;
}

/** Settings from a construct tree's context (normally the App's). */
export function settingsFromContext(node: Node): TributarySettings {
  return readSettings((name) => node.tryGetContext(`${CONTEXT_PREFIX}${name}`));
}
