/** Publisher: assigns the stories of new items, then renders the feeds (RSS, Atom, JSON Feed) into the bucket. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { EventError } from '../../shared/errors';
import { createLogger } from '../../shared/log';
import { assignStories, type ClusterResult } from '../../shared/pipeline/cluster-stories';
import { publishFeeds, readPublishInputs, type PublishResult } from '../../shared/pipeline/publish-feeds';
import { runtimeFromEnv, type Runtime } from '../../shared/runtime';
import { loadSourceList } from '../../shared/sources/load';

/** Builds the publisher handler over a runtime (the default reads the environment). */
export function createPublisherHandler(getRuntime: () => Runtime = runtimeFromEnv) {
  let logger: Logger | undefined;
  return async (event: unknown): Promise<PublishResult & { stories: ClusterResult }> => {
    if (event === null || typeof event !== 'object') throw new EventError('publisher expects an event object');
    const rt = getRuntime();
    logger ??= createLogger(rt.config, 'publisher');
    // The manifest and feed versions are read while stories are assigned; the versions the assignment
    // bumps (sources of moved items) come back from the bumps and count over the ones read.
    const [assignment, { sources }, inputs] = await Promise.all([assignStories(rt), loadSourceList(rt.blobs, rt.config.sourcesKey), readPublishInputs(rt)]);
    // The story index and inbox bookkeeping runs while the feeds are rendered (it changes no item).
    const options = { inputs, bumped: assignment.bumped, ...(rt.config.websubHub ? { hub: rt.config.websubHub } : {}) };
    const [, result] = await Promise.all([assignment.finish(), publishFeeds(sources, rt, options)]);
    const stories = assignment.result;
    if (stories.inboxObjects > 0) logger.info('stories assigned', { ...stories });
    for (const key of stories.rejected) logger.warn('unreadable story object moved aside', { key });
    for (const ping of result.hubPings) if (!ping.ok) logger.warn('hub ping failed', { ...ping });
    logger.info('published', { items: result.items, written: result.written, unchanged: result.unchanged.length });
    return { ...result, stories };
  };
}

/** The Lambda entry point. */
export const handler = createPublisherHandler();
