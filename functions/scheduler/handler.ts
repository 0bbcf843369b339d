/**
 * Scheduler: on each tick, opens a cycle and hands the sources that are due (or all, with
 * `{"force": true}`) to fetcher invocations, in jobs that carry the states it read (pipeline/jobs.ts).
 * Due-ness counts the recent cycles too (schedule/replay.ts): a fetch that changed nothing but
 * times is not written, and the cycle that dispatched it moves the source's next fetch on.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { EventError } from '../../shared/errors';
import { createLogger } from '../../shared/log';
import { buildJobs } from '../../shared/pipeline/jobs';
import { runtimeFromEnv, type Runtime } from '../../shared/runtime';
import { dueSources } from '../../shared/schedule/due';
import { REPLAY_WINDOW_MS } from '../../shared/schedule/replay';
import { loadSourceList } from '../../shared/sources/load';

/** What one scheduler run did. */
export interface ScheduleResult {
  sources: number;
  due: number;
  /** The cycle's id (its start time), carried by every job. */
  cycle: string;
  /** Fetch jobs dispatched (fetcher invocations). */
  jobs: number;
}

/** Builds the scheduler handler over a runtime (the default reads the environment). */
export function createSchedulerHandler(getRuntime: () => Runtime = runtimeFromEnv) {
  let logger: Logger | undefined;
  return async (event: unknown): Promise<ScheduleResult> => {
    if (event === null || typeof event !== 'object') throw new EventError('scheduler expects an EventBridge Scheduler event object');
    const rt = getRuntime();
    logger ??= createLogger(rt.config, 'scheduler');
    const now = new Date();
    const force = (event as { force?: unknown }).force === true;
    // The sources file, every state (one Query) and the recent cycles, read at once.
    const [{ sources }, stored, cycles] = await Promise.all([
      loadSourceList(rt.blobs, rt.config.sourcesKey),
      rt.states.listStates(),
      // Without the cycles every stored nextFetchAt is taken as is: sources may be fetched early, never late.
      force
        ? []
        : rt.states.cyclesSince(new Date(now.getTime() - REPLAY_WINDOW_MS).toISOString()).catch((err) => {
            logger?.warn('recent cycles not read', { error: String(err) });
            return [];
          }),
    ]);
    const states = new Map(stored.map((state) => [state.sourceId, state]));
    const due = force ? sources : dueSources(sources, states, now, { cycles, intervalMinutes: rt.config.fetchIntervalMinutes });
    const cycle = now.toISOString();
    if (due.length > 0) {
      const zero = { ok: 0, notModified: 0, failed: 0, itemsNew: 0, itemsUpdated: 0, itemsMerged: 0, bytes: 0 };
      // The cycle record is bookkeeping for the status page and the replay: failing to write it must
      // not stop the fetch (its fetches are then fetched again early, never late).
      await rt.states
        .putCycle({ startedAt: cycle, finishedAt: cycle, sources: sources.length, due: due.length, ...(force ? { forced: true } : {}), ...zero })
        .catch((err) => logger?.warn('cycle record not written', { cycle, error: String(err) }));
    }
    const jobs = buildJobs(cycle, due, states);
    await rt.dispatcher.dispatch(jobs);
    logger.info('scheduled', { sources: sources.length, due: due.length, jobs: jobs.length, force });
    return { sources: sources.length, due: due.length, cycle, jobs: jobs.length };
  };
}

/** The Lambda entry point. */
export const handler = createSchedulerHandler();
