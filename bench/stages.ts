/**
 * Stage throughput: decode → parse → normalise (which sanitises) called directly on feed bodies in
 * memory — no network, no storage — in MB/s of body bytes and items/s of entries.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFeed } from '../shared/decode';
import { normaliseFeed } from '../shared/normalise';
import { parseFeed } from '../shared/parse';

/** One feed body to run through the stages. */
export interface StageInput {
  body: Uint8Array;
  contentType?: string;
  url: string;
}

/** Throughput of the stages over a set of bodies. */
export interface StageFigures {
  feeds: number;
  failed: number;
  bytes: number;
  items: number;
  seconds: number;
  mbPerS: number;
  itemsPerS: number;
  /** Items per CPU second of the best round (steadier than wall time on a shared machine). */
  itemsPerCpuS: number;
}

/** python-feedparser's measured rate on the same kind of bytes. */
export const FEEDPARSER_ITEMS_PER_S = 1130;
/** Target: 5× python-feedparser. */
export const STAGE_TARGET_ITEMS_PER_S = 5 * FEEDPARSER_ITEMS_PER_S;

function runOnce(inputs: StageInput[], fetchedAt: Date): { items: number; failed: number } {
  let items = 0;
  let failed = 0;
  for (const input of inputs) {
    try {
      const decoded = decodeFeed(input.body, input.contentType);
      const feed = parseFeed(decoded.text, { url: input.url });
      items += normaliseFeed(feed, { sourceId: 'bench', feedUrl: input.url, fetchedAt }).length;
    } catch {
      failed++;
    }
  }
  return { items, failed };
}

/** Runs the stages over `inputs` once to warm up and then `rounds` times; reports the best round. */
export function stageThroughput(inputs: StageInput[], rounds = 2): StageFigures {
  const fetchedAt = new Date();
  const bytes = inputs.reduce((n, i) => n + i.body.byteLength, 0);
  runOnce(inputs.slice(0, Math.min(inputs.length, 20)), fetchedAt);
  let best = Infinity;
  let bestCpu = Infinity;
  let counts = { items: 0, failed: 0 };
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    counts = runOnce(inputs, fetchedAt);
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (performance.now() - started) / 1000);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
  }
  return {
    feeds: inputs.length,
    failed: counts.failed,
    bytes,
    items: counts.items,
    seconds: best,
    mbPerS: bytes / 1048576 / best,
    itemsPerS: counts.items / best,
    itemsPerCpuS: counts.items / bestCpu,
  };
}

interface IndexEntry {
  file: string;
}

/** The real-world corpus (../shared/corpora/realworld, or $TRIBUTARY_CORPORA/realworld) as stage inputs; undefined when absent. */
export async function loadRealworld(projectRoot: string): Promise<StageInput[] | undefined> {
  const root = join(process.env.TRIBUTARY_CORPORA ?? join(projectRoot, '..', 'shared', 'corpora'), 'realworld');
  const indexFile = join(root, 'INDEX.json');
  if (!existsSync(indexFile)) return undefined;
  const index = JSON.parse(await readFile(indexFile, 'utf8')) as IndexEntry[];
  const inputs: StageInput[] = [];
  for (const entry of index) {
    const path = join(root, entry.file);
    if (!existsSync(path)) continue;
    inputs.push({ body: await readFile(path), url: `https://example.com/${entry.file}` });
  }
  return inputs;
}
