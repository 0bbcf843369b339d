/** The CLI's help, usage errors and `sources` commands, on a temporary sources file (TRIBUTARY_SOURCES_FILE). */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../shared/model';
import { parseOpml } from '../../shared/sources/opml';
import { cli, hasStackTrace } from './cli';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-cli-sources-'));
  env = { TRIBUTARY_SOURCES_FILE: join(dir, 'sources.opml'), TRIBUTARY_DATA_DIR: join(dir, 'data') };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Exit code 1 or 2 with exactly one line on stderr, "tributary: …", and nothing on stdout. */
function expectOneLineError(r: { code: number | null; stdout: string; stderr: string }, code: number, pattern: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tributary: /);
  expect(lines[0]).toMatch(pattern);
  expect(hasStackTrace(r.stderr)).toBe(false);
}

describe('tributary: help and usage errors', () => {
  // independent processes: started together to keep the file fast
  let runs: Promise<Awaited<ReturnType<typeof cli>>[]>;
  beforeAll(() => {
    runs = Promise.all([
      cli(['--help'], env),
      cli(['frobnicate'], env),
      cli(['run', '--no-samples', '--data', join(dir, 'unused')], env),
      cli(['feed', '--format', 'pdf', '--data', join(dir, 'unused')], env),
      cli(['sources', 'list', '--frobnicate'], env),
    ]);
  });

  it('prints the help and exits 0', async () => {
    const [help] = await runs;
    expect(help?.code).toBe(0);
    expect(help?.stdout).toMatch(/^Usage: tributary <command>/);
    for (const command of ['serve', 'run --once', 'sources', 'items', 'feed']) expect(help?.stdout).toContain(command);
    expect(help?.stderr).toBe('');
  });

  it('rejects an unknown command with exit 2 and one line, no stack trace', async () => {
    const [, unknown] = await runs;
    expectOneLineError(unknown!, 2, /unknown command "frobnicate"/);
  });

  it('rejects bad flags with exit 2', async () => {
    const [, , runNoOnce, badFormat, badFlag] = await runs;
    expectOneLineError(runNoOnce!, 2, /run needs --once/);
    expectOneLineError(badFormat!, 2, /--format must be rss, atom or json; got "pdf"/);
    expectOneLineError(badFlag!, 2, /frobnicate/);
  });
});

describe('tributary sources', () => {
  it('adds a source that list --json then shows', async () => {
    const add = await cli(['sources', 'add', 'https://a.example/feed.xml', '--id', 'x', '--tag', 'a', '--tag', 'b', '--title', 'Feed X'], env);
    expect(add.code).toBe(0);
    expect(add.lines).toEqual(['added x https://a.example/feed.xml']);
    const list = await cli(['sources', 'list', '--json'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual<Source[]>([{ id: 'x', url: 'https://a.example/feed.xml', title: 'Feed X', tags: ['a', 'b'] }]);
  });

  it('refuses a duplicate URL or an unknown id with exit 1 and leaves the file as it was', async () => {
    const before = await readFile(env.TRIBUTARY_SOURCES_FILE as string, 'utf8');
    const [dup, unknown] = await Promise.all([cli(['sources', 'add', 'https://A.example/feed.xml', '--id', 'y'], env), cli(['sources', 'remove', 'nope'], env)]);
    expectOneLineError(dup, 1, /^tributary: sources: already a source: https:\/\/a\.example\/feed\.xml$/);
    expectOneLineError(unknown, 1, /no source "nope"/);
    expect(await readFile(env.TRIBUTARY_SOURCES_FILE as string, 'utf8')).toBe(before);
  });

  it('imports another reader\'s OPML, counting what it added and skipped', async () => {
    const other = join(dir, 'export.opml');
    await writeFile(
      other,
      `<?xml version="1.0"?><opml version="1.0"><head><title>Reader</title></head><body><outline title="Folder">
        <outline type="rss" text="Again" xmlUrl="https://a.example/feed.xml"/>
        <outline type="rss" text="B" xmlUrl="https://b.example/rss"/>
        <outline type="rss" text="C" xmlUrl="https://c.example/atom"/>
      </outline></body></opml>`,
    );
    const r = await cli(['sources', 'import', other], env);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['imported 2 sources, skipped 1 already present']);
    const saved = parseOpml(await readFile(env.TRIBUTARY_SOURCES_FILE as string, 'utf8'));
    expect(saved.sources.map((s) => [s.url, s.tags])).toEqual([
      ['https://a.example/feed.xml', ['a', 'b']],
      ['https://b.example/rss', ['Folder']],
      ['https://c.example/atom', ['Folder']],
    ]);
  });

  it('removes by id, and export prints OPML that parses back to the file\'s sources', async () => {
    const rm = await cli(['sources', 'remove', 'x'], env);
    expect(rm.code).toBe(0);
    expect(rm.lines).toEqual(['removed x https://a.example/feed.xml']);
    const exp = await cli(['sources', 'export'], env);
    expect(exp.code).toBe(0);
    expect(exp.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0"/);
    const exported = parseOpml(exp.stdout);
    expect(exported.sources.map((s) => s.url)).toEqual(['https://b.example/rss', 'https://c.example/atom']);
    expect(exported.sources).toEqual(parseOpml(await readFile(env.TRIBUTARY_SOURCES_FILE as string, 'utf8')).sources);
  });
});
