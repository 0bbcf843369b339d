/**
 * Fetcher: invoked asynchronously with one fetch job (up to JOB_SIZE sources of one cycle), it
 * processes the sources, adds the job's counts to its cycle once, and returns the outcomes. A
 * source's failure is recorded in its state (its schedule's backoff fetches it again), never thrown;
 * a throw (states unreadable) fails the invocation, which Lambda retries and then dead-letters.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { createLogger } from '../../shared/log';
import type { SourceOutcome } from '../../shared/model';
import { countOutcomes } from '../../shared/pipeline/cycle-counts';
import { fetchBatch } from '../../shared/pipeline/fetch-batch';
import { sourcesToFetch } from '../../shared/pipeline/jobs';
import { runtimeFromEnv, type Runtime } from '../../shared/runtime';
import { parseFetchJob } from './job';

/** What one invocation did: the outcomes in job order, and the entries left out as invalid. */
export interface FetcherResult {
  cycle?: string;
  outcomes: SourceOutcome[];
  rejected: string[];
}

/** Builds the fetcher handler over a runtime (the default reads the environment). */
export function createFetcherHandler(getRuntime: () => Runtime = runtimeFromEnv) {
  let logger: Logger | undefined;
  return async (event: unknown): Promise<FetcherResult> => {
    const { job, rejected } = parseFetchJob(event);
    const rt = getRuntime();
    logger ??= createLogger(rt.config, 'fetcher');
    for (const problem of rejected) logger.error('bad job entry', { cycle: job.cycle, problem });
    const outcomes = await fetchBatch(sourcesToFetch(job, new Date()), rt, { cycle: job.cycle });
    for (const o of outcomes) {
      if (o.status === 'error' || o.status === 'gone') logger.warn('source failed', { sourceId: o.sourceId, error: o.error, retryable: o.retryable });
    }
    if (job.cycle && outcomes.length > 0) {
      // One update per job; the cycle record is bookkeeping, so failing to update it fails nothing.
      await rt.states.addToCycle(job.cycle, countOutcomes(outcomes), new Date().toISOString()).catch((err) => logger?.warn('cycle counts not recorded', { cycle: job.cycle, error: String(err) }));
    }
    const failed = outcomes.filter((o) => o.status === 'error' || o.status === 'gone').length;
    logger.info('fetched', { sources: outcomes.length, failed, items: outcomes.reduce((n, o) => n + o.itemsNew, 0), cycle: job.cycle, attempt: job.attempt ?? 0 });
    return { ...(job.cycle ? { cycle: job.cycle } : {}), outcomes, rejected };
  };
}

/** The Lambda entry point. */
export const handler = createFetcherHandler();
