/**
 * Publisher scaling: items (~3 KB each) seeded straight through ItemRepository.writeItems (kind
 * 'new'), then the time to publish the newest 500 (median of a few runs) with 10k and with 100k
 * stored. Publishing reads an index, so the two times must be close; a scan would grow tenfold.
 */
import pLimit from 'p-limit';
import { idForKey } from '../shared/ids';
import type { Item } from '../shared/model';
import { publishFeeds } from '../shared/pipeline/publish-feeds';
import { createClients, destroyClients } from '../shared/store/clients';
import { DynamoItemRepository } from '../shared/store/items';
import type { ItemRepository, ItemWrite } from '../shared/store/ports';
import { startRemoteStack } from './store-process';
import { createRng, headline, sentence, storyHtml } from './text';

/** Items in the published feed. */
export const PUBLISH_ITEMS = 500;
/** Stored item counts the publisher is timed at. */
export const PUBLISH_SIZES = [10_000, 100_000] as const;
/** Target: publish time at the largest size ≤ 1.2× that at the smallest. */
export const PUBLISH_RATIO_TARGET = 1.2;

/** Publish time at one stored count. */
export interface PublishFigures {
  stored: number;
  medianMs: number;
  samples: number[];
  seedS: number;
}

const SEED_BATCH = 100;
const SEED_PARALLEL = 4;
const SPAN_MS = 60 * 24 * 3600 * 1000;
const SOURCES = 100;

/** A realistic stored item (~3 KB): title, link, sanitised HTML and its text, an author, categories. */
export function seedItem(n: number, total: number, end: number): Item {
  const rng = createRng(n + 1);
  const id = idForKey(`u:https://seed.example/story/${n}`);
  const sourceId = `seed-${String(n % SOURCES).padStart(3, '0')}`;
  const sortDate = new Date(end - Math.floor(((total - n) / total) * SPAN_MS)).toISOString();
  let contentHtml = storyHtml(rng, 'en', 'https://seed.example', n);
  while (contentHtml.length < 2000) contentHtml += `\n<p>${sentence(rng, 'en')}</p>`;
  const contentText = contentHtml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 800);
  return {
    id,
    sourceId,
    sourceIds: [sourceId],
    url: `https://seed.example/story/${n}`,
    guid: `https://seed.example/story/${n}`,
    title: headline(rng, 'en'),
    contentHtml: contentHtml.slice(0, 2200),
    contentText,
    authors: [{ name: 'Seed Author' }],
    categories: ['World'],
    enclosures: [],
    published: sortDate,
    sortDate,
    firstSeenAt: sortDate,
    changedAt: sortDate,
    lang: 'en',
    contentHash: idForKey(`h:${n}`),
  };
}

/** Writes items [from, to) of `total` through writeItems in batches, a few batches at once. */
async function seed(items: ItemRepository, from: number, to: number, total: number, end: number): Promise<void> {
  const limit = pLimit(SEED_PARALLEL);
  const jobs: Promise<void>[] = [];
  for (let start = from; start < to; start += SEED_BATCH) {
    const writes: ItemWrite[] = [];
    for (let n = start; n < Math.min(to, start + SEED_BATCH); n++) writes.push({ item: seedItem(n, total, end), aliasKeys: [], kind: 'new' });
    jobs.push(limit(() => items.writeItems(writes)));
  }
  await Promise.all(jobs);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Seeds one in-memory stack (in a child process, so its heap does not slow this one) up to each size
 * in turn (the newest items always in the last days) and times publishFeeds of the combined feed
 * (no per-source or tag feeds: `sources` is empty) `runs` times after one warm-up. Each run is a
 * whole publish from a cold process's view: no feed versions to skip by (so the newest page is read
 * and rendered) and a fresh item repository (so no item comes from the warm-process cache).
 */
export async function measurePublish(sizes: readonly number[] = PUBLISH_SIZES, runs = 7): Promise<PublishFigures[]> {
  const stack = await startRemoteStack({ feedItems: PUBLISH_ITEMS });
  const clients = createClients(stack.config);
  const end = Date.now() - 3600_000;
  const largest = Math.max(...sizes);
  try {
    const figures: PublishFigures[] = [];
    let stored = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const started = performance.now();
      // Items are numbered over the largest size, oldest first; each step adds older ones below the newest.
      await seed(stack.runtime.items, largest - size, largest - stored, largest, end);
      const seedS = (performance.now() - started) / 1000;
      stored = size;
      const deps = () => ({ config: stack.config, blobs: stack.runtime.blobs, items: new DynamoItemRepository(clients.dynamo, stack.config) });
      await publishFeeds([], deps());
      const samples: number[] = [];
      for (let r = 0; r < runs; r++) {
        const run = deps();
        const t = performance.now();
        const result = await publishFeeds([], run);
        samples.push(performance.now() - t);
        if (result.items !== Math.min(PUBLISH_ITEMS, size)) throw new Error(`publish read ${result.items} items, expected ${PUBLISH_ITEMS}`);
      }
      figures.push({ stored: size, medianMs: median(samples), samples, seedS });
    }
    return figures;
  } finally {
    destroyClients(clients);
    await stack.close();
  }
}
