/** Driving the real Lambda handlers directly (no runCycle), for faults in how they are invoked. */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { pushSources } from '../cli/local/cycle';
import { createFetcherHandler, type FetcherResult } from '../functions/fetcher/handler';
import { createSchedulerHandler } from '../functions/scheduler/handler';
import { localQueue } from '../shared/runtime';
import type { SourceMessage } from '../shared/store/ports';
import type { World } from './world';

/** An SQS event carrying the messages with the given message ids. */
export function sqsEvent(messages: SourceMessage[], messageIds: string[]): SQSEvent {
  return { Records: messages.map((m, i) => ({ messageId: messageIds[i] ?? `chaos-${i}`, body: JSON.stringify(m) }) as SQSRecord) };
}

/** Pushes the sources file and runs the scheduler (forced); returns the messages it queued. */
export async function scheduleAll(world: World): Promise<SourceMessage[]> {
  await pushSources(world.rt, world.sourcesFile);
  world.runs++;
  try {
    await createSchedulerHandler(() => world.rt)({ source: 'chaos', force: true });
  } catch (err) {
    world.crashed++;
    world.problems.push(`scheduler threw: ${(err as Error).message}`);
  }
  return localQueue.drain();
}

/** Invokes the fetcher once; a throw is counted as a crash and returns undefined. */
export async function invokeFetcher(world: World, event: SQSEvent): Promise<FetcherResult | undefined> {
  world.runs++;
  try {
    return await createFetcherHandler(() => world.rt)(event);
  } catch (err) {
    world.crashed++;
    world.problems.push(`fetcher threw: ${(err as Error).message}`);
    return undefined;
  }
}
