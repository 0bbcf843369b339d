/**
 * The fast subset of the chaos suite (`npm run chaos` runs all of it): representative feed, SSRF,
 * storage and delivery faults against the real local stack, plus checks that the meters themselves
 * see a loss and a blocked connection.
 */
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { closeFetchAgents } from '../../shared/fetch';
import { FAULTY, FAULTY_PATH, inWorld } from '../../chaos/kit';
import { installNetworkSandbox } from '../../chaos/sandbox';
import { allFaults } from '../../chaos/suite';

const sandbox = installNetworkSandbox();

afterAll(async () => {
  await closeFetchAgents();
});

describe('the chaos meters', () => {
  it('counts the entries of a source that never recovers as lost', async () => {
    const row = await inWorld('meter-self-check', 'feed', { faulty: [{ id: FAULTY, url: FAULTY_PATH, recovers: true }] }, async (world) => {
      world.server.route(FAULTY_PATH, (_req, res) => void res.writeHead(500).end());
      await world.cycle();
    });
    expect(row.lost).toBe(3);
    expect(row.stored).toBe(6);
    expect(row.crashed).toBe(0);
  });

  it('refuses and records a connection to a non-loopback address, sending nothing', async () => {
    const before = sandbox.blocked.length;
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      net.connect({ host: '169.254.169.254', port: 80 }).once('error', resolve);
    });
    expect(error.code).toBe('ECONNREFUSED');
    expect(sandbox.blocked.slice(before)).toEqual([expect.objectContaining({ host: '169.254.169.254', port: 80 })]);
  });
});

describe('the fast chaos subset', () => {
  const fast = allFaults().filter((s) => s.fast);

  it('has representatives of every fault group', () => {
    expect(new Set(fast.map((s) => s.group))).toEqual(new Set(['feed', 'ssrf', 'storage', 'process']));
  });

  for (const scenario of fast) {
    it(`${scenario.name}: nothing lost, duplicated, crashed or reached`, async () => {
      const row = await scenario.run();
      expect(row.problems).toEqual([]);
      expect({ lost: row.lost, duplicated: row.duplicated, crashed: row.crashed, ssrfReached: row.ssrfReached }).toEqual({ lost: 0, duplicated: 0, crashed: 0, ssrfReached: 0 });
      expect(row.stored).toBe(row.expected);
    });
  }
});
