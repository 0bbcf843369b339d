/**
 * Building blocks of fault scenarios: run a body inside a fresh world with a time limit, and the two
 * common shapes — a transient fault on one source (fault cycle, then a recovery cycle) and a
 * permanent one (the source keeps failing while the others finish).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkFailureVisible, checkGoodSourcesIsolated, rowOf, type FailureExpectation } from './measure';
import type { FaultGroup, FaultRow, FaultScenario } from './scenario';
import { startWorld, type World, type WorldOptions } from './world';

/**
 * No scenario may take longer than this; a hang is reported as a crash. Storage-throttling scenarios
 * are slow by design (the SDK backs off on every third call, and each new item now also makes its
 * story lookups), so the bound is generous: it is there to catch hangs, not to time the pipeline.
 */
export const SCENARIO_TIME_LIMIT_MS = 180_000;

/** The faulty source's id in single-fault scenarios. */
export const FAULTY = 'faulty';
/** The path the faulty source's feed lives at. */
export const FAULTY_PATH = '/faulty/feed.xml';

/** A fault handler on the feed server. */
export type FaultHandler = (req: IncomingMessage, res: ServerResponse) => void;

function withTimeLimit<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** Runs `body` in a fresh world and returns its row; a throw or a hang becomes a crash with its message. */
export async function inWorld(
  fault: string,
  group: FaultGroup,
  options: WorldOptions,
  body: (world: World) => Promise<number | void>,
): Promise<FaultRow> {
  const started = Date.now();
  const world = await startWorld(options);
  try {
    let ssrfReached = 0;
    try {
      ssrfReached = (await withTimeLimit(body(world), SCENARIO_TIME_LIMIT_MS, fault)) ?? 0;
    } catch (err) {
      world.crashed++;
      world.problems.push(`scenario threw: ${(err as Error).message}`);
    }
    return await rowOf(world, fault, group, started, ssrfReached);
  } finally {
    await world.close();
  }
}

/** Options of a single-source feed fault. */
export interface FeedFaultOptions {
  fast?: boolean;
  want?: FailureExpectation;
  world?: WorldOptions;
  /** Extra routes or state before the first cycle. */
  setup?: (world: World) => void;
  /** Further checks after the recovery cycle. */
  after?: (world: World) => Promise<void>;
}

/**
 * A fault on one source's feed that clears: the fault cycle must leave the good sources finished and
 * the failure visible in the faulty source's state; after the recovery cycle its entries must be stored.
 */
export function transientFeedFault(name: string, how: string, handler: FaultHandler, options: FeedFaultOptions = {}): FaultScenario {
  return {
    name,
    group: 'feed',
    how,
    ...(options.fast ? { fast: true } : {}),
    run: () =>
      inWorld(name, 'feed', { ...options.world, faulty: [{ id: FAULTY, url: FAULTY_PATH, recovers: true }] }, async (world) => {
        world.faultRoute(FAULTY_PATH, FAULTY, handler);
        options.setup?.(world);
        await world.cycle();
        await checkGoodSourcesIsolated(world);
        checkFailureVisible(world, FAULTY, await world.state(FAULTY), options.want);
        world.faultActive = false;
        await world.cycle();
        const recovered = await world.state(FAULTY);
        world.check(recovered?.status === 'ok', `${FAULTY} did not recover once the fault cleared: ${recovered?.status} ${recovered?.lastError ?? ''}`);
        world.check(recovered?.consecutiveFailures === 0, `${FAULTY}: consecutiveFailures not reset after recovery`);
        await options.after?.(world);
      }),
  };
}

/**
 * A fault that does not clear (the source is wrong, not flaky): two cycles, the good sources finish,
 * the failure is visible and counted twice; the faulty source's entries are not expected.
 */
export function permanentFeedFault(name: string, how: string, url: string, handler: FaultHandler | undefined, options: FeedFaultOptions = {}): FaultScenario {
  return {
    name,
    group: 'feed',
    how,
    ...(options.fast ? { fast: true } : {}),
    run: () =>
      inWorld(name, 'feed', { ...options.world, faulty: [{ id: FAULTY, url, recovers: false }] }, async (world) => {
        if (handler) world.server.route(url, handler);
        await world.cycle();
        await checkGoodSourcesIsolated(world);
        checkFailureVisible(world, FAULTY, await world.state(FAULTY), options.want);
        await world.cycle();
        const second = await world.state(FAULTY);
        const gone = options.want?.status === 'gone';
        world.check(gone || second?.consecutiveFailures === 2, `${FAULTY}: consecutiveFailures ${second?.consecutiveFailures} after two failed cycles`);
        await options.after?.(world);
      }),
  };
}
