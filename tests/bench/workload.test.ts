/** The benchmark workload generator: deterministic bytes, the requested mix, feeds the pipeline reads as intended. */
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeed } from '../../shared/decode';
import { parseFeed } from '../../shared/parse';
import { generateWorkload, growWorkload, MIX, opmlOf, workloadSize, type Workload } from '../../bench/workload';
import { parseOpml } from '../../shared/sources/opml';

const digest = (w: Workload): string => {
  const hash = createHash('sha256');
  for (const f of w.feeds) hash.update(f.path).update(f.body);
  return hash.digest('hex');
};

describe('generateWorkload', () => {
  const workload = generateWorkload({ feeds: 200, items: 20, seed: 7 });

  it('gives the same bytes for the same seed, and other bytes for another seed', () => {
    expect(digest(generateWorkload({ feeds: 200, items: 20, seed: 7 }))).toBe(digest(workload));
    expect(digest(generateWorkload({ feeds: 200, items: 20, seed: 8 }))).not.toBe(digest(workload));
  });

  it('has the requested size', () => {
    expect(workload.feeds).toHaveLength(200);
    expect(workload.feeds.every((f) => f.stories.length === 20)).toBe(true);
    expect(workloadSize(workload).items).toBe(4000);
  });

  it('is ~70% RSS 2.0 and ~30% Atom', () => {
    const atom = workload.feeds.filter((f) => f.format === 'atom').length;
    expect(atom).toBe(Math.round(200 * MIX.atom));
    for (const f of workload.feeds.slice(0, 40)) {
      const format = parseFeed(decodeFeed(f.body, f.contentType).text).format;
      expect(format).toBe(f.format === 'rss' ? 'rss20' : 'atom10');
    }
  });

  it('writes ~5% of feeds in windows-1251 or ISO-8859-1, declared and really encoded so', () => {
    const legacy = workload.feeds.filter((f) => f.encoding !== 'utf-8');
    expect(legacy.filter((f) => f.encoding === 'windows-1251')).toHaveLength(5);
    expect(legacy.filter((f) => f.encoding === 'iso-8859-1')).toHaveLength(5);
    for (const f of legacy) {
      const text = iconv.decode(Buffer.from(f.body), f.encoding);
      expect(text.startsWith(`<?xml version="1.0" encoding="${f.encoding}"?>`)).toBe(true);
      expect(Buffer.from(f.body).equals(iconv.encode(text, f.encoding))).toBe(true);
      const decoded = decodeFeed(f.body, f.contentType);
      // The WHATWG Encoding Standard maps the label iso-8859-1 to windows-1252 (a superset).
      expect(decoded.encoding).toBe(f.encoding === 'iso-8859-1' ? 'windows-1252' : f.encoding);
      expect(decoded.text).toContain(f.stories[0]?.title);
    }
    expect(legacy.some((f) => /[а-я]/.test(f.stories[0]?.title ?? ''))).toBe(true);
  });

  it('republishes ~10% of stories from another feed under another link and a slightly different title', () => {
    const all = workload.feeds.flatMap((f) => f.stories.map((s) => ({ feed: f.index, s })));
    const republished = all.filter((x) => x.s.republishedFrom);
    expect(republished.length / all.length).toBeGreaterThan(0.07);
    expect(republished.length / all.length).toBeLessThan(0.13);
    for (const { feed, s } of republished.slice(0, 50)) {
      const from = s.republishedFrom;
      expect(from?.feed).not.toBe(feed);
      const site = workload.feeds[from?.feed ?? -1]?.site ?? '';
      expect(s.link.startsWith(workload.feeds[feed]?.site ?? '-')).toBe(true);
      expect(s.link.startsWith(site)).toBe(false);
    }
  });

  it('writes news-length items with paragraphs, links and an image', () => {
    const story = workload.feeds[0]?.stories[0];
    expect(story?.html.match(/<p>/g)?.length).toBeGreaterThanOrEqual(2);
    expect(story?.html).toContain('<img src=');
    expect(story?.html.length).toBeGreaterThan(400);
  });

  it('lists every feed in the OPML', () => {
    expect(parseOpml(opmlOf(workload, 'http://127.0.0.1:9')).sources).toHaveLength(200);
  });
});

describe('growWorkload', () => {
  it('gives ~2% of feeds 1–3 new stories, deterministically, and leaves the others byte-identical', () => {
    const a = generateWorkload({ feeds: 300, items: 10, seed: 3 });
    const before = a.feeds.map((f) => f.body);
    const changed = growWorkload(a);
    expect(changed).toHaveLength(Math.round(300 * MIX.steadyChanged));
    const b = generateWorkload({ feeds: 300, items: 10, seed: 3 });
    expect(growWorkload(b)).toEqual(changed);
    expect(digest(b)).toBe(digest(a));
    a.feeds.forEach((f, i) => {
      if (changed.includes(i)) {
        expect(Buffer.from(f.body).equals(Buffer.from(before[i] ?? []))).toBe(false);
        expect(f.stories).toHaveLength(10);
      } else {
        expect(f.body).toBe(before[i]);
      }
    });
  });

  it('makes each next call a fresh change: other feeds, other stories', () => {
    const w = generateWorkload({ feeds: 1000, items: 10, seed: 3 });
    const titles = () => new Set(w.feeds.flatMap((f) => f.stories.map((s) => s.title)));
    const first = growWorkload(w);
    const afterFirst = titles();
    const second = growWorkload(w);
    expect(second).toHaveLength(first.length);
    expect(second.filter((i) => first.includes(i)).length).toBeLessThan(first.length / 2);
    const added = [...titles()].filter((t) => !afterFirst.has(t));
    expect(added.length).toBeGreaterThanOrEqual(second.length);
    const again = generateWorkload({ feeds: 1000, items: 10, seed: 3 });
    growWorkload(again);
    expect(growWorkload(again)).toEqual(second);
  });
});
