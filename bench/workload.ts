/**
 * The benchmark workload: N feeds × M news items from a seeded PRNG — ~70% RSS 2.0 and ~30% Atom,
 * ~5% in windows-1251 or ISO-8859-1, ~10% of stories republished by another feed under another link
 * with a slightly different title — and the steady-state change (~2% of feeds gain 1–3 items).
 */
import iconv from 'iconv-lite';
import type { FeedFile } from '../cli/local/feed-server';
import type { Source } from '../shared/model';
import { serializeOpml } from '../shared/sources/opml';
import { renderAtom, renderRss } from './render';
import { createRng, headline, retitle, slug, storyHtml, type Rng, type WorkloadLang } from './text';

/** The encodings feeds are written in. */
export type WorkloadEncoding = 'utf-8' | 'windows-1251' | 'iso-8859-1';

/** One story as a feed carries it. */
export interface Story {
  title: string;
  link: string;
  guid: string;
  html: string;
  published: Date;
  author: string;
  categories: string[];
  /** For a republished story: the feed and story number of the original. */
  republishedFrom?: { feed: number; story: number };
}

/** One generated feed, its stories newest first, and its bytes as served. */
export interface WorkloadFeed {
  index: number;
  /** Path on the feed server, e.g. "/feeds/0007.xml". */
  path: string;
  format: 'rss' | 'atom';
  encoding: WorkloadEncoding;
  lang: WorkloadLang;
  title: string;
  site: string;
  /** RSS only: the full HTML in `description` (true) or a summary plus `content:encoded` (false). */
  htmlInDescription: boolean;
  stories: Story[];
  updatedAt: Date;
  body: Uint8Array;
  contentType: string;
}

/** A generated workload. */
export interface Workload {
  seed: number;
  itemsPerFeed: number;
  feeds: WorkloadFeed[];
  /** Stories generated so far (numbers new stories). */
  storyCount: number;
  /** growWorkload calls so far: each call's default seed is a new one, so each is a fresh change. */
  grown: number;
}

/** Size and seed of a workload. */
export interface WorkloadOptions {
  feeds: number;
  items: number;
  seed?: number;
  /** The newest story date of the cold workload (fixed by default, so the bytes do not depend on the clock). */
  baseDate?: Date;
}

/** Shares of the workload mix. */
export const MIX = { atom: 0.3, windows1251: 0.025, iso88591: 0.025, republished: 0.1, steadyChanged: 0.02 } as const;

const DEFAULT_BASE_DATE = new Date('2026-06-01T12:00:00Z');
const AUTHORS = ['Alex Morgan', 'Sam Rivera', 'Jordan Lee', 'Taylor Brooks', 'Chris Novak', 'Dana Ivanova', 'Élise Durand'];
const SECTIONS = ['World', 'Politics', 'Business', 'Science', 'Sport', 'Culture', 'Technology', 'Health'];

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
function permutation(rng: Rng, n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

function newStory(rng: Rng, feed: WorkloadFeed, storyNo: number, published: Date): Story {
  const title = headline(rng, feed.lang);
  const link = `${feed.site}/${published.toISOString().slice(0, 10).replace(/-/g, '/')}/${slug(title, storyNo)}-${storyNo}`;
  return {
    title,
    link,
    guid: link,
    html: storyHtml(rng, feed.lang, feed.site, storyNo),
    published,
    author: rng.pick(AUTHORS),
    categories: [rng.pick(SECTIONS), ...(rng.next() < 0.4 ? [rng.pick(SECTIONS)] : [])],
  };
}

/** The feed's bytes in its encoding (the text declares the same encoding). */
export function encodeFeed(feed: WorkloadFeed): Uint8Array {
  const text = feed.format === 'rss' ? renderRss(feed) : renderAtom(feed);
  return feed.encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, feed.encoding);
}

function contentTypeOf(format: WorkloadFeed['format'], encoding: WorkloadEncoding): string {
  const type = format === 'rss' ? 'application/rss+xml' : 'application/atom+xml';
  // Legacy feeds are served without a charset, as most such servers do: the XML declaration decides.
  return encoding === 'utf-8' ? `${type}; charset=utf-8` : type;
}

/** Generates the workload; the same options give the same bytes. */
export function generateWorkload(options: WorkloadOptions): Workload {
  const seed = options.seed ?? 1;
  const base = (options.baseDate ?? DEFAULT_BASE_DATE).getTime();
  const rng = createRng(seed);
  const n = options.feeds;
  const formatOrder = permutation(rng, n);
  const encodingOrder = permutation(rng, n);
  const atomCount = Math.round(n * MIX.atom);
  const cyrCount = Math.round(n * MIX.windows1251);
  const latinCount = Math.round(n * MIX.iso88591);
  const formats = new Array<WorkloadFeed['format']>(n).fill('rss');
  const encodings = new Array<WorkloadEncoding>(n).fill('utf-8');
  formatOrder.slice(0, atomCount).forEach((i) => (formats[i] = 'atom'));
  encodingOrder.slice(0, cyrCount).forEach((i) => (encodings[i] = 'windows-1251'));
  encodingOrder.slice(cyrCount, cyrCount + latinCount).forEach((i) => (encodings[i] = 'iso-8859-1'));
  let storyCount = 0;
  const feeds: WorkloadFeed[] = [];
  for (let f = 0; f < n; f++) {
    const format = formats[f] ?? 'rss';
    const encoding = encodings[f] ?? 'utf-8';
    const lang: WorkloadLang = encoding === 'windows-1251' ? 'ru' : encoding === 'iso-8859-1' ? 'fr' : 'en';
    const number = String(f).padStart(4, '0');
    const feed: WorkloadFeed = {
      index: f,
      path: `/feeds/${number}.${format === 'rss' ? 'xml' : 'atom'}`,
      format,
      encoding,
      lang,
      title: `${headline(rng, lang).split(' ').slice(0, 3).join(' ')} News ${number}`,
      site: `https://news${number}.example.com`,
      htmlInDescription: rng.next() < 0.5,
      stories: [],
      updatedAt: new Date(base),
      body: new Uint8Array(),
      contentType: contentTypeOf(format, encoding),
    };
    const intervalMs = rng.int(20, 420) * 60_000;
    for (let i = 0; i < options.items; i++) {
      const published = new Date(base - i * intervalMs - rng.int(0, 600) * 1000);
      feed.stories.push(newStory(rng, feed, storyCount++, published));
    }
    feeds.push(feed);
  }
  if (n > 1) republish(rng, feeds);
  for (const feed of feeds) feed.body = encodeFeed(feed);
  return { seed, itemsPerFeed: options.items, feeds, storyCount, grown: 0 };
}

/** Replaces ~10% of each feed's stories by another feed's original story, retitled, under this feed's link. */
function republish(rng: Rng, feeds: WorkloadFeed[]): void {
  const originals = feeds.map((f) => f.stories.slice());
  for (const feed of feeds) {
    for (let i = 0; i < feed.stories.length; i++) {
      if (rng.next() >= MIX.republished) continue;
      let other = rng.int(0, feeds.length - 2);
      if (other >= feed.index) other++;
      const pool = originals[other] ?? [];
      const j = rng.int(0, pool.length - 1);
      const original = pool[j];
      if (!original) continue;
      const published = new Date(original.published.getTime() + rng.int(5, 90) * 60_000);
      const title = retitle(rng, original.title);
      const link = `${feed.site}/syndicated/${slug(title, i)}-${feed.index}-${i}`;
      feed.stories[i] = { ...original, title, link, guid: link, published, republishedFrom: { feed: other, story: j } };
    }
    feed.stories.sort((a, b) => b.published.getTime() - a.published.getTime());
  }
}

/**
 * Gives ~2% of feeds 1–3 new stories (the oldest drop off); returns the indices of the changed
 * feeds. Each call picks other feeds and writes other stories (its default seed follows the calls
 * made so far), as a real next cycle would: the same seed again would add near-copies of the last
 * call's stories to the same feeds, and every one would join the story of its copy.
 */
export function growWorkload(workload: Workload, seed = workload.seed + 1 + workload.grown, share: number = MIX.steadyChanged): number[] {
  workload.grown++;
  const rng = createRng(seed);
  const n = workload.feeds.length;
  const changed = permutation(rng, n).slice(0, Math.max(1, Math.round(n * share))).sort((a, b) => a - b);
  for (const index of changed) {
    const feed = workload.feeds[index];
    if (!feed) continue;
    const newest = feed.stories[0]?.published.getTime() ?? feed.updatedAt.getTime();
    const added = rng.int(1, 3);
    for (let k = added; k >= 1; k--) {
      feed.stories.unshift(newStory(rng, feed, workload.storyCount++, new Date(newest + k * 15 * 60_000)));
    }
    feed.stories.length = Math.min(feed.stories.length, workload.itemsPerFeed);
    feed.updatedAt = new Date(newest + added * 15 * 60_000);
    feed.body = encodeFeed(feed);
  }
  return changed;
}

/** The feed server's files for the workload (call again after growWorkload, or `set` the changed ones). */
export function feedFilesOf(workload: Workload): Map<string, FeedFile> {
  return new Map(workload.feeds.map((f) => [f.path, feedFileOf(f)]));
}

/** One feed as a feed-server file. */
export function feedFileOf(feed: WorkloadFeed): FeedFile {
  return { body: feed.body, contentType: feed.contentType, lastModified: feed.updatedAt };
}

/** The workload's sources, with URLs on the feed server at `baseUrl`. */
export function sourcesOf(workload: Workload, baseUrl: string): Source[] {
  return workload.feeds.map((f) => ({ id: `bench-${String(f.index).padStart(4, '0')}`, url: `${baseUrl}${f.path}`, title: f.title, tags: ['bench'], siteUrl: f.site }));
}

/** The sources as an OPML file (fixed date, so the same workload gives the same file). */
export function opmlOf(workload: Workload, baseUrl: string): string {
  return serializeOpml({ title: 'Tributary benchmark', sources: sourcesOf(workload, baseUrl) }, DEFAULT_BASE_DATE);
}

/** Total bytes and items of the workload as served (uncompressed). */
export function workloadSize(workload: Workload): { bytes: number; items: number } {
  return workload.feeds.reduce((acc, f) => ({ bytes: acc.bytes + f.body.byteLength, items: acc.items + f.stories.length }), { bytes: 0, items: 0 });
}
