/**
 * The pipeline cycles of the benchmark: the workload served over loopback (ETag, Last-Modified, 304,
 * gzip), the real handlers run through the local stack (embedded DynamoDB and S3) with force=true,
 * and the bare-fetch floor (Node's fetch of every feed at the pipeline's concurrency, nothing else).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { PARALLEL_INVOCATIONS, runCycle, type CycleSummary } from '../cli/local/cycle';
import { createPublisherHandler } from '../functions/publisher/handler';
import { createSchedulerHandler } from '../functions/scheduler/handler';
import { localDispatcher } from '../shared/runtime';
import { snapshotUsage, usageSince, type StorageUsage } from '../shared/store/usage';
import type { CycleCounts } from './cost';
import { startFeedServer, type FeedServer } from '../cli/local/feed-server';
import { startRemoteStack, type RemoteStack } from './store-process';
import { loadConfig } from '../shared/config';
import { jobSizes } from '../shared/pipeline/jobs';
import { feedFileOf, feedFilesOf, opmlOf, type Workload } from './workload';

/** Fetches one fetcher invocation keeps in flight (the default fetch concurrency). */
export const INVOCATION_CONCURRENCY = loadConfig({}).fetch.concurrency;
/** Of those, bodies one fetcher invocation reads and processes at once (the default body concurrency). */
export const INVOCATION_BODY_CONCURRENCY = loadConfig({}).fetch.bodyConcurrency;

/** Fetches in flight in a forced cycle of `feeds` sources: the jobs runCycle runs at once (cli/local/cycle.ts), each at most its size or the invocation concurrency. */
export function cycleConcurrency(feeds: number): number {
  return jobSizes(feeds)
    .slice(0, PARALLEL_INVOCATIONS)
    .reduce((n, size) => n + Math.min(size, INVOCATION_CONCURRENCY), 0);
}

/** Fetcher invocations running at once in a forced cycle of `feeds` sources. */
export function parallelInvocations(feeds: number): number {
  return Math.min(PARALLEL_INVOCATIONS, jobSizes(feeds).length);
}

/** What one measured phase did (a pipeline cycle, a floor fetch or a peer's run). */
export interface PhaseFigures {
  wallS: number;
  /** Entries read from feed bodies in the phase (for the floor: entries in the bodies it received). */
  items: number;
  itemsPerS: number;
  requests: number;
  notModified: number;
  /** Bytes the feed server sent (gzip when asked). */
  bytes: number;
  peakRssMB: number;
  /** CPU seconds this process used (user + system; for peers, NaN): steadier than wall time on a shared machine. */
  cpuS: number;
}

/** A pipeline cycle's figures: the phase figures plus the pipeline's own counts and its storage work. */
export interface CycleFigures extends PhaseFigures {
  itemsNew: number;
  itemsMerged: number;
  failed: number;
  /** The failed sources' errors, each with how many sources failed with it (most frequent first). */
  failureCounts: { error: string; sources: number }[];
  ddbWrites: number;
  ddbReads: number;
  ddbReadsEventual: number;
  /** DynamoDB capacity units consumed (shared/store/usage.ts); of ddbWru, index units computed because the engine reports none. */
  ddbWru: number;
  ddbRru: number;
  ddbWruIndexesComputed: number;
  s3Puts: number;
  s3PutBytes: number;
  s3PutRawBytes: number;
  s3Gets: number;
  /** LIST requests (priced as PUTs). */
  s3Lists: number;
  feedsWritten: number;
  /** Fetcher invocations (jobs, plus re-runs of any that threw). */
  fetcherInvocations: number;
  /** Seconds of every invocation added up (scheduler, each fetcher invocation, publisher), each measured on its own: what Lambda bills. */
  lambdaS: number;
  /** Of lambdaS, the publisher invocation's seconds. */
  publishS: number;
  /** Of lambdaS, the fetcher invocations' seconds. */
  fetcherS: number;
  /** CPU seconds the store process (dynalite + s3rver) used in the cycle: the other side of every storage call. */
  storeCpuS: number;
  /** Sources the cycle's fetch jobs fetched. */
  fetches: number;
}

/** Runs `task` while sampling this process's RSS; returns its result, wall time and peak RSS. */
export async function measured<T>(task: () => Promise<T>): Promise<{ result: T; wallS: number; cpuS: number; peakRssMB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  timer.unref();
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const result = await task();
    peak = Math.max(peak, process.memoryUsage.rss());
    const used = process.cpuUsage(cpu);
    return { result, wallS: (performance.now() - started) / 1000, cpuS: (used.user + used.system) / 1e6, peakRssMB: peak / 1048576 };
  } finally {
    clearInterval(timer);
  }
}

/** Runs `task` and returns the feed server's requests, 304s and bytes during it. */
export async function serverDelta<T>(server: FeedServer, task: () => Promise<T>): Promise<{ result: T; requests: number; notModified: number; bytes: number }> {
  const before = { ...server.stats };
  const result = await task();
  return { result, requests: server.stats.requests - before.requests, notModified: server.stats.notModified - before.notModified, bytes: server.stats.bytes - before.bytes };
}

/** Failures grouped by error message, most frequent first. */
export function countFailures(failures: { error: string }[]): { error: string; sources: number }[] {
  const counts = new Map<string, number>();
  for (const { error } of failures) counts.set(error, (counts.get(error) ?? 0) + 1);
  return [...counts].map(([error, sources]) => ({ error, sources })).sort((a, b) => b.sources - a.sources);
}

/** The workload on a feed server and a local stack ready to run cycles; `close` stops both. */
export interface BenchEnvironment {
  workload: Workload;
  server: FeedServer;
  stack: RemoteStack;
  sourcesFile: string;
  feedUrls: string[];
  /** Serves the current bytes of the given feeds (after growWorkload). */
  refresh(indices: number[]): void;
  close(): Promise<void>;
}

/**
 * Starts the feed server and the embedded stores (in a child process: in AWS the stores are remote,
 * so their CPU and heap are not the pipeline's). Every feed shares the host 127.0.0.1:port here, while
 * real feeds are on ~one host each, so the per-host cap is raised to the invocation's concurrency (one
 * fetcher invocation then fetches as many at once as with distinct hosts); everything else is the default config.
 */
export async function startBenchEnvironment(workload: Workload): Promise<BenchEnvironment> {
  const server = await startFeedServer(feedFilesOf(workload), 0);
  const dir = await mkdtemp(join(tmpdir(), 'tributary-bench-'));
  let stack: RemoteStack;
  try {
    const fetch = loadConfig().fetch;
    stack = await startRemoteStack({ fetch: { ...fetch, perHostConcurrency: INVOCATION_CONCURRENCY, allowHosts: [...fetch.allowHosts, `127.0.0.1:${server.port}`] } });
  } catch (err) {
    await server.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const sourcesFile = join(dir, 'sources.opml');
  await writeFile(sourcesFile, opmlOf(workload, server.url));
  return {
    workload,
    server,
    stack,
    sourcesFile,
    feedUrls: workload.feeds.map((f) => `${server.url}${f.path}`),
    refresh: (indices) => {
      for (const i of indices) {
        const feed = workload.feeds[i];
        if (feed) server.set(feed.path, feedFileOf(feed));
      }
    },
    close: async () => {
      await stack.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The storage figures of a usage delta, under the cost model's names. */
function storageCounts(u: StorageUsage): Omit<CycleCounts, 'wallS' | 'publishS' | 'lambdaS' | 'fetcherS' | 'invocations'> & { ddbReadsEventual: number } {
  return {
    ddbWrites: u.ddbRowsWritten, ddbReads: u.ddbRowsRead, ddbReadsEventual: u.ddbRowsReadEventual, ddbWru: u.wru, ddbRru: u.rru,
    s3Puts: u.s3Puts, s3PutBytes: u.s3PutBytes, s3PutRawBytes: u.s3PutRawBytes, s3Gets: u.s3Gets, s3Lists: u.s3Lists,
  };
}

/** Runs one forced pipeline cycle (scheduler → fetcher → publisher) and returns its figures. */
export async function pipelineCycle(env: BenchEnvironment): Promise<CycleFigures & { summary: CycleSummary }> {
  const capacity = snapshotUsage(env.stack.usage);
  const storeCpuBefore = env.stack.cpuS();
  const run = await measured(() => serverDelta(env.server, () => runCycle(env.stack.runtime, env.sourcesFile, true, env.stack.usage)));
  const used = usageSince(capacity, env.stack.usage);
  const summary = run.result.result;
  return {
    summary,
    wallS: run.wallS,
    items: summary.itemsInFeeds,
    itemsPerS: summary.itemsInFeeds / run.wallS,
    requests: run.result.requests,
    notModified: run.result.notModified,
    bytes: run.result.bytes,
    peakRssMB: run.peakRssMB,
    cpuS: run.cpuS,
    storeCpuS: env.stack.cpuS() - storeCpuBefore,
    itemsNew: summary.itemsNew,
    itemsMerged: summary.itemsMerged,
    failed: summary.failed,
    failureCounts: countFailures(summary.failures),
    ...storageCounts(used),
    ddbWruIndexesComputed: used.wruIndexesComputed,
    feedsWritten: summary.published,
    fetcherInvocations: summary.fetcherInvocations,
    fetches: summary.due,
    publishS: summary.invocationMs.publisher / 1000,
    fetcherS: summary.invocationMs.fetcher.reduce((n, ms) => n + ms, 0) / 1000,
    lambdaS: (summary.invocationMs.scheduler + summary.invocationMs.fetcher.reduce((n, ms) => n + ms, 0) + summary.invocationMs.publisher) / 1000,
  };
}

/** One handler run, timed on its own, with the storage calls it made (one Lambda invocation). */
async function handlerRun(env: BenchEnvironment, run: () => Promise<unknown>): Promise<CycleCounts> {
  const before = snapshotUsage(env.stack.usage);
  const started = performance.now();
  await run();
  const wallS = (performance.now() - started) / 1000;
  return { wallS, lambdaS: wallS, fetcherS: 0, invocations: 1, ...storageCounts(usageSince(before, env.stack.usage)) };
}

/** Counts added up (the runs of one kind in one cycle). */
function sumCounts(runs: CycleCounts[]): CycleCounts {
  const total = (pick: (c: CycleCounts) => number | undefined) => runs.reduce((n, c) => n + (pick(c) ?? 0), 0);
  return {
    wallS: total((c) => c.wallS), lambdaS: total((c) => c.lambdaS), fetcherS: 0, invocations: total((c) => c.invocations),
    ddbWrites: total((c) => c.ddbWrites), ddbReads: total((c) => c.ddbReads), ddbReadsEventual: total((c) => c.ddbReadsEventual),
    ddbWru: total((c) => c.ddbWru), ddbRru: total((c) => c.ddbRru),
    s3Puts: total((c) => c.s3Puts), s3PutBytes: total((c) => c.s3PutBytes), s3PutRawBytes: total((c) => c.s3PutRawBytes), s3Gets: total((c) => c.s3Gets), s3Lists: total((c) => c.s3Lists),
  };
}

/**
 * The runs a deployment makes between two fetch cycles, measured right after one, in the order they
 * come: `schedulerRuns` scheduler runs (not forced: nothing is due, so nothing is dispatched) and
 * `publishes` publisher runs (nothing changed since the cycle published; the first after a busy one
 * differs from the next). Returns each kind's runs added up. Throws if the scheduler found sources due.
 */
export async function idleRuns(env: BenchEnvironment, runs: { schedulerRuns: number; publishes: number }): Promise<{ scheduler: CycleCounts; publisher: CycleCounts }> {
  const rt = env.stack.runtime;
  const scheduler: CycleCounts[] = [];
  const publisher: CycleCounts[] = [];
  for (let i = 0; i < Math.max(runs.schedulerRuns, runs.publishes); i++) {
    if (i < runs.schedulerRuns) {
      scheduler.push(await handlerRun(env, () => createSchedulerHandler(() => rt)({ source: 'tributary.bench' })));
      const due = localDispatcher.drain();
      if (due.length > 0) throw new Error(`the idle scheduler run found ${due.reduce((n, j) => n + j.sources.length, 0)} sources due`);
    }
    if (i < runs.publishes) publisher.push(await handlerRun(env, () => createPublisherHandler(() => rt)({ source: 'tributary.bench' })));
  }
  return { scheduler: sumCounts(scheduler), publisher: sumCounts(publisher) };
}

/** Validators remembered by the bare-fetch floor between its runs, by URL. */
export type FloorValidators = Map<string, string>;

/** The floor: every feed fetched with Node's fetch at the cycle's concurrency (cycleConcurrency), bodies read and dropped; conditional when `validators` hold an ETag. */
export async function bareFetch(env: BenchEnvironment, validators: FloorValidators): Promise<PhaseFigures> {
  const limit = pLimit(cycleConcurrency(env.feedUrls.length));
  let items = 0;
  const run = await measured(() =>
    serverDelta(env.server, () =>
      Promise.all(
        env.feedUrls.map((url, i) =>
          limit(async () => {
            const etag = validators.get(url);
            const res = await fetch(url, { headers: { 'accept-encoding': 'gzip', ...(etag ? { 'if-none-match': etag } : {}) } });
            await res.arrayBuffer();
            const fresh = res.headers.get('etag');
            if (fresh) validators.set(url, fresh);
            if (res.status === 200) items += env.workload.feeds[i]?.stories.length ?? 0;
          }),
        ),
      ),
    ),
  );
  return { wallS: run.wallS, items, itemsPerS: items / run.wallS, requests: run.result.requests, notModified: run.result.notModified, bytes: run.result.bytes, peakRssMB: run.peakRssMB, cpuS: run.cpuS };
}
