/**
 * The CLI additions as a user runs them (child processes on one data folder): `status`,
 * `items --tag`, `feed --tag/--source`, `reprocess`, their --help and their one-line errors.
 * One real cycle over the sample feeds (loopback) plus a broken source seeds the stores.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeedDir, startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { SAMPLES_DIR } from '../../cli/local/samples';
import { cli, hasStackTrace, ROOT } from './cli';

let feeds: FeedServer;
let data: string;
let sources: string;
let args: (...a: string[]) => string[];

beforeAll(async () => {
  feeds = await startFeedServer(await loadFeedDir(SAMPLES_DIR));
  const dir = await mkdtemp(join(tmpdir(), 'tributary-cli-status-'));
  data = join(dir, 'data');
  sources = join(dir, 'sources.opml');
  const opml = (await readFile(join(ROOT, 'sources/sources.opml'), 'utf8'))
    .replaceAll('http://127.0.0.1:8079', feeds.url)
    .replace('</body>', `  <outline type="rss" tributary:id="broken" text="Broken" title="Broken" xmlUrl="${feeds.url}/missing.xml" category="/world"/>\n  </body>`);
  await writeFile(sources, opml);
  args = (...a) => [...a, '--data', data];
  const run = await cli(args('run', '--once', '--no-samples', '--allow-host', `127.0.0.1:${feeds.port}`, '--sources', sources), {}, 60_000);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('failed broken: fetch: 404');
}, 90_000);

afterAll(async () => {
  await feeds?.close();
});

describe('tributary status', () => {
  it('prints one health line per source, the failing one in capitals with its error', async () => {
    const r = await cli(args('status'));
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatch(/^SOURCE\s+STATUS\s+LAST FETCH\s+NEXT FETCH\s+FAILURES\s+ITEMS\s+LAST ERROR$/);
    const byId = new Map(r.lines.slice(1, -1).map((l) => [l.split(/\s+/)[0], l]));
    expect([...byId.keys()]).toEqual(['global-wire', 'daily-courier', 'vostok-news', 'tech-ledger', 'broken']);
    expect(byId.get('global-wire')).toMatch(/^global-wire\s+ok\s+(now|\d+ s ago)\s+in 15 min\s+0\s+3\s*$/);
    expect(byId.get('broken')).toMatch(/^broken\s+ERROR\s+.*\s+1\s+0\s+fetch: 404 Not Found$/);
    expect(r.lines.at(-1)).toBe('5 sources, 1 failing');
  });

  it('prints JSON with --json, and one source with --source', async () => {
    const r = await cli(args('status', '--json', '--source', 'broken'));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { sources: { id: string; health: string; consecutiveFailures: number; lastError: string; lastStatusCode: number }[] };
    expect(out.sources).toHaveLength(1);
    expect(out.sources[0]).toMatchObject({ id: 'broken', health: 'error', consecutiveFailures: 1, lastStatusCode: 404, lastError: 'fetch: 404 Not Found' });
  });

  it('fails with one line and exit 2 for an unknown source', async () => {
    const r = await cli(args('status', '--source', 'nope'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tributary: cli: no source "nope" in the sources file\n');
  });
});

describe('tributary items --tag and feed --tag/--source', () => {
  it('lists only the items of the sources carrying the tag', async () => {
    const r = await cli(args('items', '--tag', 'ru', '--json'));
    expect(r.code).toBe(0);
    const page = JSON.parse(r.stdout) as { items: { sourceIds: string[]; title: string }[] };
    expect(page.items.map((i) => i.sourceIds)).toEqual([['vostok-news'], ['vostok-news']]);
    const text = await cli(args('items', '--tag', 'world', '--limit', '2'));
    expect(text.lines).toHaveLength(3);
    expect(text.lines[2]).toMatch(/^more: --cursor [A-Za-z0-9_-]+$/);
  });

  it('prints the published feed of a tag or a source', async () => {
    const tag = await cli(args('feed', '--tag', 'tech', '--format', 'json'));
    expect(tag.code).toBe(0);
    const json = JSON.parse(tag.stdout) as { feed_url: string; items: unknown[] };
    expect(json.feed_url).toBe('http://localhost:8080/tags/tech.json');
    expect(json.items).toHaveLength(2);
    const source = await cli(args('feed', '--source', 'vostok-news', '--format', 'atom'));
    expect(source.stdout).toContain('<link rel="self" type="application/atom+xml" href="http://localhost:8080/sources/vostok-news.atom"/>');
  });

  it('explains unknown tags and sources in one line', async () => {
    const items = await cli(args('items', '--tag', 'nothing'));
    expect(items.code).toBe(2);
    expect(items.stderr).toBe('tributary: cli: no source is tagged "nothing"\n');
    const feed = await cli(args('feed', '--tag', 'nothing'));
    expect(feed.code).toBe(2);
    expect(feed.stderr).toMatch(/^tributary: cli: no feed published at tags\/nothing\.xml: no such tag/);
    const both = await cli(args('feed', '--tag', 'a', '--source', 'b'));
    expect(both.stderr).toBe('tributary: cli: give either --tag or --source, not both\n');
    expect(hasStackTrace(items.stderr + feed.stderr + both.stderr)).toBe(false);
  });
});

describe('tributary reprocess', () => {
  it('re-parses every stored body without fetching and reports per source; the broken one is skipped', async () => {
    const before = feeds.stats.requests;
    const r = await cli(args('reprocess'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.lines).toEqual([
      'global-wire: 3 entries, 0 created, 0 updated, 0 merged',
      'daily-courier: 4 entries, 0 created, 0 updated, 0 merged',
      'vostok-news: 2 entries, 0 created, 0 updated, 0 merged',
      'tech-ledger: 2 entries, 0 created, 0 updated, 0 merged',
      'skipped broken: no stored feed body (not fetched yet)',
      'reprocessed 4 of 5 sources: 0 created, 0 updated, 0 merged; 0 failed',
    ]);
    expect(feeds.stats.requests).toBe(before);
  });

  it('takes --source and --json', async () => {
    const r = await cli(args('reprocess', '--source', 'vostok-news', '--json'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ sources: [{ sourceId: 'vostok-news', status: 'done', entries: 2, created: 0, updated: 0, merged: 0 }] });
  });
});

describe('--help', () => {
  it.each([['status'], ['reprocess'], ['items'], ['feed']])('%s --help documents the command and exits 0', async (command) => {
    const r = await cli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: tributary ${command} `));
  });

  it('lists the new commands in the top-level help', async () => {
    const r = await cli(['--help']);
    expect(r.stdout).toMatch(/^\s+status\s+/m);
    expect(r.stdout).toMatch(/^\s+reprocess\s+/m);
  });
});
