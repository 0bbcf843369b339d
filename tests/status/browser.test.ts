/**
 * The status page in headless Chromium: a real cycle over the sample feeds plus one broken source,
 * the page served by the local API server at /status, then checked as a browser renders it — one
 * row per source, the failing source visibly red, no request leaves the page, and a screenshot
 * (saved to .data/screenshots/status.png) that is not blank.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../cli/local/cycle';
import { loadFeedDir, startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { SAMPLES_DIR } from '../../cli/local/samples';
import { startApiServer, type ApiServer } from '../../cli/local/server';
import { loadConfig } from '../../shared/config';
import { createRuntime } from '../../shared/runtime';
import { serializeOpml } from '../../shared/sources/opml';
import { createTestStores, testConfig } from '../helpers/stores';
import { REPO_ROOT } from '../validity/tools';
import { launchChromium, missingBrowser, pixelStats, SKIP_BROWSER, type Browser, type Page } from './chromium';

/** Where the screenshot is kept (git ignores .data/). */
export const SCREENSHOT = join(REPO_ROOT, '.data/screenshots/status.png');

const SOURCES = [
  { id: 'global-wire', file: 'global-wire.xml', title: 'Global Wire' },
  { id: 'daily-courier', file: 'daily-courier.atom', title: 'The Daily Courier' },
  { id: 'vostok-news', file: 'vostok-news.xml', title: 'Новости Востока' },
  { id: 'tech-ledger', file: 'tech-ledger.json', title: 'Tech Ledger' },
  { id: 'broken', file: 'missing.xml', title: 'Broken <b>Feed</b>' },
];

let feeds: FeedServer;
let api: ApiServer;
let browser: Browser;
let page: Page;
const requested: string[] = [];

describe.skipIf(SKIP_BROWSER)('the status page in Chromium', () => {
  beforeAll(async () => {
    const missing = missingBrowser();
    if (missing) throw new Error(`the browser test cannot run: ${missing} — or set TRIBUTARY_SKIP_BROWSER=1`);
    feeds = await startFeedServer(await loadFeedDir(SAMPLES_DIR));
    const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${feeds.port}`] } });
    await createTestStores(config);
    const rt = createRuntime(config);
    const file = join(await mkdtemp(join(tmpdir(), 'tributary-status-')), 'sources.opml');
    await writeFile(file, serializeOpml({ title: 't', sources: SOURCES.map((s) => ({ id: s.id, url: `${feeds.url}/${s.file}`, title: s.title, tags: [] })) }));
    const summary = await runCycle(rt, file, true);
    expect(summary.failures.map((f) => f.sourceId)).toEqual(['broken']);
    api = await startApiServer(rt, 0);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('request', (r) => requested.push(r.url()));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await feeds?.close();
  });

  it('renders one row per source with the failing one marked, and fetches nothing else', async () => {
    await page.goto(`${api.url}/status`, { waitUntil: 'load' });
    expect(await page.title()).toMatch(/status/);
    const rows = page.locator('#sources tbody tr.source');
    expect(await rows.count()).toBe(SOURCES.length);
    const ids = await Promise.all(SOURCES.map((_, i) => rows.nth(i).getAttribute('data-source')));
    expect(ids).toEqual(SOURCES.map((s) => s.id));

    const failing = page.locator('tr.failing');
    expect(await failing.count()).toBe(1);
    expect(await failing.first().getAttribute('data-source')).toBe('broken');
    expect(await failing.first().textContent()).toContain('Broken <b>Feed</b>');
    expect(await failing.first().textContent()).toContain('fetch: 404');
    const background = await page.evaluate<string>(`getComputedStyle(document.querySelector('tr.failing td')).backgroundColor`);
    const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
    expect(r).toBeGreaterThan((g ?? 255) + 10);
    expect(r).toBeGreaterThan((b ?? 255) + 10);
    expect(await page.locator('tr.source:not(.failing) .badge.good').count()).toBe(SOURCES.length - 1);
    expect(await page.locator('#sources svg.spark').count()).toBe(SOURCES.length);
    expect(await page.locator('#cycles tbody tr.cycle').count()).toBe(1);
    expect(requested).toEqual([`${api.url}/status`]);
  });

  it('takes a screenshot that is not blank and shows the red marking', async () => {
    await page.goto(`${api.url}/status.html`, { waitUntil: 'load' });
    await mkdir(join(REPO_ROOT, '.data/screenshots'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const stats = await pixelStats(page, png);
    expect(stats.width).toBe(1280);
    expect(stats.height).toBeGreaterThan(300);
    expect(stats.dominantShare).toBeLessThan(0.97);
    expect(stats.colours).toBeGreaterThan(20);
    expect(stats.redPixels).toBeGreaterThan(500);
  });
});
