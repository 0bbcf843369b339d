/**
 * The published feeds are valid: one real cycle over the shipped sample feeds (loopback server,
 * real handlers, dynalite + s3rver), then every published Atom document — and the per-source feeds
 * the API renders on demand — validates against the
 * RFC 4287 RELAX NG schema with jing, RSS and Atom parse back with python3-feedparser without
 * bozo and with the same items, and the JSON Feed conforms to JSON Feed 1.1.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../cli/local/cycle';
import { handleApiRequest } from '../../shared/api/router';
import { loadFeedDir, startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { SAMPLES_DIR } from '../../cli/local/samples';
import { loadConfig } from '../../shared/config';
import { publishFeeds } from '../../shared/pipeline/publish-feeds';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { parseOpml } from '../../shared/sources/opml';
import { createTestStores, testConfig } from '../helpers/stores';
import { jsonFeedProblems } from './jsonfeed-spec';
import { ATOM_SCHEMA, feedparser, jing, missingValidators, REPO_ROOT, SKIP_VALIDITY } from './tools';

/** Feeds checked: the combined one, a tag with several sources, and (rendered by the API) the windows-1251 source. */
const FEEDS = ['feed', 'tags/world', 'tags/sample', 'sources/vostok-news', 'sources/daily-courier', 'hubbed/feed'];
const HUB = 'https://hub.example/websub';

let server: FeedServer;
let rt: Runtime;
let dir: string;

/** The bytes of a published file (a per-source feed: the API's answer), written to the temp folder for the external tools; returns its path. */
async function published(name: string): Promise<string> {
  const prefix = name.startsWith('hubbed/') ? 'hubbed/' : rt.config.publishPrefix;
  const key = `${prefix}${name.replace(/^hubbed\//, '')}`;
  const body = name.startsWith('sources/') ? await rendered(`/${name}`) : await rt.blobs.get(key);
  if (!body) throw new Error(`${key} was not published`);
  const file = join(dir, name.replace(/\//g, '__'));
  await writeFile(file, body);
  return file;
}

/** A per-source feed as the API renders it. */
async function rendered(path: string): Promise<Uint8Array> {
  const res = await handleApiRequest({ method: 'GET', path, query: new URLSearchParams() }, rt);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return typeof res.body === 'string' ? new TextEncoder().encode(res.body) : res.body;
}

describe.skipIf(SKIP_VALIDITY)('published feeds are valid', () => {
  beforeAll(async () => {
    const missing = await missingValidators();
    if (missing.length > 0) throw new Error(`validity tests cannot run: ${missing.join('; ')} — or set TRIBUTARY_SKIP_VALIDITY=1`);
    server = await startFeedServer(await loadFeedDir(SAMPLES_DIR));
    const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
    await createTestStores(config);
    rt = createRuntime(config);
    dir = await mkdtemp(join(tmpdir(), 'tributary-validity-'));
    const opml = (await readFile(join(REPO_ROOT, 'sources/sources.opml'), 'utf8')).replaceAll('http://127.0.0.1:8079', server.url);
    const sourcesFile = join(dir, 'sources.opml');
    await writeFile(sourcesFile, opml);
    const summary = await runCycle(rt, sourcesFile, true);
    expect(summary.failures).toEqual([]);
    // The same items once more with a WebSub hub advertised (its ping is refused by the SSRF guard: not fatal).
    const hubbed = await publishFeeds(parseOpml(opml).sources, { ...rt, config: { ...rt.config, publishPrefix: 'hubbed/' } }, { hub: HUB });
    expect(hubbed.hubPings.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('has validators that do reject broken documents (so a pass means something)', async () => {
    const broken = join(dir, 'broken.atom');
    await writeFile(broken, '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>');
    expect(await jing(ATOM_SCHEMA, broken)).toMatch(/missing required elements "id" and "updated"/);
    const badRss = join(dir, 'broken.xml');
    await writeFile(badRss, '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a & b</title></item></channel></rss>');
    expect((await feedparser([badRss]))[0]?.bozo).toBe(1);
    expect(jsonFeedProblems({ version: 'https://jsonfeed.org/version/1', title: 'x', items: [{ id: 1, colour: 'red' }] })).toEqual([
      'feed.version has the wrong type or format: "https://jsonfeed.org/version/1"',
      'items[0].id has the wrong type or format: 1',
      'items[0].colour is not a JSON Feed 1.1 field (extensions start with "_")',
      'items[0] has neither content_html nor content_text',
    ]);
  });

  it.each(FEEDS)('%s.atom validates against the RFC 4287 RELAX NG schema', async (name) => {
    const file = await published(`${name}.atom`);
    expect(await jing(ATOM_SCHEMA, file)).toBe('');
  });

  it.each(FEEDS)('%s.json conforms to JSON Feed 1.1', async (name) => {
    const doc = JSON.parse(await readFile(await published(`${name}.json`), 'utf8')) as { items: unknown[] };
    expect(jsonFeedProblems(doc)).toEqual([]);
    expect(doc.items.length).toBeGreaterThan(0);
  });

  it.each(FEEDS)('%s (.xml, .atom) parses back with feedparser: no bozo, the same items as the JSON Feed', async (name) => {
    const json = JSON.parse(await readFile(await published(`${name}.json`), 'utf8')) as {
      title: string;
      items: { id: string; title?: string; url?: string }[];
    };
    const expected = json.items.map((i) => ({ id: i.id, title: i.title ?? '', link: i.url }));
    const [rss, atom] = await feedparser([await published(`${name}.xml`), await published(`${name}.atom`)]);
    expect(rss?.bozoException).toBeUndefined();
    expect(rss?.bozo).toBe(0);
    expect(rss?.version).toBe('rss20');
    expect(atom?.bozoException).toBeUndefined();
    expect(atom?.bozo).toBe(0);
    expect(atom?.version).toBe('atom10');
    for (const parsed of [rss, atom]) {
      expect(parsed?.title).toBe(json.title);
      expect(parsed?.entries.map((e) => ({ id: e.id, title: e.title ?? '', link: e.link ?? undefined }))).toEqual(expected);
    }
  });

  it('advertises rel="self" in every format, rel="hub" when a hub is configured, and the feed language', async () => {
    const [rss, atom] = await feedparser([await published('hubbed/feed.xml'), await published('hubbed/feed.atom')]);
    for (const parsed of [rss, atom]) {
      expect(parsed?.links).toEqual(expect.arrayContaining([{ rel: 'hub', href: HUB }]));
    }
    expect(atom?.links).toEqual(expect.arrayContaining([{ rel: 'self', href: `${rt.config.publicUrl}/feed.atom` }]));
    const rssText = await readFile(await published('feed.xml'), 'utf8');
    expect(rssText).toContain(`<atom:link href="${rt.config.publicUrl}/feed.xml" rel="self" type="application/rss+xml"/>`);
    expect(rssText).not.toContain('rel="hub"');
    const json = JSON.parse(await readFile(await published('hubbed/feed.json'), 'utf8')) as { feed_url: string; hubs: unknown };
    expect(json.feed_url).toBe(`${rt.config.publicUrl}/feed.json`);
    expect(json.hubs).toEqual([{ type: 'WebSub', url: HUB }]);
    // The Russian source's feed is all Russian: the language is declared on the feed.
    const vostok = await readFile(await published('sources/vostok-news.atom'), 'utf8');
    expect(vostok).toMatch(/<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="ru">/);
    expect(vostok).toContain(`<link rel="self" type="application/atom+xml" href="${rt.config.publicUrl}/sources/vostok-news.atom"/>`);
  });
});
