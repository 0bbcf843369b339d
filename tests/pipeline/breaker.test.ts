/** The outage breaker: a batch that fails at the network level across hosts is not counted against its sources. */
import { createServer, type Server } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { isOutage } from '../../shared/pipeline/breaker';
import { fetchBatch } from '../../shared/pipeline/fetch-batch';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { createTestStores, testConfig } from '../helpers/stores';

/** Ports on 127.0.0.1 where nothing listens: taken from the OS, then closed again. */
async function closedPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    ports.push(typeof address === 'object' && address ? address.port : 0);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return ports;
}

describe('isOutage', () => {
  const fail = (url: string) => ({ networkFailure: true, url });
  const ok = (url: string) => ({ networkFailure: false, url });
  it('trips when most of a large enough batch fails at the network level across hosts', () => {
    expect(isOutage(['a', 'b', 'c', 'd', 'e'].map((h) => fail(`http://${h}.example/f`)))).toBe(true);
  });
  it('does not trip for small batches, one dead host, or a batch that mostly works', () => {
    expect(isOutage(['a', 'b', 'c', 'd'].map((h) => fail(`http://${h}.example/f`)))).toBe(false);
    expect(isOutage([1, 2, 3, 4, 5, 6].map((i) => fail(`http://one.example/${i}`)))).toBe(false);
    expect(isOutage([fail('http://a.example/'), fail('http://b.example/'), fail('http://c.example/'), ok('http://d.example/'), ok('http://e.example/')])).toBe(false);
  });
});

describe('a batch during a network outage', () => {
  let rt: Runtime;
  let ports: number[];
  beforeAll(async () => {
    ports = await closedPorts(6);
    const config = testConfig({ fetch: { ...loadConfig({}).fetch, allowHosts: ports.map((p) => `127.0.0.1:${p}`) } });
    await createTestStores(config);
    rt = createRuntime(config);
  });

  it('records the error but keeps failure counters and retries after the normal interval', async () => {
    const messages = ports.map((p, i) => ({ source: { id: `s${i}`, url: `http://127.0.0.1:${p}/feed.xml`, title: `S${i}`, tags: [] } }));
    const before = Date.now();
    const outcomes = await fetchBatch(messages, rt);
    expect(outcomes.every((o) => o.status === 'error' && o.retryable)).toBe(true);
    const states = await rt.states.getStates(messages.map((m) => m.source.id));
    for (const m of messages) {
      const state = states.get(m.source.id);
      expect(state?.consecutiveFailures).toBe(0);
      expect(state?.lastError).toMatch(/not counted/);
      const waitMin = (Date.parse(state?.nextFetchAt ?? '') - before) / 60_000;
      expect(waitMin).toBeGreaterThanOrEqual(rt.config.fetchIntervalMinutes - 1);
      expect(waitMin).toBeLessThanOrEqual(rt.config.fetchIntervalMinutes + 1);
    }
  });

  it('counts failures normally when only a few sources fail', async () => {
    const messages = ports.slice(0, 2).map((p, i) => ({ source: { id: `few${i}`, url: `http://127.0.0.1:${p}/feed.xml`, title: `F${i}`, tags: [] } }));
    await fetchBatch(messages, rt);
    const states = await rt.states.getStates(messages.map((m) => m.source.id));
    for (const m of messages) expect(states.get(m.source.id)?.consecutiveFailures).toBe(1);
  });
});
