/**
 * `npm run bench [-- --feeds N --items M --seed S --peers --json --publish 10000,100000]`: the Tributary benchmark. Prints
 * the cycle table (cold and steady, with the bare-fetch floor and the peers), stage throughput,
 * bundles, publisher scaling, the cost model and the target verdicts; `--json` ends with one JSON line.
 */
import { parseArgs } from 'node:util';
import { BUNDLE_TARGET_KB, COLD_IMPORT_TARGET_MS } from './bundles';
import { JOB_SIZE } from '../shared/pipeline/jobs';
import { INVOCATION_BODY_CONCURRENCY, INVOCATION_CONCURRENCY, cycleConcurrency, parallelInvocations } from './cycles';
import { costModel, COST_TARGET_USD, DEFAULT_ASSUMPTIONS, DEFAULT_RATE_MINUTES, networkWaitS, PRICES, type CostInputs } from './cost';
import { PUBLISH_ITEMS, PUBLISH_RATIO_TARGET, PUBLISH_SIZES } from './publish';
import { num, phaseTable, table, verdictLines, type PhaseRow, type Verdict } from './report';
import { FEEDPARSER_ITEMS_PER_S, STAGE_TARGET_ITEMS_PER_S, type StageFigures } from './stages';
import { runSuite, type SuiteResult } from './suite';

/** Cold-cycle target, items/s, all stages included. */
const COLD_TARGET_ITEMS_PER_S = 1560;
/** Steady cycle: at most this multiple of the bare-fetch floor's wall time. */
const STEADY_FLOOR_RATIO = 2;

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}

function costInputs(r: SuiteResult): CostInputs {
  return {
    ...DEFAULT_ASSUMPTIONS,
    feeds: r.workload.feeds,
    steady: r.steady,
    cold: r.cold,
    parallelInvocations: parallelInvocations(r.workload.feeds),
    batchSize: JOB_SIZE,
    fetchConcurrency: INVOCATION_CONCURRENCY,
    between: r.idle,
  };
}

function stageRow(name: string, s: StageFigures): string[] {
  return [name, num(s.feeds), num(s.failed), num(s.bytes / 1048576, 1), num(s.items), num(s.seconds, 2), num(s.mbPerS, 1), num(s.itemsPerS), num(s.itemsPerCpuS), num(s.itemsPerS / FEEDPARSER_ITEMS_PER_S, 1)];
}

/** The median of a non-empty list (the lower middle of an even one). */
function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}

function verdicts(r: SuiteResult, usd: number): Verdict[] {
  const [small, large] = [r.publish[0], r.publish[r.publish.length - 1]];
  const publishRatio = small && large ? large.medianMs / small.medianMs : NaN;
  const ratios = r.steadyRounds.map((round) => round.wallS / round.floorS);
  const steadyRatio = medianOf(ratios);
  const jobs = Math.ceil(r.workload.feeds / JOB_SIZE);
  const changed = r.workload.changedFeeds;
  // Allowed: per changed feed its state, its feedVersion mark and its story-inbox row (put, then
  // deleted once assigned); per new item its row, its link or guid alias, and when it joins a story
  // its move and two member rows; the cycle record and one cycle-count update per fetch job
  // (bookkeeping, 1 WRU each). Nothing for the feeds that answered 304.
  const allowedWrites = changed * 4 + r.steady.itemsNew * 5 + 1 + jobs;
  // Per changed feed: its raw body (item HTML is read back from it; feed files are rendered on demand);
  // per cycle: combined and tag feeds (3 each), one story-index segment, the manifest.
  const allowedPuts = changed + 8;
  return [
    { target: `cold cycle ≥ ${COLD_TARGET_ITEMS_PER_S} items/s`, measured: `${num(r.cold.itemsPerS)} items/s (${num(r.cold.items / r.cold.cpuS)} per CPU-s)`, met: r.cold.itemsPerS >= COLD_TARGET_ITEMS_PER_S },
    {
      target: `steady cycle ≤ ${STEADY_FLOOR_RATIO}× bare-fetch floor`,
      measured: `median of ${ratios.length} rounds ${num(steadyRatio, 1)}× (${r.steadyRounds.map((round, i) => `${num(round.wallS, 2)} s vs ${num(round.floorS, 2)} s = ${num(ratios[i] as number, 1)}×`).join('; ')})`,
      met: steadyRatio <= STEADY_FLOOR_RATIO,
    },
    {
      target: 'steady DynamoDB writes: new items + changed state only',
      measured: `${num(r.steady.ddbWrites)} rows for ${changed} changed feeds and ${num(r.steady.itemsNew)} new items (allowed ${num(allowedWrites)}: 4 per changed feed, 5 per new item, the cycle record and ${jobs} cycle-count updates, one per fetch job)`,
      met: r.steady.ddbWrites <= allowedWrites,
    },
    {
      target: 'steady S3 PUTs: changed feeds only',
      measured: `${num(r.steady.s3Puts)} PUTs, ${num(r.steady.s3PutBytes / 1048576, 1)} MB for ${changed} changed feeds (allowed ${num(allowedPuts)}: 1 per changed feed, 8 per cycle with the workload's one tag)`,
      met: r.steady.s3Puts <= allowedPuts,
    },
    { target: `decode+parse+normalise ≥ ${num(STAGE_TARGET_ITEMS_PER_S)} items/s (5× feedparser)`, measured: `${num(r.stagesWorkload.itemsPerS)} items/s workload (${num(r.stagesWorkload.itemsPerCpuS)} per CPU-s)` + (r.stagesRealworld ? `, ${num(r.stagesRealworld.itemsPerS)} realworld` : ''), met: r.stagesWorkload.itemsPerS >= STAGE_TARGET_ITEMS_PER_S },
    ...r.bundles.map((b) => ({ target: `${b.name}: bundle ≤ ${BUNDLE_TARGET_KB} KB, cold import ≤ ${COLD_IMPORT_TARGET_MS} ms`, measured: `${num(b.kb)} KB at cold start (+${num(b.chunkKb)} KB on demand), ${num(b.coldImportMs)} ms`, met: b.kb <= BUNDLE_TARGET_KB && b.coldImportMs <= COLD_IMPORT_TARGET_MS })),
    { target: `publish at ${num(large?.stored)} stored ≤ ${PUBLISH_RATIO_TARGET}× at ${num(small?.stored)}`, measured: `${num(large?.medianMs)} ms vs ${num(small?.medianMs)} ms = ${num(publishRatio, 2)}×`, met: publishRatio <= PUBLISH_RATIO_TARGET },
    { target: `≤ $${COST_TARGET_USD.toFixed(2)} per 1,000 feeds per month`, measured: `$${usd.toFixed(3)}`, met: usd <= COST_TARGET_USD },
  ];
}

function printReport(r: SuiteResult, inputs: CostInputs, json: boolean): void {
  const cost = costModel(inputs);
  const out: string[] = [];
  out.push(`Tributary benchmark — ${r.workload.feeds} feeds, ${num(r.workload.items)} items, ${num(r.workload.bytes / 1048576, 1)} MB as served uncompressed; steady: ${r.workload.changedFeeds} feeds gained 1–3 items`);
  out.push(`load average (1/5/15 min): start ${r.loadavg.start.map((l) => l.toFixed(2)).join(' ')}, after cycles ${r.loadavg.cycles.map((l) => l.toFixed(2)).join(' ')}, end ${r.loadavg.end.map((l) => l.toFixed(2)).join(' ')} (2 cores, shared machine)`);
  out.push(`cycles: real handlers via the local stack, force=true; the scheduler's jobs of up to ${JOB_SIZE} sources, ${parallelInvocations(r.workload.feeds)} fetcher invocations at once, ${INVOCATION_CONCURRENCY} requests in flight each, of which ${INVOCATION_BODY_CONCURRENCY} bodies read and processed at once (${cycleConcurrency(r.workload.feeds)} requests in all; each invocation's per-host cap is raised to its ${INVOCATION_CONCURRENCY}, as every feed shares 127.0.0.1 here); embedded stores in a child process (as in AWS, not in this process's CPU or RSS); peak RSS includes the feed server`, '');
  const rows: PhaseRow[] = [];
  for (const phase of ['cold', 'steady'] as const) {
    const trib = r[phase];
    rows.push({ name: `${phase}: Tributary`, figures: trib });
    rows.push({ name: `${phase}: bare-fetch floor`, figures: phase === 'cold' ? r.floorCold : r.floorSteady, reference: trib });
    for (const p of r.peers) {
      const f = p[phase];
      if (f) rows.push({ name: `${phase}: ${p.name}`, figures: f, reference: trib });
    }
  }
  out.push(...phaseTable(rows));
  for (const p of r.peers) out.push(p.skipped ? `  ${p.name}: skipped — ${p.skipped}` : `  ${p.name}: ${p.setting}`);
  out.push(`  cold: ${num(r.cold.itemsNew)} new, ${num(r.cold.itemsMerged)} merged, ${r.cold.failed} failed, ${r.cold.feedsWritten} feed files written; steady: ${num(r.steady.itemsNew)} new, ${r.steady.failed} failed, ${r.steady.feedsWritten} feed files written`);
  for (const [name, c] of [['cold', r.cold], ['steady', r.steady]] as const) {
    for (const f of c.failureCounts) out.push(`  ${name} failure (${f.sources} source${f.sources === 1 ? '' : 's'}): ${f.error}`);
  }
  out.push('');
  out.push('stages (decode → parse → normalise incl. sanitise, in memory, best of 2):');
  const stageRows = [stageRow('workload sample', r.stagesWorkload)];
  if (r.stagesRealworld) stageRows.push(stageRow('realworld corpus', r.stagesRealworld));
  out.push(...table(['input', 'feeds', 'failed', 'MB', 'items', 's', 'MB/s', 'items/s', 'items/CPU-s', '× feedparser'], stageRows));
  if (!r.stagesRealworld) out.push('  realworld corpus: not found (../shared/corpora/realworld)');
  out.push('', 'handler bundles as deployed (infra/bundle.ts: esbuild, node22, esm, minified, all bundled, import() split into chunks) and cold import (fresh node, median):');
  out.push(...table(['handler', 'KB at cold start', 'KB on demand', 'import ms', 'samples ms', 'largest parts at cold start (KB)'], r.bundles.map((b) => [b.name, num(b.kb), num(b.chunkKb), num(b.coldImportMs), b.samples.map((s) => s.toFixed(0)).join(' '), b.largest.map((l) => `${l.name} ${l.kb.toFixed(0)}`).join(', ')])));
  out.push('', `publish the newest ${PUBLISH_ITEMS} (combined feed only, stores in a child process; median of 7 after one warm-up, each a full read and render with an empty item cache, as in a new process):`);
  out.push(...table(['stored', 'seed s', 'median ms', 'samples ms'], r.publish.map((p) => [num(p.stored), num(p.seedS, 1), num(p.medianMs), p.samples.map((s) => s.toFixed(0)).join(' ')])));
  const sc = r.storyCost;
  out.push('', `story clustering adds per new item (${num(sc.items)} items ingested without and with stories, embedded stores): ${sc.msPerItem} ms, ${sc.ddbWritesPerItem} DynamoDB rows written, ${sc.ddbReadsPerItem} rows read (${sc.queriesPerItem} Queries), ${sc.s3BytesPerItem} S3 bytes`);
  out.push('', 'cost model (us-east-1 list prices; steady cycle × cycles/month, cold cycle amortised):');
  out.push(`  inputs: ${inputs.feeds} feeds; ${inputs.cyclesPerDay} cycles/day × ${inputs.daysPerMonth} days; Lambda arm64, the fetcher at ${inputs.fetcherMemoryMB} MB and the scheduler and publisher at ${inputs.lambdaMemoryMB} MB (infra/function-sizes.ts), GB-s = the seconds of every invocation of the cycle (scheduler, each fetch job, publisher), each measured on its own, at its function's memory (steady: ${num(r.steady.lambdaS ?? NaN, 2)} s, of which fetch jobs ${num(r.steady.fetcherS, 2)} s and publisher ${num(r.steady.publishS, 2)} s); invocations = 2 + feeds/${inputs.batchSize} (one per fetch job, invoked directly: no SQS)`);
  const wait = (c: CostInputs['steady']) => networkWaitS(c.fetches ?? 0, inputs.batchSize, inputs.fetchConcurrency, inputs.feedLatencyMs);
  out.push(`  fetch jobs are billed at least their network wait on the internet, which loopback does not have: per job ⌈sources/${inputs.fetchConcurrency} in flight⌉ rounds × ${inputs.feedLatencyMs} ms (an assumed typical feed request, connection set-up included; slow servers make it longer): steady ${num(wait(inputs.steady), 1)} s against ${num(inputs.steady.fetcherS ?? 0, 2)} s measured, cold ${num(wait(inputs.cold), 1)} s against ${num(inputs.cold.fetcherS ?? 0, 2)} s; the larger is billed`);
  const units = (label: string, c: CostInputs['steady'] & { ddbWruIndexesComputed?: number }) =>
    `${label} ${num(c.ddbWru, 1)} WRU for ${num(c.ddbWrites)} rows written (${num(c.ddbWru / Math.max(1, c.ddbWrites), 2)}/row; ${num(c.ddbWruIndexesComputed ?? 0, 1)} of them index copies computed from the rows, as dynalite reports table units only), ${num(c.ddbRru, 1)} RRU for ${num(c.ddbReads)} reads (${num(c.ddbReadsEventual ?? 0)} eventually consistent)`;
  out.push(`  DynamoDB priced at the capacity units consumed (ReturnConsumedCapacity INDEXES on every call): ${units('steady', inputs.steady)}; ${units('cold', inputs.cold)}`);
  out.push(`  DynamoDB row sizes after the cold cycle (for reference): ${Object.entries(r.rowSizes.kinds).map(([k, v]) => `${k} ${num(v.rows)} rows × ${num(v.meanBytes)} B (${v.meanWru.toFixed(2)} WRU with index copies)`).join('; ')}`);
  const between = inputs.between;
  if (between) {
    const run = (c: CostInputs['steady']) => `${num(c.wallS * 1000)} ms, ${num(c.ddbRru, 1)} RRU, ${num(c.ddbWru, 1)} WRU, ${num(c.s3Gets)} GETs, ${num(c.s3Puts)} PUTs`;
    out.push(`  between cycles (the scheduler every ${DEFAULT_RATE_MINUTES.scheduler} min and the publisher every ${DEFAULT_RATE_MINUTES.publisher} min by default, each source every ${num(1440 / inputs.cyclesPerDay)}): ${between.schedulerRuns} idle scheduler runs (measured, added up: ${run(between.scheduler)}) and ${between.publishes} quiet publishes (${run(between.publisher)}) per cycle`);
  }
  out.push(`  cold cycle amortised over ${inputs.amortiseColdMonths} months; subscribers: ${inputs.subscribers} polling every ${num(1440 / inputs.subscriberPollsPerDay)} min, ${inputs.feedResponseKB} KB per response`);
  out.push(`  prices: ${Object.entries(PRICES).map(([k, v]) => `${k} $${v}`).join(', ')}`);
  out.push(...table(['line', 'quantity', 'unit', 'USD/month'], cost.lines.map((l) => [l.name + (l.fixed ? ' (fixed)' : ''), num(l.quantity, 2), l.unit, l.usd.toFixed(4)])));
  out.push(`  total $${cost.totalUsd.toFixed(3)}/month for ${inputs.feeds} feeds; $${cost.usdPer1000FeedsMonth.toFixed(3)} per 1,000 feeds per month`, '');
  out.push('targets:', ...verdictLines(verdicts(r, cost.usdPer1000FeedsMonth)));
  console.log(out.join('\n'));
  if (json) console.log(JSON.stringify(jsonSummary(r, cost.usdPer1000FeedsMonth)));
}

function cycleJson(c: SuiteResult['cold']) {
  const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
  return { wallS: round(c.wallS), itemsPerS: round(c.itemsPerS, 0), cpuS: round(c.cpuS, 1), storeCpuS: round(c.storeCpuS, 1), requests: c.requests, bytes: c.bytes, ddbWrites: c.ddbWrites, ddbReads: c.ddbReads, ddbWru: round(c.ddbWru, 1), ddbRru: round(c.ddbRru, 1), s3Puts: c.s3Puts, peakRssMB: round(c.peakRssMB, 0) };
}

function jsonSummary(r: SuiteResult, usd: number) {
  const byName = <T>(f: (b: SuiteResult['bundles'][number]) => T) => Object.fromEntries(r.bundles.map((b) => [b.name, f(b)]));
  const publish = Object.fromEntries(r.publish.map((p) => [`${p.stored / 1000}k`, Math.round(p.medianMs)]));
  return {
    cold: cycleJson(r.cold),
    steady: { ...cycleJson(r.steady), notModified: r.steady.notModified },
    floor: { coldWallS: r.floorCold.wallS, steadyWallS: r.floorSteady.wallS },
    steadyRounds: r.steadyRounds,
    peers: Object.fromEntries(r.peers.map((p) => [p.name, p.skipped ? { skipped: p.skipped } : { coldWallS: p.cold?.wallS, steadyWallS: p.steady?.wallS, steadyRequests: p.steady?.requests, steadyBytes: p.steady?.bytes }])),
    parseMBps: Math.round(r.stagesWorkload.mbPerS * 10) / 10,
    parseItemsPerCpuS: Math.round(r.stagesWorkload.itemsPerCpuS),
    parseItemsPerS: Math.round(r.stagesWorkload.itemsPerS),
    bundleKB: byName((b) => Math.round(b.kb)),
    bundleOnDemandKB: byName((b) => Math.round(b.chunkKb)),
    coldImportMs: byName((b) => Math.round(b.coldImportMs)),
    publishMs: publish,
    storyCostPerItem: { ms: r.storyCost.msPerItem, ddbWrites: r.storyCost.ddbWritesPerItem, ddbReads: r.storyCost.ddbReadsPerItem, queries: r.storyCost.queriesPerItem, s3Bytes: r.storyCost.s3BytesPerItem },
    usdPer1000FeedsMonth: Math.round(usd * 1000) / 1000,
    loadavg: r.loadavg.cycles,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { feeds: { type: 'string' }, items: { type: 'string' }, seed: { type: 'string' }, peers: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, publish: { type: 'string' } },
  });
  const result = await runSuite({
    feeds: positiveInt(values.feeds, 1000, 'feeds'),
    items: positiveInt(values.items, 50, 'items'),
    seed: positiveInt(values.seed, 1, 'seed'),
    peers: values.peers ?? false,
    publishSizes: values.publish ? values.publish.split(',').map((v) => positiveInt(v, 0, 'publish')) : [...PUBLISH_SIZES],
    projectRoot: process.cwd(),
    progress: (line) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`),
  });
  printReport(result, costInputs(result), values.json ?? false);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
