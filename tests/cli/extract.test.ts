/** `tributary extract` as a user runs it: a page file on disk, as text and as JSON; one-line errors. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, hasStackTrace } from './cli';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Central bank holds rates | Global Wire</title>
<meta property="og:image" content="/img/bank.jpg"><meta name="author" content="Marc Dupont">
<meta property="article:published_time" content="2026-11-24T13:15:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Central bank holds rates at 2.25% and signals patience</h1>
<p>Policy makers kept the deposit rate at 2.25% for a fourth meeting and said inflation was close to target, in a decision that markets had widely expected.</p>
<p>The bank's president told reporters that the governing council saw no reason to move before the spring projections, and that wage growth was slowing.</p>
<p>Economists polled before the meeting had unanimously predicted the hold, though several now expect a cut by June as energy prices ease.</p>
</article><footer>Share this story. Subscribe to our newsletter.</footer></body></html>`;

let file: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-extract-'));
  file = join(dir, 'rates.html');
  await writeFile(file, PAGE);
});

describe('tributary extract FILE', () => {
  it('prints the metadata, then the article text', async () => {
    const r = await cli(['extract', file, '--url', 'https://wire.example/2026/11/rates']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.lines.slice(0, 5)).toEqual([
      'url:       https://wire.example/2026/11/rates',
      'title:     Central bank holds rates | Global Wire',
      'byline:    Marc Dupont',
      'published: 2026-11-24T13:15:00.000Z',
      'image:     https://wire.example/img/bank.jpg',
    ]);
    expect(r.stdout).toContain('\n\nPolicy makers kept the deposit rate');
    expect(r.stdout).not.toContain('newsletter');
  });

  it('prints one JSON object with --json (base URL: the file)', async () => {
    const r = await cli(['extract', file, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.url).toMatch(/^file:\/\/.*rates\.html$/);
    expect(out).toMatchObject({ byline: 'Marc Dupont', lang: 'en', published: '2026-11-24T13:15:00.000Z' });
    expect(out.text).toMatch(/^Central bank holds rates at 2\.25%/);
    expect(out.words).toBeGreaterThan(60);
    expect(out).not.toHaveProperty('html');
  });

  it('fetches a URL under the guard: a loopback page only with --allow-host', async () => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const blocked = await cli(['extract', `http://${host}/rates`]);
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toMatch(/^tributary: fetch: /);
      const r = await cli(['extract', `http://${host}/rates`, '--allow-host', host, '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ url: `http://${host}/rates`, leadImage: `http://${host}/img/bank.jpg` });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('explains a missing file, a blocked URL and a bad call in one line', async () => {
    const missing = await cli(['extract', join(file, '..', 'nope.html')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^tributary: cli: cannot read .*nope\.html: ENOENT\n$/);
    const blocked = await cli(['extract', 'http://127.0.0.1:9/page']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/^tributary: fetch: .*\n$/);
    const none = await cli(['extract']);
    expect(none.code).toBe(2);
    expect(hasStackTrace(missing.stderr + blocked.stderr + none.stderr)).toBe(false);
    expect((await cli(['extract', '--help'])).stdout).toMatch(/^Usage: tributary extract /);
  });
});
