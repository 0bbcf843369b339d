/**
 * Runs every part of the benchmark in order and returns the raw figures: the cycles (with the floor
 * and the peers on the same served workload), stage throughput, bundles, publisher scaling.
 */
import { loadavg } from 'node:os';
import { bareFetch, idleRuns, pipelineCycle, startBenchEnvironment, type CycleFigures, type FloorValidators, type PhaseFigures } from './cycles';
import { DEFAULT_ASSUMPTIONS, DEFAULT_RATE_MINUTES, extraRunsPerCycle, type CycleCounts } from './cost';
import { measureBundles, type BundleFigures } from './bundles';
import { isPeer, setUpPeers, type Peer, type SkippedPeer } from './peers';
import { measurePublish, type PublishFigures } from './publish';
import { measureRowSizes, type RowSizes } from './row-sizes';
import { loadRealworld, stageThroughput, type StageFigures, type StageInput } from './stages';
import { measureStoryCost, type StoryCost } from './story-cost';
import { generateWorkload, growWorkload, workloadSize } from './workload';

/** Minutes between two fetches of a source in the cost model's deployment (one cycle). */
const CYCLE_MINUTES = 1440 / DEFAULT_ASSUMPTIONS.cyclesPerDay;

/** What to run. */
export interface SuiteOptions {
  feeds: number;
  items: number;
  seed: number;
  peers: boolean;
  /** Stored item counts the publisher is timed at (smallest first). */
  publishSizes: number[];
  projectRoot: string;
  /** Progress lines (stderr), so a long run shows where it is. */
  progress: (line: string) => void;
}

/** One peer's cold and steady figures, or why it was skipped. */
export interface PeerResult {
  name: string;
  setting?: string;
  cold?: PhaseFigures;
  steady?: PhaseFigures;
  skipped?: string;
}

/** Everything measured. */
export interface SuiteResult {
  loadavg: { start: number[]; cycles: number[]; end: number[] };
  workload: { feeds: number; items: number; bytes: number; changedFeeds: number };
  floorCold: PhaseFigures;
  floorSteady: PhaseFigures;
  cold: CycleFigures;
  steady: CycleFigures;
  /** Every steady round, paired: the floor's and Tributary's wall seconds after the same change (the first is `floorSteady` and `steady`). */
  steadyRounds: { floorS: number; wallS: number }[];
  /** The runs between two cycles, measured right after the last steady round (each kind added up). */
  idle: { scheduler: CycleCounts; publisher: CycleCounts; schedulerRuns: number; publishes: number };
  peers: PeerResult[];
  rowSizes: RowSizes;
  stagesWorkload: StageFigures;
  stagesRealworld?: StageFigures;
  bundles: BundleFigures[];
  publish: PublishFigures[];
  /** What story clustering adds per new item (issue 6). */
  storyCost: StoryCost;
}

/** Steady rounds after the first (each: ~2% of feeds gain 1–3 items, then the floor, then Tributary): one round on a shared machine is a noisy ratio. */
export const EXTRA_STEADY_ROUNDS = 2;

/** Feeds ingested with and without stories to measure what clustering adds per item. */
const STORY_COST_FEEDS = 20;

/** Entries run through the stages directly (a sample of the workload, to keep the run short). */
const STAGE_SAMPLE_ITEMS = 20_000;

async function runPeers(peers: (Peer | SkippedPeer)[], phase: 'cold' | 'steady', results: Map<string, PeerResult>, progress: (l: string) => void): Promise<void> {
  for (const p of peers) {
    if (!isPeer(p)) continue;
    progress(`${phase}: ${p.name}`);
    const r = results.get(p.name) ?? { name: p.name, setting: p.setting };
    try {
      r[phase] = await p.run(phase);
    } catch (err) {
      r.skipped = `failed: ${(err as Error).message}`;
    }
    results.set(p.name, r);
  }
}

/** Runs the whole benchmark. */
export async function runSuite(o: SuiteOptions): Promise<SuiteResult> {
  const start = loadavg();
  o.progress(`generating ${o.feeds} feeds × ${o.items} items (seed ${o.seed})`);
  const workload = generateWorkload({ feeds: o.feeds, items: o.items, seed: o.seed });
  const size = workloadSize(workload);
  const env = await startBenchEnvironment(workload);
  const peerResults = new Map<string, PeerResult>();
  let peers: (Peer | SkippedPeer)[] = [];
  try {
    if (o.peers) {
      peers = await setUpPeers(env);
      for (const p of peers) if (!isPeer(p)) peerResults.set(p.name, { name: p.name, skipped: p.skipped });
    }
    const validators: FloorValidators = new Map();
    o.progress('cold: bare-fetch floor');
    const floorCold = await bareFetch(env, validators);
    o.progress('cold: Tributary cycle');
    const cold = await pipelineCycle(env);
    await runPeers(peers, 'cold', peerResults, o.progress);
    const rowSizes = await measureRowSizes(env.stack.config);
    const changed = growWorkload(workload);
    env.refresh(changed);
    o.progress(`steady: ${changed.length} feeds changed; bare-fetch floor`);
    const floorSteady = await bareFetch(env, validators);
    o.progress('steady: Tributary cycle');
    const steady = await pipelineCycle(env);
    await runPeers(peers, 'steady', peerResults, o.progress);
    const steadyRounds = [{ floorS: floorSteady.wallS, wallS: steady.wallS }];
    for (let round = 2; round <= 1 + EXTRA_STEADY_ROUNDS; round++) {
      env.refresh(growWorkload(workload));
      o.progress(`steady round ${round}: bare-fetch floor, then Tributary`);
      const floor = await bareFetch(env, validators);
      steadyRounds.push({ floorS: floor.wallS, wallS: (await pipelineCycle(env)).wallS });
    }
    const between = { schedulerRuns: extraRunsPerCycle(CYCLE_MINUTES, DEFAULT_RATE_MINUTES.scheduler), publishes: extraRunsPerCycle(CYCLE_MINUTES, DEFAULT_RATE_MINUTES.publisher) };
    o.progress(`between cycles: ${between.schedulerRuns} idle scheduler runs and ${between.publishes} quiet publishes`);
    const idle = { ...(await idleRuns(env, between)), ...between };
    const cycles = loadavg();
    await env.close();
    for (const p of peers) if (isPeer(p)) await p.close();
    o.progress('stages: decode → parse → normalise');
    const sample: StageInput[] = [];
    for (const f of workload.feeds) {
      if (sample.length * o.items >= STAGE_SAMPLE_ITEMS) break;
      sample.push({ body: f.body, contentType: f.contentType, url: `http://127.0.0.1${f.path}` });
    }
    const stagesWorkload = stageThroughput(sample);
    const realworld = await loadRealworld(o.projectRoot);
    const stagesRealworld = realworld ? stageThroughput(realworld) : undefined;
    o.progress(`story clustering: ${Math.min(STORY_COST_FEEDS, sample.length)} feeds ingested without and with stories`);
    const storyCost = await measureStoryCost(sample.slice(0, STORY_COST_FEEDS));
    o.progress('bundles: esbuild + cold imports');
    const bundles = await measureBundles(o.projectRoot);
    o.progress(`publish: seeding ${o.publishSizes.join(' and ')} items`);
    const publish = await measurePublish(o.publishSizes);
    const { summary: _c, ...coldFigures } = cold;
    const { summary: _s, ...steadyFigures } = steady;
    return {
      loadavg: { start, cycles, end: loadavg() },
      workload: { feeds: o.feeds, items: size.items, bytes: size.bytes, changedFeeds: changed.length },
      floorCold,
      floorSteady,
      cold: coldFigures,
      steady: steadyFigures,
      steadyRounds,
      idle,
      peers: [...peerResults.values()],
      rowSizes,
      stagesWorkload,
      ...(stagesRealworld ? { stagesRealworld } : {}),
      bundles,
      publish,
      storyCost,
    };
  } catch (err) {
    await env.close().catch(() => undefined);
    for (const p of peers) if (isPeer(p)) await p.close().catch(() => undefined);
    throw err;
  }
}
