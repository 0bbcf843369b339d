/** Item rows: texts the normaliser derives from their html are not stored, and come back exactly. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { encodeFeed, generateWorkload } from '../../bench/workload';
import { decodeFeed } from '../../shared/decode';
import { idForKey } from '../../shared/ids';
import type { Item, ItemDraft } from '../../shared/model';
import { normaliseFeed } from '../../shared/normalise/items';
import { textOfSanitisedHtml } from '../../shared/normalise/sanitised-text';
import { parseFeed } from '../../shared/parse';
import { COMPRESS_HTML_FROM, itemFromRow, itemRow } from '../../shared/store/rows';
import { rowSize } from '../../shared/store/usage';

const FETCHED_AT = new Date('2026-06-02T00:00:00.000Z');

/** An Item as the pipeline stores it, from a normalised draft. */
function itemOf(draft: ItemDraft, n: number): Item {
  const { rawHtml: _raw, ...rest } = draft;
  const sortDate = draft.published ?? draft.updated ?? FETCHED_AT.toISOString();
  return { ...rest, id: idForKey(`u:${draft.url ?? n}`), sourceIds: [draft.sourceId], sortDate, firstSeenAt: sortDate, changedAt: sortDate };
}

/** Items made by the real decode → parse → normalise stages from `body`. */
function itemsOfFeed(body: Uint8Array, url: string, sourceId: string): Item[] {
  const feed = parseFeed(decodeFeed(body).text, { url });
  return normaliseFeed(feed, { sourceId, feedUrl: url, fetchedAt: FETCHED_AT }).map(itemOf);
}

/** Items from the sample feeds, the parser fixtures and a small benchmark workload. */
function realItems(): Item[] {
  const files = [
    ...readdirSync('samples/feeds').map((name) => join('samples/feeds', name)),
    ...readdirSync('tests/parse/fixtures').filter((name) => !name.includes('billion') && !name.endsWith('.html')).map((name) => join('tests/parse/fixtures', name)),
  ];
  const items = files.flatMap((file, i) => itemsOfFeed(readFileSync(file), `https://feeds.example/${i}.xml`, `src-${i}`));
  const workload = generateWorkload({ feeds: 6, items: 8, seed: 3 });
  for (const feed of workload.feeds) items.push(...itemsOfFeed(encodeFeed(feed), `https://bench.example${feed.path}`, `bench-${feed.index}`));
  return items;
}

const roundTrip = (item: Item): Item => itemFromRow(itemRow(item, 1, 4)).item;

describe('item rows', () => {
  const items = realItems();

  it('round-trips items made from real feeds exactly, storing no text its html derives', () => {
    const withText = items.filter((item) => item.summaryText !== undefined || item.contentText !== undefined);
    expect(items.length).toBeGreaterThan(60);
    expect(withText.length).toBeGreaterThan(50);
    let omitted = 0;
    for (const item of items) {
      expect(roundTrip(item)).toEqual(item);
      const stored = unmarshall(itemRow(item, 1, 4));
      if (item.summaryHtml !== undefined && item.summaryText === textOfSanitisedHtml(item.summaryHtml)) {
        expect(stored).not.toHaveProperty('summaryText');
        omitted++;
      }
      if (item.contentHtml !== undefined && item.contentText === textOfSanitisedHtml(item.contentHtml)) {
        expect(stored).not.toHaveProperty('contentText');
        omitted++;
      }
    }
    expect(omitted).toBeGreaterThan(withText.length);
  });

  it('keeps a text that differs from what its html derives, and an absent or empty text as it is', () => {
    const base = items.find((item) => item.summaryHtml && item.contentHtml && item.summaryText && item.contentText);
    if (!base) throw new Error('no item with both texts');
    const cut = { ...base, summaryText: `${base.summaryText?.slice(0, 20)}…`, contentText: 'plain text the feed gave' };
    expect(unmarshall(itemRow(cut, 1, 4))).toMatchObject({ summaryText: cut.summaryText, contentText: cut.contentText });
    expect(roundTrip(cut)).toEqual(cut);
    const { summaryText: _s, contentText: _c, ...textless } = base;
    expect(roundTrip(textless)).toEqual(textless);
    expect(roundTrip(textless)).not.toHaveProperty('summaryText');
    const empty = { ...base, summaryText: '', summaryHtml: '<img src="https://x.example/i.png" />' };
    expect(roundTrip(empty)).toEqual(empty);
    const emptyHtmlNoText = { ...textless, summaryHtml: '<img src="https://x.example/i.png" />' };
    expect(roundTrip(emptyHtmlNoText)).toEqual(emptyHtmlNoText);
  });

  it('stores long html deflated and short html as it is, both read back exactly, and makes a typical row smaller', () => {
    const long = items.filter((item) => (item.contentHtml?.length ?? 0) >= COMPRESS_HTML_FROM);
    expect(long.length).toBeGreaterThan(10);
    for (const item of long) {
      const row = itemRow(item, 1, 4);
      expect(row.contentHtml).toBeUndefined();
      expect(row.contentHtmlZ?.B?.byteLength).toBeLessThan(Buffer.byteLength(item.contentHtml as string));
      expect(itemFromRow(row).item).toEqual(item);
    }
    const short = { ...(long[0] as Item), contentHtml: '<p>Short.</p>', contentText: 'Short.' };
    expect(itemRow(short, 1, 4).contentHtml?.S).toBe('<p>Short.</p>');
    expect(itemFromRow(itemRow(short, 1, 4)).item).toEqual(short);
    const sizes = long.map((item) => rowSize(itemRow(item, 1, 4)) / rowSize(marshall({ ...unmarshall(itemRow(item, 1, 4)), contentHtml: item.contentHtml, contentHtmlZ: undefined }, { removeUndefinedValues: true })));
    expect(sizes.reduce((a, b) => a + b, 0) / sizes.length).toBeLessThan(0.8);
  });

  it('refuses a deflated field that does not inflate, naming the item', () => {
    const item = items.find((i) => (i.contentHtml?.length ?? 0) >= COMPRESS_HTML_FROM) as Item;
    const row = { ...itemRow(item, 1, 4), contentHtmlZ: { B: new Uint8Array([1, 2, 3]) } };
    expect(() => itemFromRow(row)).toThrow(new RegExp(`^store: the stored contentHtml of item ${item.id} does not inflate`));
  });
});
