import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BlockedUrlError } from '../../shared/errors';
import { assertUrlAllowed, closeFetchAgents, fetchFeed, isAllowedHost } from '../../shared/fetch';
import { getFetchAgent } from '../../shared/fetch/agent';
import { connectionLookup, guardedLookup } from '../../shared/fetch/guard';
import { startFeedServer, testSettings, type FeedServer } from './feed-server';

describe('isAllowedHost', () => {
  const allowed = (url: string, hosts: string[]): boolean => isAllowedHost(new URL(url), hosts);

  it('matches host:port entries on host and port only', () => {
    expect(allowed('http://127.0.0.1:8080/feed', ['127.0.0.1:8080'])).toBe(true);
    expect(allowed('http://127.0.0.1:8081/feed', ['127.0.0.1:8080'])).toBe(false);
    expect(allowed('http://127.0.0.1/feed', ['127.0.0.1:8080'])).toBe(false);
  });

  it('matches a bare host entry on any port', () => {
    expect(allowed('http://127.0.0.1:9/x', ['127.0.0.1'])).toBe(true);
    expect(allowed('https://feeds.local/x', ['feeds.local'])).toBe(true);
  });

  it('compares the effective port (scheme default when the URL has none)', () => {
    expect(allowed('https://example.com/', ['example.com:443'])).toBe(true);
    expect(allowed('http://example.com/', ['example.com:443'])).toBe(false);
    expect(allowed('http://example.com/', ['example.com:80'])).toBe(true);
  });

  it('normalises case, IPv6 brackets and IPv4 spellings like the URL parser', () => {
    expect(allowed('http://EXAMPLE.com/', ['example.COM'])).toBe(true);
    expect(allowed('http://[::1]:8080/', ['[::1]:8080'])).toBe(true);
    expect(allowed('http://[::1]:8080/', ['::1'])).toBe(true);
    expect(allowed('http://[::1]:8080/', ['[::1]:8081'])).toBe(false);
    expect(allowed('http://2130706433:8080/', ['127.0.0.1:8080'])).toBe(true);
  });

  it('does not match other hosts, subdomains, or junk entries', () => {
    expect(allowed('http://sub.example.com/', ['example.com'])).toBe(false);
    expect(allowed('http://example.com.evil.test/', ['example.com'])).toBe(false);
    expect(allowed('http://127.0.0.2:8080/', ['127.0.0.1:8080'])).toBe(false);
    expect(allowed('http://127.0.0.1/', [])).toBe(false);
    expect(allowed('http://127.0.0.1/', ['', '   ', 'http://[bad', 'a b'])).toBe(false);
  });
});

describe('assertUrlAllowed', () => {
  it.each(['file:///etc/passwd', 'ftp://example.com/feed.xml', 'gopher://example.com/', 'data:text/xml,<rss/>', 'javascript:alert(1)'])(
    'blocks the scheme of %s',
    (url) => {
      expect(() => assertUrlAllowed(new URL(url), [])).toThrow(BlockedUrlError);
    },
  );

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0xa9.0xfe.0xa9.0xfe/latest/meta-data', '169.254.169.254'],
    ['http://[::1]/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[64:ff9b::a9fe:a9fe]/', '64:ff9b::a9fe:a9fe'],
    ['http://0/', '0.0.0.0'],
  ])('blocks the IP literal %s (normalised to %s)', (url, ip) => {
    expect(() => assertUrlAllowed(new URL(url), [])).toThrow(`fetch: blocked address ${ip} for host`);
  });

  it('lets public IP literals and host names through (names are checked at connect time)', () => {
    expect(() => assertUrlAllowed(new URL('https://93.184.215.14/feed'), [])).not.toThrow();
    expect(() => assertUrlAllowed(new URL('https://example.com/feed'), [])).not.toThrow();
    expect(() => assertUrlAllowed(new URL('http://localhost/'), [])).not.toThrow();
  });
});

describe('guard at connect time', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Asks a guarded agent for a new connection the way node:http does, and reports the callback's error. */
  function connect(protocol: 'http:' | 'https:', host: string, port: number, allowHosts: string[]): Promise<Error | null> {
    const agent = getFetchAgent({ connectTimeoutMs: 1_000, allowHosts }, protocol);
    return new Promise((resolve) => {
      const socket = agent.createConnection({ host, port }, (err) => resolve(err));
      socket?.on('error', (err: Error) => resolve(err));
    });
  }

  it('refuses a blocked IP literal without creating a socket, over http and https', async () => {
    const netSpy = vi.spyOn(net, 'connect');
    const tlsSpy = vi.spyOn(tls, 'connect');
    for (const protocol of ['http:', 'https:'] as const) {
      for (const hostname of ['169.254.169.254', '::1', '10.0.0.1']) {
        const err = await connect(protocol, hostname, 80, []);
        expect(err).toBeInstanceOf(BlockedUrlError);
        expect(err?.message).toBe(`fetch: blocked address ${hostname} for host ${hostname}`);
      }
    }
    expect(netSpy).not.toHaveBeenCalled();
    expect(tlsSpy).not.toHaveBeenCalled();
    // Control: an allowlisted endpoint does reach net.connect (port 1 on loopback: refused, harmless).
    const refused = await connect('http:', '127.0.0.1', 1, ['127.0.0.1:1']);
    expect((refused as NodeJS.ErrnoException | null)?.code).toBe('ECONNREFUSED');
    expect(netSpy).toHaveBeenCalledTimes(1);
  });

  it('resolves host names through guardedLookup unless the endpoint is allowlisted', () => {
    expect(connectionLookup('https:', 'feeds.example', 443, [])).toBe(guardedLookup);
    expect(connectionLookup('http:', '127.0.0.1', 8080, ['127.0.0.1:8080'])).toBeUndefined();
    expect(connectionLookup('https:', '93.184.215.14', 443, [])).toBe(guardedLookup);
    expect(() => connectionLookup('http:', '127.0.0.1', 8081, ['127.0.0.1:8080'])).toThrow(BlockedUrlError);
  });

  it('applies the connect timeout to DNS, TCP and the TLS handshake', async () => {
    // A listener that accepts TCP but never answers the TLS handshake.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const agent = getFetchAgent({ connectTimeoutMs: 200, allowHosts: [`127.0.0.1:${port}`] }, 'https:');
    const started = performance.now();
    // https hands the socket over only after the handshake, so the failure arrives through the callback.
    const err = await new Promise<Error | null>((resolve) => agent.createConnection({ host: '127.0.0.1', port }, resolve));
    expect(err?.name).toBe('TimeoutError');
    expect(err?.message).toBe(`fetch: connect timeout after 200ms to 127.0.0.1:${port}`);
    expect(performance.now() - started).toBeLessThan(1_000);
    silent.close();
  });

  it('refuses a host name whose DNS answer is loopback, inside lookup', async () => {
    for (const options of [{ all: true }, {}]) {
      const err = await new Promise<unknown>((resolve) => guardedLookup('localhost', options, (e) => resolve(e)));
      expect(err).toBeInstanceOf(BlockedUrlError);
      expect((err as Error).message).toMatch(/^fetch: blocked address (127\.0\.0\.1|::1) for host localhost$/);
    }
  });
});

describe('fetchFeed guard against a live loopback server', () => {
  let srv: FeedServer;
  let other: FeedServer;

  beforeAll(async () => {
    srv = await startFeedServer();
    other = await startFeedServer();
  });

  afterAll(async () => {
    await closeFetchAgents();
    await srv.close();
    await other.close();
  });

  async function blocked(url: string, allowHosts: string[]): Promise<BlockedUrlError> {
    const err = await fetchFeed({ url }, testSettings(srv.port, { allowHosts })).then(
      () => new Error(`expected ${url} to be blocked`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BlockedUrlError);
    return err as BlockedUrlError;
  }

  it('works with the allowlist entry and is blocked without it, before connecting', async () => {
    await expect(fetchFeed({ url: `${srv.base}/plain` }, testSettings(srv.port))).resolves.toMatchObject({ kind: 'ok' });
    const before = srv.connections;
    const err = await blocked(`${srv.base}/plain`, []);
    expect(err.message).toBe('fetch: blocked address 127.0.0.1 for host 127.0.0.1');
    expect(srv.connections).toBe(before);
  });

  it('blocks localhost, which resolves to loopback, at lookup time', async () => {
    const before = srv.connections;
    const err = await blocked(`http://localhost:${srv.port}/plain`, [`127.0.0.1:${srv.port}`]);
    expect(err.message).toMatch(/for host localhost$/);
    expect(srv.connections).toBe(before);
  });

  it('blocks 127.0.0.1 when only another port is allowlisted', async () => {
    const before = srv.connections;
    await blocked(`${srv.base}/plain`, [`127.0.0.1:${other.port}`]);
    expect(srv.connections).toBe(before);
  });

  it('blocks decimal, octal, hex and short IPv4 spellings of loopback', async () => {
    const before = srv.connections;
    for (const host of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f000001']) {
      await blocked(`http://${host}:${srv.port}/plain`, []);
    }
    expect(srv.connections).toBe(before);
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/feed.xml', 'gopher://127.0.0.1:70/1'])('blocks the non-http URL %s', async (url) => {
    const err = await blocked(url, []);
    expect(err.message).toMatch(/^fetch: blocked scheme/);
  });

  it('blocks a redirect from the allowed server to the cloud metadata address without connecting', async () => {
    const connectSpy = vi.spyOn(net, 'connect');
    const target = 'http://169.254.169.254/latest/meta-data';
    const err = await blocked(`${srv.base}/redirect-to?to=${encodeURIComponent(target)}`, [`127.0.0.1:${srv.port}`]);
    expect(err.message).toBe('fetch: blocked address 169.254.169.254 for host 169.254.169.254');
    const hosts = connectSpy.mock.calls.map((call) => JSON.stringify(call[0]));
    expect(hosts.some((h) => h.includes('169.254'))).toBe(false);
    connectSpy.mockRestore();
  });

  it('blocks a redirect to a loopback port that is not allowlisted', async () => {
    const target = `http://127.0.0.1:${other.port}/plain`;
    await blocked(`${srv.base}/redirect-to?to=${encodeURIComponent(target)}`, [`127.0.0.1:${srv.port}`]);
    const viaName = `http://localhost:${other.port}/plain`;
    await blocked(`${srv.base}/redirect-to?to=${encodeURIComponent(viaName)}`, [`127.0.0.1:${srv.port}`]);
    expect(other.connections).toBe(0);
  });

  it('blocks a redirect to a file: URL', async () => {
    const err = await blocked(`${srv.base}/redirect-to?to=${encodeURIComponent('file:///etc/passwd')}`, [`127.0.0.1:${srv.port}`]);
    expect(err.message).toMatch(/blocked scheme file:/);
  });
});
