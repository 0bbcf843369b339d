/** renderStatusPage and the status collection over the stores. */
import { describe, expect, it } from 'vitest';
import { healthOf, windowStart } from '../../shared/status/collect';
import { addArrivals, dailyCounts } from '../../shared/status/days';
import { escapeHtml, relativeTime, renderStatusPage } from '../../shared/status/render';
import { CYCLES, GOOD_COUNTS, INPUT, NOW } from './fixtures';

/** The `<tr>` of one source. */
function rowOf(html: string, id: string): string {
  const match = new RegExp(`<tr class="source [^"]*" data-source="${id}"[\\s\\S]*?</tr>`).exec(html);
  if (!match) throw new Error(`no row for ${id}`);
  return match[0];
}

describe('renderStatusPage', () => {
  const html = renderStatusPage(INPUT);

  it('is one self-contained document: inline CSS, no script, no external reference', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link |<img |@import|url\(/i);
    expect(html).not.toMatch(/<[a-z]+[^>]*\ssrc=/i);
  });

  it('has one row per source, in the sources order', () => {
    expect([...html.matchAll(/<tr class="source [^"]*" data-source="([^"]+)"/g)].map((m) => m[1])).toEqual(['good-wire', 'evil', 'fresh']);
  });

  it('escapes hostile titles and errors, and links only http(s) URLs', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Evil &amp; Co');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('fetch: 500 from evil.example &lt;img src=x onerror=alert(3)&gt;');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<title>Tributary &lt;test&gt; — status</title>');
  });

  it('marks the failing source and shows its failures, status code and error', () => {
    const evil = rowOf(html, 'evil');
    expect(evil).toContain('class="source failing"');
    expect(evil).toContain('✖ failing');
    expect(evil).toContain('HTTP 500');
    expect(evil).toMatch(/<td class="num bad-text">3<\/td>/);
    expect(rowOf(html, 'good-wire')).toContain('class="source ok"');
    expect(rowOf(html, 'fresh')).toContain('not fetched yet');
    expect(html).toMatch(/<b id="failing-count">1<\/b>failing/);
  });

  it('shows last and next fetch relative to now, with the exact time as tooltip', () => {
    const good = rowOf(html, 'good-wire');
    expect(good).toContain('<time datetime="2026-11-27T13:57:00.000Z" title="2026-11-27T13:57:00.000Z">3 min ago</time>');
    expect(good).toContain('>in 12 min</time>');
  });

  it('draws a 14-bar sparkline per source, scaled to its busiest day, with the total', () => {
    const good = rowOf(html, 'good-wire');
    const bars = [...good.matchAll(/<rect class="bar( empty)?" x="[\d.]+" y="(\d+)" width="[\d.]+" height="(\d+)"><title>(\d+)<\/title>/g)];
    expect(bars.map((b) => Number(b[4]))).toEqual(GOOD_COUNTS);
    const tallest = Math.max(...bars.map((b) => Number(b[3])));
    expect(Number(bars[11]?.[3])).toBe(tallest);
    expect(good).toContain('aria-label="28 new items in 14 days"');
    expect(good).toContain('<span class="num">28</span>');
  });

  it('lists the last cycles with their counts, failures highlighted', () => {
    const rows = [...html.matchAll(/<tr class="cycle([^"]*)">([\s\S]*?)<\/tr>/g)];
    expect(rows).toHaveLength(CYCLES.length);
    expect(rows[0]?.[1]).toBe(' with-failures');
    expect(rows[0]?.[2]).toContain('2.5 s');
    expect(rows[0]?.[2]).toContain('20.0 KB');
  });

  it('says so when there are no sources or cycles', () => {
    const empty = renderStatusPage({ sources: [], states: new Map(), cycles: [], itemsPerDay: new Map(), now: NOW });
    expect(empty).toContain('No sources.');
    expect(empty).toContain('No cycle has run yet.');
  });
});

describe('status helpers', () => {
  it('counts arrivals per UTC day over the 14 days ending today, from the state\'s per-day counts', () => {
    expect(windowStart(NOW).toISOString()).toBe('2026-11-14T00:00:00.000Z');
    const counts = dailyCounts({ '2026-11-27': 2, '2026-11-14': 1, '2026-11-13': 5, '2026-11-28': 4, '2026-11-20': Number.NaN }, NOW);
    expect(counts).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(dailyCounts(undefined, NOW)).toEqual(new Array(14).fill(0));
  });

  it('adds arrivals under the day of the fetch and drops the days the window has left', () => {
    const at = new Date('2026-11-27T23:59:59Z');
    expect(addArrivals({ '2026-11-13': 9, '2026-11-14': 1, '2026-11-27': 2 }, at, 3)).toEqual({ '2026-11-14': 1, '2026-11-27': 5 });
    expect(addArrivals(undefined, new Date('2026-11-28T00:00:00Z'), 1)).toEqual({ '2026-11-28': 1 });
  });

  it('names health from the state', () => {
    expect(healthOf(undefined)).toBe('new');
    expect(healthOf({ sourceId: 'a', consecutiveFailures: 0, itemsSeen: 0, lastFetchAt: 'x', status: 'not-modified' })).toBe('not-modified');
    expect(healthOf({ sourceId: 'a', consecutiveFailures: 2, itemsSeen: 0, lastFetchAt: 'x', status: 'ok' })).toBe('error');
    expect(healthOf({ sourceId: 'a', consecutiveFailures: 1, itemsSeen: 0, lastFetchAt: 'x', status: 'gone' })).toBe('gone');
  });

  it('escapes and formats', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(relativeTime('2026-11-25T14:00:00Z', NOW)).toBe('2 d ago');
    expect(relativeTime(undefined, NOW)).toBe('—');
  });
});
