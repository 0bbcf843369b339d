/** The benchmark's cost model: its arithmetic on given inputs. */
import { describe, expect, it } from 'vitest';
import { costModel, extraRunsPerCycle, networkWaitS, PRICES, type CostInputs } from '../../bench/cost';

const inputs = (): CostInputs => ({
  feeds: 1000,
  steady: { wallS: 10, ddbWrites: 1101, ddbReads: 2000, ddbWru: 3303, ddbRru: 1500, s3Puts: 50, s3PutBytes: 1e6, s3PutRawBytes: 4e5, s3Gets: 100, s3Lists: 3 },
  cold: { wallS: 100, ddbWrites: 100_000, ddbReads: 200_000, ddbWru: 300_000, ddbRru: 150_000, s3Puts: 2000, s3PutBytes: 1e9, s3PutRawBytes: 9e8, s3Gets: 0, s3Lists: 1 },
  cyclesPerDay: 96,
  daysPerMonth: 30,
  lambdaMemoryMB: 512,
  fetcherMemoryMB: 1024,
  parallelInvocations: 4,
  batchSize: 100,
  fetchConcurrency: 25,
  feedLatencyMs: 250,
  amortiseColdMonths: 0,
  derivedVersionDays: 1,
  subscribers: 10,
  subscriberPollsPerDay: 96,
  feedResponseKB: 40,
});

const line = (name: string, i = inputs()) => costModel(i).lines.find((l) => l.name === name);

describe('costModel', () => {
  const cycles = 96 * 30;

  it('prices Lambda from wall time × invocations in flight × memory, and invocations as 2 + one per job', () => {
    expect(line('steady Lambda compute')?.quantity).toBeCloseTo(10 * 4 * 0.5 * cycles);
    expect(line('steady Lambda compute')?.usd).toBeCloseTo(10 * 4 * 0.5 * cycles * PRICES.lambdaGbS, 6);
    expect(line('steady Lambda requests')?.quantity).toBe((2 + 10) * cycles);
    expect(line('steady Lambda requests')?.usd).toBeCloseTo((12 * cycles * 0.2) / 1e6, 8);
    expect(line('steady Lambda requests', { ...inputs(), feeds: 1001 })?.quantity).toBe((2 + 11) * cycles);
  });

  it('prices compute from the measured invocation seconds when the cycle has them, not from wall × invocations in flight', () => {
    const measured = { ...inputs(), steady: { ...inputs().steady, lambdaS: 13, publishS: 4 } };
    expect(line('steady Lambda compute', measured)?.quantity).toBeCloseTo(13 * 0.5 * cycles);
    // The fetcher's seconds at the fetcher's memory, the rest at the others'.
    const split = { ...inputs(), steady: { ...inputs().steady, lambdaS: 13, fetcherS: 10, publishS: 2 } };
    expect(line('steady Lambda compute', split)?.quantity).toBeCloseTo((3 * 0.5 + 10 * 1) * cycles);
  });

  it('bills fetch jobs at least their network wait: per job, its rounds of fetches in flight × the feed latency', () => {
    // 1,000 sources: 10 jobs of 100, 4 rounds of 25 each, 250 ms a round: 10 s, above the 1 s measured on loopback.
    const fast = { ...inputs(), steady: { ...inputs().steady, lambdaS: 1.5, fetcherS: 1, publishS: 0.3, fetches: 1000 } };
    expect(line('steady Lambda compute', fast)?.quantity).toBeCloseTo((0.5 * 0.5 + 10 * 1) * cycles);
    expect(networkWaitS(1000, 100, 25, 250)).toBeCloseTo(10);
    expect(networkWaitS(150, 100, 25, 200)).toBeCloseTo(2 * 3 * 0.2);
    // Measured seconds above the wait (a CPU-bound first fetch) are billed as measured; runs without fetches wait nothing.
    const slow = { ...inputs(), steady: { ...inputs().steady, lambdaS: 31, fetcherS: 30, publishS: 1, fetches: 1000 } };
    expect(line('steady Lambda compute', slow)?.quantity).toBeCloseTo((1 * 0.5 + 30 * 1) * cycles);
    const none = { ...inputs(), steady: { ...inputs().steady, lambdaS: 0.2, fetcherS: 0 } };
    expect(line('steady Lambda compute', none)?.quantity).toBeCloseTo(0.2 * 0.5 * cycles);
  });

  it('bills the publisher part of the wall time once, not once per fetcher in flight', () => {
    const split = { ...inputs(), steady: { ...inputs().steady, publishS: 4 } };
    expect(line('steady Lambda compute', split)?.quantity).toBeCloseTo((6 * 4 + 4) * 0.5 * cycles);
  });

  it('prices no SQS: jobs are invoked directly and the dead-letter queue has no consumer', () => {
    expect(costModel({ ...inputs(), amortiseColdMonths: 12 }).lines.filter((l) => /SQS/.test(l.name))).toEqual([]);
  });

  it('prices DynamoDB at the measured write and read units, not the rows', () => {
    expect(line('steady DynamoDB writes')?.quantity).toBe(3303 * cycles);
    expect(line('steady DynamoDB writes')?.usd).toBeCloseTo(((3303 * cycles) / 1e6) * 0.625, 8);
    expect(line('steady DynamoDB reads')?.quantity).toBe(1500 * cycles);
    expect(line('steady DynamoDB reads')?.usd).toBeCloseTo(((1500 * cycles) / 1e6) * 0.125, 8);
    const moreRows = { ...inputs(), steady: { ...inputs().steady, ddbWrites: 5000, ddbReads: 9000, ddbReadsEventual: 1000 } };
    expect(line('steady DynamoDB writes', moreRows)?.usd).toBe(line('steady DynamoDB writes')?.usd);
    expect(line('steady DynamoDB reads', moreRows)?.usd).toBe(line('steady DynamoDB reads')?.usd);
  });

  it('prices S3 requests and storage', () => {
    expect(line('steady S3 PUTs')?.usd).toBeCloseTo(((50 * cycles) / 1000) * 0.005, 8);
    expect(line('steady S3 GETs')?.usd).toBeCloseTo(((100 * cycles) / 1000) * 0.0004, 8);
    expect(line('steady S3 LISTs')?.usd).toBeCloseTo(((3 * cycles) / 1000) * 0.005, 8);
    expect(line('S3 storage: raw payloads (end of month, upper bound)')?.quantity).toBeCloseTo((9e8 + 4e5 * cycles) / 1e9);
    expect(line("S3 storage: derived objects' old versions (1 d)")?.quantity).toBeCloseTo(((6e5 * cycles) / 1e9) * (1 / 30));
  });

  it('prices CloudFront as fixed costs', () => {
    const polls = 10 * 96 * 30;
    expect(line('CloudFront requests (subscribers)')?.usd).toBeCloseTo((polls / 10_000) * 0.0075, 8);
    expect(line('CloudFront transfer (subscribers)')?.usd).toBeCloseTo(((polls * 40) / 1048576) * 0.085, 8);
  });

  it('amortises the cold cycle over the given months, or leaves it out', () => {
    expect(costModel(inputs()).lines.some((l) => l.name.startsWith('cold'))).toBe(false);
    const amortised = line('cold (amortised) DynamoDB writes', { ...inputs(), amortiseColdMonths: 12 });
    expect(amortised?.quantity).toBeCloseTo(300_000 / 12);
  });

  it('prices the idle scheduler runs and quiet publishes between cycles once per cycle, at their invocations and memory', () => {
    const run = { wallS: 0.05, lambdaS: 0.05, fetcherS: 0, invocations: 2, ddbWrites: 0, ddbReads: 3, ddbWru: 0, ddbRru: 80, s3Puts: 0, s3PutBytes: 0, s3PutRawBytes: 0, s3Gets: 2, s3Lists: 0 };
    const between = { ...inputs(), between: { scheduler: run, publisher: { ...run, invocations: 1, ddbRru: 90, s3Gets: 3 }, schedulerRuns: 2, publishes: 1 } };
    // The counts are the cycle's runs added up: two scheduler runs of 0.025 s and 40 RRU each here.
    expect(line('idle scheduler runs (2 per cycle) Lambda requests', between)?.quantity).toBe(2 * cycles);
    expect(line('idle scheduler runs (2 per cycle) Lambda compute', between)?.quantity).toBeCloseTo(0.05 * 0.5 * cycles);
    expect(line('idle scheduler runs (2 per cycle) DynamoDB reads', between)?.usd).toBeCloseTo(((80 * cycles) / 1e6) * 0.125, 8);
    expect(line('quiet publishes (1 per cycle) DynamoDB reads', between)?.quantity).toBe(90 * cycles);
    expect(line('quiet publishes (1 per cycle) S3 GETs', between)?.quantity).toBe(3 * cycles);
    const without = costModel(inputs());
    expect(costModel(between).totalUsd - without.totalUsd).toBeCloseTo(
      costModel(between).lines.filter((l) => /^(idle|quiet)/.test(l.name)).reduce((n, l) => n + l.usd, 0),
      10,
    );
    expect(costModel({ ...between, between: { ...between.between, schedulerRuns: 0, publishes: 0 } }).totalUsd).toBeCloseTo(without.totalUsd, 10);
  });

  it('counts the runs of a function within a cycle besides the cycle\'s own', () => {
    expect(extraRunsPerCycle(15, 5)).toBe(2);
    expect(extraRunsPerCycle(15, 15)).toBe(0);
    expect(extraRunsPerCycle(15, 30)).toBe(0);
    expect(extraRunsPerCycle(60, 5)).toBe(11);
  });

  it('totals the lines and scales the variable part to 1,000 feeds, adding the fixed part', () => {
    const report = costModel(inputs());
    expect(report.totalUsd).toBeCloseTo(report.lines.reduce((n, l) => n + l.usd, 0), 10);
    expect(report.usdPer1000FeedsMonth).toBeCloseTo(report.totalUsd, 10);
    const half = costModel({ ...inputs(), feeds: 2000 });
    const fixed = half.lines.filter((l) => l.fixed).reduce((n, l) => n + l.usd, 0);
    expect(half.usdPer1000FeedsMonth).toBeCloseTo((half.totalUsd - fixed) / 2 + fixed, 10);
  });
});
