/**
 * One local cycle through the real Lambda handlers: the sources file goes to the bucket, the
 * scheduler dispatches the due sources in fetch jobs, a small pool of fetcher invocations runs the
 * jobs concurrently (as Lambda runs asynchronous invocations), the publisher writes the feeds.
 * Prints one summary line and one line per failed source.
 */
import { sha256Hex } from '../../shared/ids';
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { createFetcherHandler, type FetcherResult } from '../../functions/fetcher/handler';
import { createPublisherHandler } from '../../functions/publisher/handler';
import { createSchedulerHandler } from '../../functions/scheduler/handler';
import type { SourceOutcome } from '../../shared/model';
import { localDispatcher, type Runtime } from '../../shared/runtime';
import { parseOpml } from '../../shared/sources/opml';
import type { CycleRecord, FetchJob } from '../../shared/store/ports';
import { snapshotUsage, usageSince, type StorageUsage } from '../../shared/store/usage';

/** The counts of one cycle (also its JSON line). */
export interface CycleSummary extends CycleRecord {
  due: number;
  itemsInFeeds: number;
  published: number;
  wallMs: number;
  failures: { sourceId: string; error: string }[];
  /** Fetcher invocations: one per job, plus the re-runs of jobs whose invocation threw. */
  fetcherInvocations: number;
  /** Wall milliseconds of every handler invocation (scheduler, each fetcher invocation, publisher): what Lambda would bill. */
  invocationMs: { scheduler: number; fetcher: number[]; publisher: number };
  /** Storage work of the cycle, when the runtime counts it. */
  storage?: { ddbRowsWritten: number; ddbRowsRead: number; ddbRowsReadEventual: number; s3Puts: number; s3PutBytes: number; s3PutRawBytes: number; s3Gets: number; s3Lists: number };
}

/**
 * Fetcher invocations the local runner runs at once (Lambda would run every job of a cycle at once,
 * each on its own CPU). Here they share one thread, each with 100 requests in flight: two at once
 * finished steady cycles ~10% sooner than four, and ten took 2.5× as long.
 */
export const PARALLEL_INVOCATIONS = 2;
/** Re-runs of a job whose invocation threw, as Lambda's asynchronous retries (then it would be dead-lettered). */
export const ASYNC_RETRIES = 2;

async function timed<T>(task: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await task();
  return { result, ms: performance.now() - started };
}

/** Runs one job as Lambda would: re-run with the next attempt number when the invocation throws, at most ASYNC_RETRIES times; every invocation's wall is recorded. */
async function invokeJob(fetcher: (job: FetchJob) => Promise<FetcherResult>, job: FetchJob, walls: number[]): Promise<FetcherResult> {
  for (let attempt = job.attempt ?? 0; ; attempt++) {
    const started = performance.now();
    try {
      return await fetcher(attempt > 0 ? { ...job, attempt } : job);
    } catch (err) {
      if (attempt - (job.attempt ?? 0) >= ASYNC_RETRIES) throw err;
    } finally {
      walls.push(performance.now() - started);
    }
  }
}

/** Per store and key: the hash of the file this runner last found stored there, and the stored object's ETag. */
const lastPushed = new WeakMap<Runtime['blobs'], Map<string, { hash: string; etag?: string }>>();

/**
 * Uploads the sources file to the bucket when it changed (validating it first, as `sources push` does
 * in AWS); true when it did. When the file is the one found stored last time, the stored object is
 * only asked whether it changed since (a conditional GET: nothing is transferred).
 */
export async function pushSources(rt: Runtime, sourcesFile: string): Promise<boolean> {
  const key = rt.config.sourcesKey;
  const bytes = await readFile(sourcesFile);
  const hash = sha256Hex(bytes);
  const byKey = lastPushed.get(rt.blobs) ?? new Map<string, { hash: string; etag?: string }>();
  lastPushed.set(rt.blobs, byKey);
  const known = byKey.get(key);
  const stored = await rt.blobs.getIfChanged(key, known?.hash === hash ? known.etag : undefined);
  if (stored === 'unchanged') return false;
  if (stored && Buffer.compare(Buffer.from(stored.bytes), bytes) === 0) {
    byKey.set(key, { hash, ...(stored.etag ? { etag: stored.etag } : {}) });
    return false;
  }
  byKey.delete(key);
  const text = bytes.toString('utf8');
  parseOpml(text);
  await rt.blobs.put(key, text, { contentType: 'text/x-opml; charset=utf-8' });
  return true;
}

/** Runs scheduler → fetcher → publisher once; `force` fetches every source, due or not. */
export async function runCycle(rt: Runtime, sourcesFile: string, force = false, usage?: StorageUsage): Promise<CycleSummary> {
  const started = Date.now();
  const before = usage ? snapshotUsage(usage) : undefined;
  const startedAt = new Date(started).toISOString();
  await pushSources(rt, sourcesFile);
  const scheduled = await timed(() => createSchedulerHandler(() => rt)({ source: 'tributary.local', force }));
  const jobs = localDispatcher.drain();
  const fetcher = createFetcherHandler(() => rt);
  const outcomes: SourceOutcome[] = [];
  const fetcherMs: number[] = [];
  // PARALLEL_INVOCATIONS fetchers take jobs as they free up (not in lockstep).
  const limit = pLimit(PARALLEL_INVOCATIONS);
  const results = await Promise.all(jobs.map((job) => limit(() => invokeJob(fetcher, job, fetcherMs))));
  for (const r of results) outcomes.push(...r.outcomes);
  const published = await timed(() => createPublisherHandler(() => rt)({ source: 'tributary.local' }));
  const count = (pred: (o: SourceOutcome) => boolean) => outcomes.filter(pred).length;
  const summary: CycleSummary = {
    startedAt,
    finishedAt: new Date().toISOString(),
    sources: scheduled.result.sources,
    due: scheduled.result.due,
    ok: count((o) => o.status === 'ok' || o.status === 'unchanged'),
    notModified: count((o) => o.status === 'not-modified'),
    failed: count((o) => o.status === 'error' || o.status === 'gone'),
    itemsInFeeds: outcomes.reduce((n, o) => n + o.itemsInFeed, 0),
    itemsNew: outcomes.reduce((n, o) => n + o.itemsNew, 0),
    itemsUpdated: outcomes.reduce((n, o) => n + o.itemsUpdated, 0),
    itemsMerged: outcomes.reduce((n, o) => n + o.itemsMerged, 0),
    bytes: outcomes.reduce((n, o) => n + o.bytes, 0),
    published: published.result.written.length,
    wallMs: Date.now() - started,
    failures: outcomes.filter((o) => o.error).map((o) => ({ sourceId: o.sourceId, error: o.error as string })),
    fetcherInvocations: fetcherMs.length,
    invocationMs: { scheduler: scheduled.ms, fetcher: fetcherMs, publisher: published.ms },
  };
  if (usage && before) {
    const { calls: _calls, wru: _wru, wruIndexes: _wi, wruIndexesComputed: _wc, rru: _rru, ...storage } = usageSince(before, usage);
    summary.storage = storage;
  }
  return summary;
}

/** The cycle's summary line and one line per failed source (no stack traces). */
export function formatCycle(s: CycleSummary): string[] {
  const kb = (s.bytes / 1024).toFixed(1);
  const st = s.storage;
  const storage = st ? `; storage ${st.ddbRowsWritten} rows written, ${st.ddbRowsRead} read, ${st.s3Puts} S3 PUTs` : '';
  const lines = [
    `cycle ${s.startedAt}: ${s.due}/${s.sources} sources due, ${s.ok} fetched, ${s.notModified} not modified, ${s.failed} failed; ` +
      `${s.itemsInFeeds} entries read, ${s.itemsNew} new, ${s.itemsUpdated} updated, ${s.itemsMerged} merged; ${kb} KB; ` +
      `${s.published} feed files written${storage}; ${(s.wallMs / 1000).toFixed(2)} s`,
  ];
  for (const f of s.failures) lines.push(`  failed ${f.sourceId}: ${f.error}`);
  return lines;
}
