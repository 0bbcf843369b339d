/**
 * `tributary run --once`, `items` and `feed` as child processes on a temporary data folder, fetching
 * two small feeds from a loopback server in this process. Each process opens the embedded stores
 * exclusively, so the runs are sequential.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import type { Item } from '../../shared/model';
import { serializeOpml } from '../../shared/sources/opml';
import { ALPHA, BETA, testFeedFiles } from '../api/fixtures';
import { cli, hasStackTrace, type CliResult } from './cli';

let server: FeedServer;
let dir: string;
let sourcesFile: string;
let withBroken: string;
let env: Record<string, string>;

const NEWEST_FIRST = [...ALPHA, ...BETA].sort((a, b) => b.date.localeCompare(a.date)).map((e) => e.title);

beforeAll(async () => {
  server = await startFeedServer(testFeedFiles());
  dir = await mkdtemp(join(tmpdir(), 'tributary-cli-run-'));
  env = { TRIBUTARY_SOURCES_FILE: join(dir, 'unused.opml'), TRIBUTARY_DATA_DIR: join(dir, 'default-data') };
  const good = [
    { id: 'alpha', url: `${server.url}/alpha.xml`, title: 'Alpha', tags: [] },
    { id: 'beta', url: `${server.url}/beta.atom`, title: 'Beta', tags: [] },
  ];
  sourcesFile = join(dir, 'sources.opml');
  await writeFile(sourcesFile, serializeOpml({ title: 'cli', sources: good }));
  withBroken = join(dir, 'with-broken.opml');
  await writeFile(withBroken, serializeOpml({ title: 'cli', sources: [...good, { id: 'missing', url: `${server.url}/missing.xml`, title: 'Missing', tags: [] }] }));
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const data = () => join(dir, 'data');
const run = (file: string) => cli(['run', '--once', '--sources', file, '--data', data(), '--no-samples', '--allow-host', `127.0.0.1:${server.port}`, '--json'], env, 30_000);

/** The cycle summary: the last stdout line, which must be JSON. */
function summary(r: CliResult): Record<string, unknown> & { itemsNew: number; notModified: number; failed: number; sources: number } {
  const last = r.lines.at(-1) ?? '';
  expect(() => JSON.parse(last), `last line: ${last}`).not.toThrow();
  return JSON.parse(last);
}

function expectClean(r: CliResult): void {
  expect(r.code, r.stderr).toBe(0);
  expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
}

describe('tributary run --once', () => {
  it('fetches and stores every entry on the first run, ending with a JSON line', async () => {
    const r = await run(sourcesFile);
    expectClean(r);
    const s = summary(r);
    expect(s).toMatchObject({ sources: 2, due: 2, ok: 2, failed: 0, notModified: 0, itemsNew: ALPHA.length + BETA.length, failures: [] });
    expect(s.itemsNew).toBeGreaterThan(0);
    expect(r.lines[0]).toMatch(/^cycle .*2\/2 sources due, 2 fetched, 0 not modified, 0 failed; 5 entries read, 5 new/);
  });

  it('gets 304 Not Modified for every source on an identical second run and stores nothing new', async () => {
    const notModifiedBefore = server.stats.notModified;
    const r = await run(sourcesFile);
    expectClean(r);
    const s = summary(r);
    expect(s).toMatchObject({ sources: 2, notModified: 2, itemsNew: 0, itemsUpdated: 0, itemsMerged: 0, failed: 0 });
    expect(server.stats.notModified - notModifiedBefore).toBe(2);
  });

  it('still exits 0 when a source fails, and names it on a "failed" line', async () => {
    const r = await run(withBroken);
    expectClean(r);
    expect(r.lines).toContainEqual(expect.stringMatching(/^\s*failed missing: fetch: 404 Not Found$/));
    const s = summary(r);
    expect(s).toMatchObject({ sources: 3, failed: 1, notModified: 2, itemsNew: 0 });
    expect(s.failures).toEqual([{ sourceId: 'missing', error: 'fetch: 404 Not Found' }]);
  });
});

describe('tributary items and feed', () => {
  it('lists the stored items as JSON, newest first', async () => {
    const r = await cli(['items', '--data', data(), '--json'], env);
    expectClean(r);
    const page = JSON.parse(r.stdout) as { items: Item[] };
    expect(page.items.map((i) => i.title)).toEqual(NEWEST_FIRST);
    expect(new Set(page.items.map((i) => i.sourceIds[0]))).toEqual(new Set(['alpha', 'beta']));
  });

  it('prints the published Atom feed', async () => {
    const r = await cli(['feed', '--format', 'atom', '--data', data()], env);
    expectClean(r);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\s*<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/i);
    expect(r.stdout.trimEnd()).toMatch(/<\/feed>$/);
    expect(r.stdout.match(/<entry[\s>]/g)).toHaveLength(NEWEST_FIRST.length);
    for (const title of NEWEST_FIRST) expect(r.stdout).toContain(title);
  });
});
