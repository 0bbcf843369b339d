/** Driving the real Lambda handlers directly (no runCycle), for faults in how they are invoked. */
import { pushSources } from '../cli/local/cycle';
import { createFetcherHandler, type FetcherResult } from '../functions/fetcher/handler';
import { createSchedulerHandler } from '../functions/scheduler/handler';
import { localDispatcher } from '../shared/runtime';
import type { FetchJob } from '../shared/store/ports';
import type { World } from './world';

/** The sources of some jobs, in order. */
export function sourcesOf(jobs: FetchJob[]): FetchJob['sources'] {
  return jobs.flatMap((job) => job.sources);
}

/** Pushes the sources file and runs the scheduler (forced); returns the jobs it dispatched. */
export async function scheduleAll(world: World): Promise<FetchJob[]> {
  await pushSources(world.rt, world.sourcesFile);
  world.runs++;
  try {
    await createSchedulerHandler(() => world.rt)({ source: 'chaos', force: true });
  } catch (err) {
    world.crashed++;
    world.problems.push(`scheduler threw: ${(err as Error).message}`);
  }
  return localDispatcher.drain();
}

/** Invokes the fetcher once with a job; a throw is counted as a crash and returns undefined. */
export async function invokeFetcher(world: World, job: FetchJob): Promise<FetcherResult | undefined> {
  world.runs++;
  try {
    return await createFetcherHandler(() => world.rt)(job);
  } catch (err) {
    world.crashed++;
    world.problems.push(`fetcher threw: ${(err as Error).message}`);
    return undefined;
  }
}
