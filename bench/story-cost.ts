/**
 * The added cost of story clustering per new item: the same feed bodies ingested twice into fresh
 * embedded stores, once without and once with stories (the inbox written by ingest, then the
 * publisher's assignment run), and the difference in time, DynamoDB rows, Queries and S3 bytes
 * divided by the items created.
 */
import { startLocalStack } from '../cli/local/stack';
import { clusterStories } from '../shared/pipeline/cluster-stories';
import { ingestFeed, type IngestDeps } from '../shared/pipeline/ingest';
import type { StageInput } from './stages';

/** What one ingest run cost. */
interface RunCost {
  items: number;
  ms: number;
  rowsWritten: number;
  rowsRead: number;
  queries: number;
  s3Bytes: number;
}

/** The added cost per new item of story clustering (with minus without). */
export interface StoryCost {
  items: number;
  msPerItem: number;
  ddbWritesPerItem: number;
  ddbReadsPerItem: number;
  queriesPerItem: number;
  s3BytesPerItem: number;
}

async function ingestAll(inputs: StageInput[], withStories: boolean): Promise<RunCost> {
  const stack = await startLocalStack({ allowHosts: [] });
  try {
    const { runtime, usage } = stack;
    const deps: IngestDeps = { items: runtime.items, blobs: runtime.blobs, ...(withStories ? { stories: runtime.stories } : {}) };
    const before = { ...usage, calls: { ...usage.calls } };
    const started = performance.now();
    let items = 0;
    for (const [i, input] of inputs.entries()) {
      const result = await ingestFeed({ sourceId: `feed-${i}`, body: input.body, contentType: input.contentType, feedUrl: input.url, fetchedAt: new Date() }, deps);
      items += result.created;
    }
    if (withStories) await clusterStories(runtime);
    return {
      items,
      ms: performance.now() - started,
      rowsWritten: usage.ddbRowsWritten - before.ddbRowsWritten,
      rowsRead: usage.ddbRowsRead - before.ddbRowsRead,
      queries: (usage.calls.QueryCommand ?? 0) - (before.calls.QueryCommand ?? 0),
      s3Bytes: usage.s3PutBytes - before.s3PutBytes,
    };
  } finally {
    await stack.close();
  }
}

/** Ingests `inputs` without and with stories and returns the difference per created item. */
export async function measureStoryCost(inputs: StageInput[]): Promise<StoryCost> {
  const without = await ingestAll(inputs, false);
  const withStories = await ingestAll(inputs, true);
  const per = (a: number, b: number) => Math.round(((b - a) / Math.max(withStories.items, 1)) * 100) / 100;
  return {
    items: withStories.items,
    msPerItem: per(without.ms, withStories.ms),
    ddbWritesPerItem: per(without.rowsWritten, withStories.rowsWritten),
    ddbReadsPerItem: per(without.rowsRead, withStories.rowsRead),
    queriesPerItem: per(without.queries, withStories.queries),
    s3BytesPerItem: per(without.s3Bytes, withStories.s3Bytes),
  };
}
