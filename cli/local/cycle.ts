/**
 * One local cycle through the real Lambda handlers: the sources file goes to the bucket, the
 * scheduler queues the due sources, the fetcher takes them in SQS-sized batches, the publisher
 * writes the feeds. Prints one summary line and one line per failed source.
 */
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createFetcherHandler } from '../../functions/fetcher/handler';
import { createPublisherHandler } from '../../functions/publisher/handler';
import { createSchedulerHandler } from '../../functions/scheduler/handler';
import type { SourceOutcome } from '../../shared/model';
import { localQueue, type Runtime } from '../../shared/runtime';
import { parseOpml } from '../../shared/sources/opml';
import type { CycleRecord, SourceMessage } from '../../shared/store/ports';
import type { StorageUsage } from '../../shared/store/usage';

/** The counts of one cycle (also its JSON line). */
export interface CycleSummary extends CycleRecord {
  due: number;
  itemsInFeeds: number;
  published: number;
  wallMs: number;
  failures: { sourceId: string; error: string }[];
  /** Storage work of the cycle, when the runtime counts it. */
  storage?: { ddbRowsWritten: number; ddbRowsRead: number; ddbRowsReadEventual: number; s3Puts: number; s3PutBytes: number; s3PutRawBytes: number; s3Gets: number };
}

const BATCH = 10;
const PARALLEL_BATCHES = 4;

function sqsEvent(messages: SourceMessage[], offset: number): SQSEvent {
  const Records = messages.map((m, i) => ({ messageId: `local-${offset + i}`, body: JSON.stringify(m) }) as SQSRecord);
  return { Records };
}

/** Uploads the sources file to the bucket when it changed (validating it first), as `sources push` does in AWS. */
export async function pushSources(rt: Runtime, sourcesFile: string): Promise<number> {
  const text = await readFile(sourcesFile, 'utf8');
  const list = parseOpml(text);
  const stored = await rt.blobs.get(rt.config.sourcesKey);
  if (!stored || Buffer.compare(Buffer.from(stored), Buffer.from(text, 'utf8')) !== 0) {
    await rt.blobs.put(rt.config.sourcesKey, text, { contentType: 'text/x-opml; charset=utf-8' });
  }
  return list.sources.length;
}

/** Runs scheduler → fetcher → publisher once; `force` fetches every source, due or not. */
export async function runCycle(rt: Runtime, sourcesFile: string, force = false, usage?: StorageUsage): Promise<CycleSummary> {
  const started = Date.now();
  const before = usage ? { ...usage } : undefined;
  const startedAt = new Date(started).toISOString();
  const sources = await pushSources(rt, sourcesFile);
  const scheduled = await createSchedulerHandler(() => rt)({ source: 'tributary.local', force });
  const messages = localQueue.drain();
  const fetcher = createFetcherHandler(() => rt);
  const outcomes: SourceOutcome[] = [];
  const batches: SourceMessage[][] = [];
  for (let i = 0; i < messages.length; i += BATCH) batches.push(messages.slice(i, i + BATCH));
  // PARALLEL_BATCHES fetchers take batches as they free up, as Lambda's queue pollers do (not in lockstep).
  const limit = pLimit(PARALLEL_BATCHES);
  const results = await Promise.all(batches.map((b, i) => limit(() => fetcher(sqsEvent(b, i * BATCH)))));
  for (const r of results) outcomes.push(...r.outcomes);
  const published = await createPublisherHandler(() => rt)({ source: 'tributary.local' });
  const count = (pred: (o: SourceOutcome) => boolean) => outcomes.filter(pred).length;
  const summary: CycleSummary = {
    startedAt,
    finishedAt: new Date().toISOString(),
    sources,
    due: scheduled.due,
    ok: count((o) => o.status === 'ok' || o.status === 'unchanged'),
    notModified: count((o) => o.status === 'not-modified'),
    failed: count((o) => o.status === 'error' || o.status === 'gone'),
    itemsInFeeds: outcomes.reduce((n, o) => n + o.itemsInFeed, 0),
    itemsNew: outcomes.reduce((n, o) => n + o.itemsNew, 0),
    itemsUpdated: outcomes.reduce((n, o) => n + o.itemsUpdated, 0),
    itemsMerged: outcomes.reduce((n, o) => n + o.itemsMerged, 0),
    bytes: outcomes.reduce((n, o) => n + o.bytes, 0),
    published: published.written.length,
    wallMs: Date.now() - started,
    failures: outcomes.filter((o) => o.error).map((o) => ({ sourceId: o.sourceId, error: o.error as string })),
  };
  if (usage && before) {
    summary.storage = {
      ddbRowsWritten: usage.ddbRowsWritten - before.ddbRowsWritten,
      ddbRowsRead: usage.ddbRowsRead - before.ddbRowsRead,
      ddbRowsReadEventual: usage.ddbRowsReadEventual - before.ddbRowsReadEventual,
      s3Puts: usage.s3Puts - before.s3Puts,
      s3PutBytes: usage.s3PutBytes - before.s3PutBytes,
      s3PutRawBytes: usage.s3PutRawBytes - before.s3PutRawBytes,
      s3Gets: usage.s3Gets - before.s3Gets,
    };
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
