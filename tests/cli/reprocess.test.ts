/**
 * reprocessSource on real stores: it re-ingests the stored raw body named by the source's state
 * (gzip, no fetch), re-evaluating every entry, and reports what changed; and the progress bar
 * draws only on a terminal.
 */
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reprocessSource } from '../../cli/commands/reprocess';
import { runCycle } from '../../cli/local/cycle';
import { loadFeedDir, startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { progressBar } from '../../cli/local/progress';
import { SAMPLES_DIR } from '../../cli/local/samples';
import { loadConfig } from '../../shared/config';
import type { Source } from '../../shared/model';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { parseOpml } from '../../shared/sources/opml';
import { createTestStores, testConfig } from '../helpers/stores';
import { ROOT } from './cli';

let feeds: FeedServer;
let rt: Runtime;
let sources: Source[];

beforeAll(async () => {
  feeds = await startFeedServer(await loadFeedDir(SAMPLES_DIR));
  const config = testConfig({ logLevel: 'SILENT', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${feeds.port}`] } });
  await createTestStores(config);
  rt = createRuntime(config);
  const opml = (await readFile(join(ROOT, 'sources/sources.opml'), 'utf8')).replaceAll('http://127.0.0.1:8079', feeds.url);
  sources = parseOpml(opml).sources;
  const file = join(await mkdtemp(join(tmpdir(), 'tributary-reprocess-')), 'sources.opml');
  await writeFile(file, opml);
  expect((await runCycle(rt, file, true)).failures).toEqual([]);
});

afterAll(async () => {
  await feeds?.close();
});

const source = (id: string) => sources.find((s) => s.id === id) as Source;

describe('reprocessSource', () => {
  it('finds nothing to change when the stored body is what was ingested, and fetches nothing', async () => {
    const before = feeds.stats.requests;
    const state = (await rt.states.getStates(['global-wire'])).get('global-wire');
    // The job's bodies arrive together: a shared batch object, the body found by its range (or its own object).
    expect(state?.lastRawKey).toMatch(/^raw\/(feeds\/global-wire\/[0-9a-f]{64}|batches\/\d{4}-\d{2}-\d{2}\/[0-9a-f]{32})\.gz$/);
    expect(state?.lastRawRange !== undefined).toBe(state?.lastRawKey?.startsWith('raw/batches/'));
    expect(await reprocessSource(rt, source('global-wire'), state)).toEqual({ sourceId: 'global-wire', status: 'done', entries: 3, created: 0, updated: 0, merged: 0 });
    expect(feeds.stats.requests).toBe(before);
  });

  it('re-evaluates every entry of the stored body, so changed entries are updated and new ones created', async () => {
    const state = (await rt.states.getStates(['global-wire'])).get('global-wire');
    if (!state?.lastRawKey) throw new Error('no raw body');
    const original = new TextDecoder().decode((await loadFeedDir(SAMPLES_DIR)).get('/global-wire.xml')?.body);
    const changed = original
      .replace('Divers map a Bronze Age shipwreck off Crete', 'Divers map a Bronze Age shipwreck off Crete, with 40 copper ingots')
      .replace('<item>', '<item><title>Port strike called off</title><link>https://wire.example/2026/11/port-strike-off</link><guid isPermaLink="false">wire-strike</guid><pubDate>Thu, 26 Nov 2026 07:00:00 GMT</pubDate><description>Agreed overnight.</description></item><item>');
    expect(changed).not.toBe(original);
    const key = 'raw/feeds/global-wire/changed.gz';
    await rt.blobs.put(key, gzipSync(Buffer.from(changed, 'utf8')));
    // The seen fingerprints of the state still describe the original body: reprocess must not use them.
    const outcome = await reprocessSource(rt, source('global-wire'), { ...state, lastRawKey: key, lastRawRange: undefined });
    expect(outcome).toEqual({ sourceId: 'global-wire', status: 'done', entries: 4, created: 1, updated: 1, merged: 0 });
    const { items } = await rt.items.newest({ sourceId: 'global-wire', limit: 10 });
    expect(items.map((i) => i.title)).toEqual(expect.arrayContaining(['Port strike called off', 'Divers map a Bronze Age shipwreck off Crete, with 40 copper ingots']));
  });

  it('skips a source never fetched and reports a missing or corrupt body as a failure of that source only', async () => {
    expect(await reprocessSource(rt, source('tech-ledger'), undefined)).toMatchObject({ status: 'skipped', reason: 'no stored feed body (not fetched yet)' });
    const state = { sourceId: 'tech-ledger', consecutiveFailures: 0, itemsSeen: 0, lastRawKey: 'raw/feeds/tech-ledger/gone.gz' };
    expect(await reprocessSource(rt, source('tech-ledger'), state)).toMatchObject({ status: 'skipped', reason: 'stored body raw/feeds/tech-ledger/gone.gz is missing' });
    await rt.blobs.put('raw/feeds/tech-ledger/plain.gz', 'not gzip');
    expect(await reprocessSource(rt, source('tech-ledger'), { ...state, lastRawKey: 'raw/feeds/tech-ledger/plain.gz', lastRawRange: undefined })).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^cli: stored body raw\/feeds\/tech-ledger\/plain\.gz is not gzip/),
    });
    await rt.blobs.put('raw/feeds/tech-ledger/junk.gz', gzipSync(Buffer.from('<html><body>not a feed</body></html>')));
    expect(await reprocessSource(rt, source('tech-ledger'), { ...state, lastRawKey: 'raw/feeds/tech-ledger/junk.gz', lastRawRange: undefined })).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^parse: /),
    });
  });
});

describe('progressBar', () => {
  function stream(isTTY: boolean) {
    let written = '';
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => ((written += chunk.toString()), done()) }) as Writable & { isTTY?: boolean; columns?: number };
    out.isTTY = isTTY;
    out.columns = 80;
    return { out: out as unknown as NodeJS.WriteStream, text: () => written };
  }

  it('draws a bar on a terminal and clears it at the end', () => {
    const s = stream(true);
    const bar = progressBar(4, s.out);
    bar.tick('alpha');
    bar.tick('beta');
    bar.done();
    expect(s.text()).toContain('\r[############------------] 2/4 beta\u001b[K');
    expect(s.text().endsWith('\r\u001b[K')).toBe(true);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const s = stream(false);
    const bar = progressBar(4, s.out);
    bar.tick('alpha');
    bar.done();
    expect(s.text()).toBe('');
  });
});
