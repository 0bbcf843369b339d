/**
 * Storage faults: a fault-injecting proxy sits between the handlers and dynalite or s3rver (the
 * world's runtime points at it; the counting runtime goes straight to the store). The fault cycle
 * runs with the proxy injecting, then a recovery cycle with it passive; nothing may be lost or doubled.
 */
import { inWorld } from './kit';
import { checkGoodSourcesIsolated } from './measure';
import { dynamoAnswer, dynamoOperation, s3ErrorAnswer, startFaultProxy, type ProxiedRequest, type ProxyDecision } from './proxy';
import type { FaultScenario } from './scenario';
import { invokeFetcher, scheduleAll, sourcesOf } from './handlers';
import { runtimeVia } from './world';

type Store = 'dynamo' | 's3';

const DDB = 'com.amazonaws.dynamodb.v20120810#';

/** A storage fault: the proxy applies `decide` to the store's traffic during the first cycle. */
function storageFault(name: string, how: string, store: Store, decide: (req: ProxiedRequest) => ProxyDecision, fast = false, linkless = false): FaultScenario {
  return {
    name,
    group: 'storage',
    how,
    ...(fast ? { fast: true } : {}),
    async run() {
      const proxy = await startFaultProxy('', decide);
      try {
        const runtime = (config: Parameters<typeof runtimeVia>[0]) => {
          proxy.target = (store === 'dynamo' ? config.dynamoEndpoint : config.s3Endpoint) ?? '';
          return runtimeVia(config, store === 'dynamo' ? { dynamoEndpoint: proxy.url } : { s3Endpoint: proxy.url });
        };
        return await inWorld(name, 'storage', { goodSources: 4, entriesPerSource: 6, linkless, runtime }, async (world) => {
          await world.cycle();
          world.check(proxy.stats.injected > 0, `the proxy injected no fault in ${proxy.stats.requests} requests`);
          proxy.active = false;
          await world.cycle();
          await checkGoodSourcesIsolated(world);
        });
      } finally {
        await proxy.close();
      }
    },
  };
}

/** Every `every`-th request answered with `answer` (the SDK's own retries must absorb it). */
function everyNth(every: number, answer: (req: ProxiedRequest) => ProxyDecision): (req: ProxiedRequest) => ProxyDecision {
  return (req) => (req.n % every === 0 ? answer(req) : { kind: 'forward' });
}

function throttle(type: string): ProxyDecision {
  return { kind: 'answer', answer: dynamoAnswer(400, { __type: type, message: 'chaos: injected throttling' }) };
}

/** BatchWriteItem: forwards the first half of each table's requests and returns the rest as UnprocessedItems. */
function partialBatchWrite(req: ProxiedRequest): ProxyDecision {
  if (dynamoOperation(req) !== 'BatchWriteItem') return { kind: 'forward' };
  const input = JSON.parse(req.body.toString('utf8')) as { RequestItems: Record<string, unknown[]> };
  const kept: Record<string, unknown[]> = {};
  const left: Record<string, unknown[]> = {};
  for (const [table, writes] of Object.entries(input.RequestItems)) {
    const half = Math.ceil(writes.length / 2);
    kept[table] = writes.slice(0, half);
    if (writes.length > half) left[table] = writes.slice(half);
  }
  if (Object.keys(left).length === 0) return { kind: 'forward' };
  return {
    kind: 'rewrite',
    body: Buffer.from(JSON.stringify({ ...input, RequestItems: kept })),
    response: (answer) => (answer.status !== 200 ? answer : dynamoAnswer(200, { ...JSON.parse(answer.body.toString('utf8')), UnprocessedItems: left })),
  };
}

/** BatchGetItem: reads the first half of each table's keys and returns the rest as UnprocessedKeys. */
function partialBatchGet(req: ProxiedRequest): ProxyDecision {
  if (dynamoOperation(req) !== 'BatchGetItem') return { kind: 'forward' };
  const input = JSON.parse(req.body.toString('utf8')) as { RequestItems: Record<string, { Keys: unknown[] }> };
  const kept: Record<string, { Keys: unknown[] }> = {};
  const left: Record<string, { Keys: unknown[] }> = {};
  for (const [table, spec] of Object.entries(input.RequestItems)) {
    const half = Math.ceil(spec.Keys.length / 2);
    kept[table] = { ...spec, Keys: spec.Keys.slice(0, half) };
    if (spec.Keys.length > half) left[table] = { ...spec, Keys: spec.Keys.slice(half) };
  }
  if (Object.keys(left).length === 0) return { kind: 'forward' };
  return {
    kind: 'rewrite',
    body: Buffer.from(JSON.stringify({ ...input, RequestItems: kept })),
    response: (answer) => (answer.status !== 200 ? answer : dynamoAnswer(200, { ...JSON.parse(answer.body.toString('utf8')), UnprocessedKeys: left })),
  };
}

const WRITES = new Set(['PutItem', 'BatchWriteItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems']);

/**
 * DynamoDB refuses every write for the whole fault invocation (reads work): the fetcher must return
 * (not crash), every source a retryable failure whose state was not written, so the next ordinary
 * (unforced) cycle finds them still due and nothing is lost.
 */
const writeOutage: FaultScenario = {
  name: 'dynamo-write-outage',
  group: 'storage',
  how: 'every DynamoDB write answered 500 during one fetcher invocation; the sources must stay due for the next unforced cycle',
  async run() {
    const proxy = await startFaultProxy('', (req) =>
      WRITES.has(dynamoOperation(req)) ? { kind: 'answer', answer: dynamoAnswer(500, { __type: `${DDB}InternalServerError`, message: 'chaos: writes down' }) } : { kind: 'forward' },
    );
    try {
      const runtime = (config: Parameters<typeof runtimeVia>[0]) => {
        proxy.target = config.dynamoEndpoint ?? '';
        return runtimeVia(config, { dynamoEndpoint: proxy.url });
      };
      return await inWorld('dynamo-write-outage', 'storage', { goodSources: 3, entriesPerSource: 4, runtime }, async (world) => {
        const jobs = await scheduleAll(world);
        world.check(jobs.length === 1 && sourcesOf(jobs).length === 3, `the scheduler dispatched ${sourcesOf(jobs).length} of 3 sources in ${jobs.length} jobs`);
        const result = jobs[0] ? await invokeFetcher(world, jobs[0]) : undefined;
        const notRetryable = (result?.outcomes ?? []).filter((o) => o.status !== 'error' || !o.retryable);
        world.check(result?.outcomes.length === 3 && notRetryable.length === 0, `outcomes while writes were down: ${JSON.stringify(result?.outcomes.map((o) => [o.sourceId, o.status, o.retryable]))}`);
        proxy.active = false;
        const next = await world.cycle(false);
        world.check(next?.due === 3, `the next unforced cycle found ${next?.due} of 3 sources due`);
        await checkGoodSourcesIsolated(world);
      });
    } finally {
      await proxy.close();
    }
  },
};

/** The storage faults. */
export const storageFaults: FaultScenario[] = [
  storageFault('dynamo-throughput-exceeded', 'every 3rd DynamoDB call → 400 ProvisionedThroughputExceededException', 'dynamo', everyNth(3, () => throttle(`${DDB}ProvisionedThroughputExceededException`))),
  storageFault('dynamo-throttled-batch-writes', 'guid-only entries (BatchWriteItem path); every 3rd call throttled', 'dynamo', everyNth(3, () => throttle(`${DDB}ProvisionedThroughputExceededException`)), false, true),
  storageFault('dynamo-throttling-exception', 'every 3rd DynamoDB call → 400 ThrottlingException', 'dynamo', everyNth(3, () => throttle('com.amazon.coral.availability#ThrottlingException'))),
  storageFault('dynamo-500', 'every 4th DynamoDB call → 500 InternalServerError', 'dynamo', everyNth(4, () => ({ kind: 'answer', answer: dynamoAnswer(500, { __type: `${DDB}InternalServerError`, message: 'chaos' }) }))),
  storageFault('dynamo-unprocessed-items', 'BatchWriteItem writes half of each batch, returns the rest as UnprocessedItems', 'dynamo', partialBatchWrite, true, true),
  storageFault('dynamo-unprocessed-keys', 'BatchGetItem reads half of each batch, returns the rest as UnprocessedKeys', 'dynamo', partialBatchGet),
  storageFault('s3-5xx', 'every 3rd S3 call → 500 InternalError / 503 SlowDown', 's3', everyNth(3, (req) => ({ kind: 'answer', answer: req.n % 2 === 0 ? s3ErrorAnswer(500, 'InternalError') : s3ErrorAnswer(503, 'SlowDown') }))),
  writeOutage,
];
