/**
 * The cost model: dollars per month for N feeds on a fixed schedule, from the counts one measured
 * steady cycle (and, amortised, one cold cycle) made — DynamoDB as the capacity units it consumed —
 * at AWS us-east-1 list prices. Every input
 * and assumption is part of the result, so the report can print it.
 */
import { FUNCTION_MEMORY_MB } from '../infra/function-sizes';
import { DEFAULT_RATE_MINUTES } from '../infra/schedule-rates';
import { jobSizes } from '../shared/pipeline/jobs';

/** AWS us-east-1 list prices used (USD). */
export const PRICES = {
  lambdaGbS: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  ddbPerMillionWru: 0.625,
  ddbPerMillionRru: 0.125,
  s3PutPer1000: 0.005,
  s3GetPer1000: 0.0004,
  s3GbMonth: 0.023,
  cloudFrontGb: 0.085,
  cloudFrontPer10kHttps: 0.0075,
} as const;

/** Counts of one measured cycle. */
export interface CycleCounts {
  wallS: number;
  /** Of wallS, the publisher's part (one invocation, not `parallelInvocations`); 0 when not split. */
  publishS?: number;
  /** Seconds of every invocation of the cycle added up (scheduler, each fetcher invocation, publisher), each measured on its own: what Lambda bills. When set, compute is priced from it. */
  lambdaS?: number;
  /** Of lambdaS, the fetcher invocations' seconds (priced at the fetcher's memory). */
  fetcherS?: number;
  /** DynamoDB rows written and read (for the report; the units below are what is priced). */
  ddbWrites: number;
  ddbReads: number;
  /** Of ddbReads, rows read eventually consistent (half the units). */
  ddbReadsEventual?: number;
  /** DynamoDB write capacity units consumed, index copies included (ReturnConsumedCapacity, shared/store/usage.ts). */
  ddbWru: number;
  /** DynamoDB read capacity units consumed (eventually consistent reads at half, index reads included). */
  ddbRru: number;
  s3Puts: number;
  s3PutBytes: number;
  /** Of s3PutBytes, raw payloads (kept for months); the rest (feeds, manifest, story objects) overwrite or replace earlier objects. */
  s3PutRawBytes: number;
  s3Gets: number;
  /** LIST requests (S3 prices them at the PUT rate). */
  s3Lists: number;
  /** Lambda invocations the counts took (default: the scheduler, the publisher and one per fetch job). */
  invocations?: number;
  /** Sources the fetch jobs fetched, for the network wait they would have on the internet (networkWaitS); none for runs without fetches. */
  fetches?: number;
}

/**
 * The runs between two cycles: the scheduler and the publisher run more often than each source is
 * fetched (DEFAULT_RATE_MINUTES against a cycle's 1440 / cyclesPerDay minutes), and each such run
 * finds nothing due or nothing changed but still reads every state. Each run of a cycle is measured.
 */
export interface BetweenCycles {
  /** The idle scheduler runs of one cycle, added up. */
  scheduler: CycleCounts;
  /** The quiet publishes of one cycle, added up. */
  publisher: CycleCounts;
  /** Runs of each per cycle besides the cycle's own. */
  schedulerRuns: number;
  publishes: number;
}

/** Runs of a function every `rateMinutes` within one cycle of `cycleMinutes`, besides the cycle's own. */
export function extraRunsPerCycle(cycleMinutes: number, rateMinutes: number): number {
  return Math.max(0, Math.round(cycleMinutes / rateMinutes) - 1);
}

/** The default rates, for the report (the scheduler's and the publisher's minutes between runs). */
export { DEFAULT_RATE_MINUTES };

/** Everything the model needs; the defaults (DEFAULT_ASSUMPTIONS) are stated in the report. */
export interface CostInputs {
  feeds: number;
  steady: CycleCounts;
  cold: CycleCounts;
  cyclesPerDay: number;
  daysPerMonth: number;
  /** Memory of the scheduler and the publisher (MB). */
  lambdaMemoryMB: number;
  /** Memory of the fetcher (MB), for the fetcher seconds of counts that have them. */
  fetcherMemoryMB: number;
  /** Fetcher invocations running at once in the measured cycle; prices compute (wall × this) only for counts without `lambdaS`. */
  parallelInvocations: number;
  /** Sources per fetcher invocation (the scheduler's job size, shared/pipeline/jobs.ts JOB_SIZE): one invocation per job. */
  batchSize: number;
  /** Fetches one fetcher invocation keeps in flight (the fetch concurrency). */
  fetchConcurrency: number;
  /**
   * Typical time of one feed request on the internet, connection set-up included (a source is
   * fetched every 15 minutes, longer than servers keep a connection open). Loopback answers in well
   * under a millisecond, so measured fetch jobs are billed at least the wait this implies (networkWaitS).
   */
  feedLatencyMs: number;
  /** Days an overwritten object's old version is kept (the bucket's lifecycle for derived prefixes). */
  derivedVersionDays: number;
  /** Months a cold cycle (first fetch of every feed) is spread over; 0 leaves it out. */
  amortiseColdMonths: number;
  /** The idle scheduler runs and quiet publishes between cycles; left out when absent. */
  between?: BetweenCycles;
  /** Subscribers polling the combined feed through CloudFront, how often, and the bytes of a full (gzip) response. */
  subscribers: number;
  subscriberPollsPerDay: number;
  feedResponseKB: number;
}

/** The stated defaults of the model. */
export const DEFAULT_ASSUMPTIONS = {
  cyclesPerDay: 96,
  daysPerMonth: 30,
  lambdaMemoryMB: FUNCTION_MEMORY_MB.publisher,
  fetcherMemoryMB: FUNCTION_MEMORY_MB.fetcher,
  amortiseColdMonths: 12,
  derivedVersionDays: 1,
  subscribers: 10,
  subscriberPollsPerDay: 96,
  feedResponseKB: 40,
  feedLatencyMs: 250,
} as const;

/** Seconds the fetch jobs of `fetches` sources wait on the network at least: per job, its rounds of `concurrency` fetches × the latency. */
export function networkWaitS(fetches: number, batchSize: number, concurrency: number, latencyMs: number): number {
  return jobSizes(fetches, batchSize).reduce((n, size) => n + Math.ceil(size / concurrency), 0) * (latencyMs / 1000);
}

/** One priced line. */
export interface CostLine {
  name: string;
  quantity: number;
  unit: string;
  usd: number;
  /** True for costs that do not grow with the number of feeds. */
  fixed?: boolean;
}

/** The model's result. */
export interface CostReport {
  lines: CostLine[];
  totalUsd: number;
  /** Variable costs scaled to 1,000 feeds, plus the fixed ones. */
  usdPer1000FeedsMonth: number;
}

/** Lambda, DynamoDB and S3 request costs of `cycles` cycles with the given counts (no SQS: the scheduler invokes each fetch job directly). */
function cycleLines(label: string, c: CycleCounts, cycles: number, inputs: CostInputs): CostLine[] {
  // Scheduler and publisher, plus one fetcher invocation per job.
  const invocations = c.invocations ?? 2 + Math.ceil(inputs.feeds / inputs.batchSize);
  const publishS = Math.min(c.publishS ?? 0, c.wallS);
  const measuredS = c.lambdaS ?? (c.wallS - publishS) * inputs.parallelInvocations + publishS;
  const measuredFetcherS = c.lambdaS !== undefined ? Math.min(c.fetcherS ?? 0, c.lambdaS) : 0;
  // Fetch jobs are billed their wall time, which on the internet is at least their network wait
  // (on loopback they measure their work alone).
  const fetcherS = c.lambdaS !== undefined ? Math.max(measuredFetcherS, networkWaitS(c.fetches ?? 0, inputs.batchSize, inputs.fetchConcurrency, inputs.feedLatencyMs)) : 0;
  const billedS = measuredS - measuredFetcherS + fetcherS;
  const gbS = (billedS - fetcherS) * (inputs.lambdaMemoryMB / 1024) + fetcherS * (inputs.fetcherMemoryMB / 1024);
  // DynamoDB is priced at the capacity units the cycle consumed, as measured request by request.
  const wru = c.ddbWru;
  const rru = c.ddbRru;
  return [
    { name: `${label} Lambda compute`, quantity: gbS * cycles, unit: 'GB-s', usd: gbS * cycles * PRICES.lambdaGbS },
    { name: `${label} Lambda requests`, quantity: invocations * cycles, unit: 'invocations', usd: ((invocations * cycles) / 1e6) * PRICES.lambdaPerMillionRequests },
    { name: `${label} DynamoDB writes`, quantity: wru * cycles, unit: 'WRU', usd: ((wru * cycles) / 1e6) * PRICES.ddbPerMillionWru },
    { name: `${label} DynamoDB reads`, quantity: rru * cycles, unit: 'RRU', usd: ((rru * cycles) / 1e6) * PRICES.ddbPerMillionRru },
    { name: `${label} S3 PUTs`, quantity: c.s3Puts * cycles, unit: 'PUT', usd: ((c.s3Puts * cycles) / 1000) * PRICES.s3PutPer1000 },
    { name: `${label} S3 LISTs`, quantity: c.s3Lists * cycles, unit: 'LIST', usd: ((c.s3Lists * cycles) / 1000) * PRICES.s3PutPer1000 },
    { name: `${label} S3 GETs`, quantity: c.s3Gets * cycles, unit: 'GET', usd: ((c.s3Gets * cycles) / 1000) * PRICES.s3GetPer1000 },
  ];
}

/** Prices a month of cycles; see CostInputs for what is assumed. */
export function costModel(inputs: CostInputs): CostReport {
  const cyclesPerMonth = inputs.cyclesPerDay * inputs.daysPerMonth;
  const lines = cycleLines('steady', inputs.steady, cyclesPerMonth, inputs);
  if (inputs.between) {
    const b = inputs.between;
    if (b.schedulerRuns > 0) lines.push(...cycleLines(`idle scheduler runs (${b.schedulerRuns} per cycle)`, b.scheduler, cyclesPerMonth, inputs));
    if (b.publishes > 0) lines.push(...cycleLines(`quiet publishes (${b.publishes} per cycle)`, b.publisher, cyclesPerMonth, inputs));
  }
  if (inputs.amortiseColdMonths > 0) lines.push(...cycleLines('cold (amortised)', inputs.cold, 1 / inputs.amortiseColdMonths, inputs));
  // Raw bodies and items accumulate (the month's end size: an upper bound on its average); derived
  // objects (feeds, manifest, story objects) replace earlier ones, whose versions are kept derivedVersionDays.
  const rawGb = (inputs.cold.s3PutRawBytes + inputs.steady.s3PutRawBytes * cyclesPerMonth) / 1e9;
  const derivedGb = (((inputs.steady.s3PutBytes - inputs.steady.s3PutRawBytes) * cyclesPerMonth) / 1e9) * (inputs.derivedVersionDays / inputs.daysPerMonth);
  lines.push({ name: 'S3 storage: raw payloads (end of month, upper bound)', quantity: rawGb, unit: 'GB-month', usd: rawGb * PRICES.s3GbMonth });
  lines.push({ name: `S3 storage: derived objects' old versions (${inputs.derivedVersionDays} d)`, quantity: derivedGb, unit: 'GB-month', usd: derivedGb * PRICES.s3GbMonth });
  const polls = inputs.subscribers * inputs.subscriberPollsPerDay * inputs.daysPerMonth;
  const gb = (polls * inputs.feedResponseKB) / 1048576;
  lines.push({ name: 'CloudFront requests (subscribers)', quantity: polls, unit: 'HTTPS requests', usd: (polls / 10_000) * PRICES.cloudFrontPer10kHttps, fixed: true });
  lines.push({ name: 'CloudFront transfer (subscribers)', quantity: gb, unit: 'GB', usd: gb * PRICES.cloudFrontGb, fixed: true });
  const totalUsd = lines.reduce((n, l) => n + l.usd, 0);
  const variable = lines.filter((l) => !l.fixed).reduce((n, l) => n + l.usd, 0);
  const fixed = totalUsd - variable;
  return { lines, totalUsd, usdPer1000FeedsMonth: (variable * 1000) / inputs.feeds + fixed };
}

/** Target: ≤ $0.50 per 1,000 feeds per month. */
export const COST_TARGET_USD = 0.5;
