/**
 * SSRF faults: a feed (directly or by redirect) points at the metadata service, a private address, a
 * loopback port that is not allowlisted (in decimal, octal, hex, IPv6-mapped and DNS-name spellings),
 * or a non-HTTP scheme. `ssrfReached` counts connections accepted by a loopback canary that is NOT
 * allowlisted, plus connects to non-loopback targets that the network sandbox had to refuse (the
 * guard should have stopped them before any socket): both must be 0.
 */
import { createServer, type Server } from 'node:net';
import { FAULTY, inWorld } from './kit';
import { checkFailureVisible, checkGoodSourcesIsolated } from './measure';
import { installNetworkSandbox } from './sandbox';
import type { FaultScenario } from './scenario';

/** A loopback TCP server that counts the connections that reach it and closes them. */
interface Canary {
  port: number;
  connections: number;
  close(): Promise<void>;
}

async function startCanary(): Promise<Canary> {
  const canary: Canary = { port: 0, connections: 0, close: async () => undefined };
  const server: Server = createServer((socket) => {
    canary.connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  canary.port = (server.address() as { port: number }).port;
  canary.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return canary;
}

/** How the hostile URL reaches the fetcher. */
type Delivery = 'redirect' | 'direct';

/** A scenario where the faulty source leads to `target` (`{canary}` is the canary's port); the fetch must be blocked. */
function ssrf(name: string, how: string, target: string, delivery: Delivery, error: RegExp, fast = false): FaultScenario {
  return {
    name,
    group: 'ssrf',
    how: `${how} (${delivery === 'redirect' ? '302 from the feed' : 'listed as the feed URL'})`,
    ...(fast ? { fast: true } : {}),
    async run() {
      const sandbox = installNetworkSandbox();
      const canary = await startCanary();
      const url = target.replace('{canary}', String(canary.port));
      const blockedBefore = sandbox.blocked.length;
      try {
        const listed = delivery === 'redirect' ? '/faulty/feed.xml' : url;
        return await inWorld(name, 'ssrf', { faulty: [{ id: FAULTY, url: listed, recovers: false }] }, async (world) => {
          if (delivery === 'redirect') world.server.route('/faulty/feed.xml', (_req, res) => void res.writeHead(302, { location: url }).end());
          await world.cycle();
          await checkGoodSourcesIsolated(world);
          checkFailureVisible(world, FAULTY, await world.state(FAULTY), { error });
          return canary.connections + sandbox.blocked.length - blockedBefore;
        });
      } finally {
        await canary.close();
      }
    },
  };
}

const BLOCKED = /blocked (address|scheme)/;

/** The SSRF faults. */
export const ssrfFaults: FaultScenario[] = [
  ssrf('ssrf-redirect-metadata', 'redirect to http://169.254.169.254/latest/meta-data/', 'http://169.254.169.254/latest/meta-data/', 'redirect', BLOCKED, true),
  ssrf('ssrf-direct-metadata-decimal', 'http://2852039166/ (169.254.169.254 as one decimal number)', 'http://2852039166/latest/meta-data/', 'direct', BLOCKED),
  ssrf('ssrf-redirect-private-10', 'redirect to http://10.0.0.1/', 'http://10.0.0.1/admin', 'redirect', BLOCKED),
  ssrf('ssrf-redirect-loopback-port', 'redirect to a loopback port that is not allowlisted', 'http://127.0.0.1:{canary}/feed.xml', 'redirect', BLOCKED, true),
  ssrf('ssrf-decimal-ip', 'http://2130706433:{canary}/ (127.0.0.1 in decimal)', 'http://2130706433:{canary}/feed.xml', 'redirect', BLOCKED),
  ssrf('ssrf-octal-ip', 'http://0177.0.0.1:{canary}/ (octal)', 'http://0177.0.0.1:{canary}/feed.xml', 'redirect', BLOCKED),
  ssrf('ssrf-hex-ip', 'http://0x7f.0x0.0x0.0x1:{canary}/ (hex)', 'http://0x7f.0x0.0x0.0x1:{canary}/feed.xml', 'direct', BLOCKED),
  ssrf('ssrf-ipv6-mapped', 'http://[::ffff:127.0.0.1]:{canary}/', 'http://[::ffff:127.0.0.1]:{canary}/feed.xml', 'redirect', BLOCKED),
  ssrf('ssrf-localhost-name', 'http://localhost:{canary}/ (a name that resolves to loopback)', 'http://localhost:{canary}/feed.xml', 'redirect', BLOCKED),
  ssrf('ssrf-file-url', 'redirect to file:///etc/passwd', 'file:///etc/passwd', 'redirect', BLOCKED),
  ssrf('ssrf-gopher-url', 'redirect to gopher://127.0.0.1:{canary}/_GET', 'gopher://127.0.0.1:{canary}/_GET%20/', 'redirect', BLOCKED),
];
