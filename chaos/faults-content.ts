/** Feed-server faults in what is sent: broken compression, oversize and non-feed bodies, bad charsets, redirects. */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { billionLaughsFeed, binaryGarbage, brokenXmlFeed, cp1251Feed, cyrillicEntries, entriesFor, gzipBomb, htmlPage } from './feeds';
import { FAULTY, FAULTY_PATH, inWorld, transientFeedFault, type FaultHandler } from './kit';
import { checkGoodSourcesIsolated } from './measure';
import type { FaultScenario } from './scenario';
import { serveFeed, type World } from './world';

const FEED = Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel><title>gz</title>${'<item><title>compressible</title></item>'.repeat(200)}</channel></rss>`);
const GZ = gzipSync(FEED);

function gzipped(body: Buffer, declaredLength = body.length): FaultHandler {
  return (_req, res: ServerResponse) =>
    void res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip', 'content-length': String(declaredLength) }).end(body);
}

function corrupt(gz: Buffer): Buffer {
  const copy = Buffer.from(gz);
  for (let i = 20; i < copy.length - 12; i += 7) copy[i] = (copy[i] ?? 0) ^ 0x5a;
  return copy;
}

function body(bytes: Buffer, contentType: string): FaultHandler {
  return (_req, res) => serveFeed(res, bytes, contentType);
}

/** Streams `total` bytes without a Content-Length (chunked), so only the running count can stop it. */
function chunkedFlood(total: number): FaultHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  };
}

function redirect(code: number, location: string): FaultHandler {
  return (_req, res) => void res.writeHead(code, { location }).end();
}

/** A source that moves: `/faulty/old.xml` answers `code` to `/faulty/new.xml`; state.url must follow only permanent moves. */
function movedSource(name: string, code: number, permanent: boolean): FaultScenario {
  return {
    name,
    group: 'feed',
    how: `${code} from the listed URL to a new one`,
    run: () =>
      inWorld(name, 'feed', { faulty: [{ id: FAULTY, url: '/faulty/old.xml', recovers: true }] }, async (world) => {
        let oldHits = 0;
        world.server.route('/faulty/old.xml', (req, res) => {
          oldHits++;
          redirect(code, '/faulty/new.xml')(req, res);
        });
        world.server.route('/faulty/new.xml', (_req, res) => serveFeed(res, world.feeds.get(FAULTY) ?? Buffer.alloc(0)));
        await world.cycle();
        await checkGoodSourcesIsolated(world);
        const state = await world.state(FAULTY);
        const moved = `${world.server.url}/faulty/new.xml`;
        world.check(state?.status === 'ok', `${FAULTY}: status ${state?.status} after a ${code}`);
        if (permanent) world.check(state?.url === moved, `${FAULTY}: state.url ${state?.url}, expected ${moved} after a ${code}`);
        else world.check(state?.url === undefined, `${FAULTY}: state.url changed to ${state?.url} after a temporary ${code}`);
        await world.cycle();
        world.check(oldHits === (permanent ? 1 : 2), `${FAULTY}: the old URL was asked ${oldHits} times over two cycles`);
      }),
  };
}

async function checkCyrillicTitles(world: World): Promise<void> {
  const { items } = await world.stack.runtime.items.newest({ limit: 100, sourceId: FAULTY });
  const want = new Set(cyrillicEntries(FAULTY, 3).map((e) => e.title));
  const mangled = items.filter((i) => !want.has(i.title));
  world.check(mangled.length === 0, `windows-1251 titles mangled: ${mangled.map((i) => JSON.stringify(i.title)).join(', ')}`);
}

/** A fault that never clears but whose entries must still arrive (recoverable content). */
function recoverableContent(name: string, how: string, handler: FaultHandler, after?: (world: World) => Promise<void>, fast = false): FaultScenario {
  return {
    name,
    group: 'feed',
    how,
    ...(fast ? { fast: true } : {}),
    run: () =>
      inWorld(name, 'feed', { faulty: [{ id: FAULTY, url: FAULTY_PATH, recovers: true }] }, async (world) => {
        world.server.route(FAULTY_PATH, handler);
        await world.cycle();
        await checkGoodSourcesIsolated(world);
        const state = await world.state(FAULTY);
        world.check(state?.status === 'ok', `${FAULTY}: status ${state?.status} (${state?.lastError ?? ''}); expected the entries recovered`);
        await world.cycle();
        await after?.(world);
      }),
  };
}

/** A body that must be rejected without hurting the process; its entries (if any) are not expected. */
function hostileContent(name: string, how: string, handler: FaultHandler): FaultScenario {
  return {
    name,
    group: 'feed',
    how,
    run: () =>
      inWorld(name, 'feed', { faulty: [{ id: FAULTY, url: FAULTY_PATH, recovers: false }] }, async (world) => {
        world.server.route(FAULTY_PATH, handler);
        const heapBefore = process.memoryUsage().heapUsed;
        const started = Date.now();
        await world.cycle();
        world.check(Date.now() - started < 10_000, `the cycle took ${Date.now() - started} ms`);
        world.check(process.memoryUsage().heapUsed - heapBefore < 256 * 1024 * 1024, 'the heap grew by more than 256 MiB');
        await checkGoodSourcesIsolated(world);
        const { items } = await world.stack.runtime.items.newest({ limit: 100, sourceId: FAULTY });
        const huge = items.filter((i) => i.title.length + (i.summaryText?.length ?? 0) > 100_000);
        world.check(huge.length === 0, `${huge.length} items stored with expanded entities`);
      }),
  };
}

/** The routes the loop and chain redirects go through. */
function installRedirectChains(world: World): void {
  world.server.route('/faulty/loop', redirect(302, FAULTY_PATH));
  for (let i = 1; i <= 8; i++) world.server.route(`/faulty/hop/${i}`, redirect(302, i < 8 ? `/faulty/hop/${i + 1}` : '/faulty/real.xml'));
}

/** The content and redirect faults. */
export const contentFaults: FaultScenario[] = [
  transientFeedFault('truncated-gzip', 'gzip body cut in half, Content-Length matching the cut', gzipped(GZ.subarray(0, GZ.length >> 1)), { want: { error: /truncated|corrupt/ } }),
  transientFeedFault('corrupt-gzip', 'gzip body with every 7th byte flipped', gzipped(corrupt(GZ)), { want: { error: /corrupt|truncated/ } }),
  transientFeedFault('gzip-bomb', '16 MiB of spaces gzipped to ~16 KiB (cap 256 KiB)', gzipped(gzipBomb()), { fast: true, want: { error: /larger than/ } }),
  transientFeedFault('oversize-content-length', 'Content-Length 1 MiB over a 256 KiB cap', (_req, res) => void res.writeHead(200, { 'content-length': String(1 << 20) }).end(), {
    want: { error: /exceeds|larger/ },
  }),
  transientFeedFault('oversize-chunked', '1 MiB streamed without Content-Length', chunkedFlood(1 << 20), { want: { error: /larger than/ } }),
  transientFeedFault('empty-body', '200 with an empty body', body(Buffer.alloc(0), 'application/rss+xml'), { want: {} }),
  transientFeedFault('binary-garbage', '4 KiB of pseudo-random bytes labelled RSS', body(binaryGarbage(4096), 'application/rss+xml'), { want: {} }),
  transientFeedFault('html-instead-of-feed', 'an HTML page advertising its feed', body(htmlPage('/faulty/real.xml'), 'text/html; charset=utf-8'), {
    fast: true,
    want: { error: /127\.0\.0\.1:\d+\/faulty\/real\.xml/ },
  }),
  transientFeedFault('json-not-a-feed', 'a JSON document that is not a JSON Feed', body(Buffer.from('{"hello":"world","items":42}'), 'application/json'), { want: {} }),
  transientFeedFault('redirect-loop', '302 → /faulty/loop → 302 back', redirect(302, '/faulty/loop'), {
    want: { error: /loop/ },
    setup: installRedirectChains,
  }),
  transientFeedFault('too-many-redirects', 'a chain of 8 redirects (limit 5)', redirect(302, '/faulty/hop/1'), {
    want: { error: /too many redirects/ },
    setup: installRedirectChains,
  }),
  movedSource('redirect-301', 301, true),
  movedSource('redirect-308', 308, true),
  movedSource('redirect-302', 302, false),
  recoverableContent('invalid-xml-bozo', 'bare &, unclosed <br>, no closing tags', (_req, res) => serveFeed(res, brokenXmlFeed(entriesFor(FAULTY, 3)))),
  recoverableContent('wrong-charset-label', 'windows-1251 bytes labelled charset=utf-8', (_req, res) => serveFeed(res, cp1251Feed(cyrillicEntries(FAULTY, 3))), checkCyrillicTitles),
  hostileContent('billion-laughs', 'ten levels of ten-fold entity expansion', body(billionLaughsFeed(), 'application/rss+xml')),
];

