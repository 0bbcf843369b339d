/** Fetcher: takes an SQS batch of sources, processes them, and reports the retryable failures. */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { EventError } from '../../shared/errors';
import { createLogger } from '../../shared/log';
import type { SourceOutcome } from '../../shared/model';
import { countsByCycle } from '../../shared/pipeline/cycle-counts';
import { fetchBatch } from '../../shared/pipeline/fetch-batch';
import { runtimeFromEnv, type Runtime } from '../../shared/runtime';
import { parseSourceMessage } from './message';

/** The SQS partial-batch response, plus the outcomes (ignored by Lambda, read by the local runner). */
export type FetcherResult = SQSBatchResponse & { outcomes: SourceOutcome[] };

/** Builds the fetcher handler over a runtime (the default reads the environment). */
export function createFetcherHandler(getRuntime: () => Runtime = runtimeFromEnv) {
  let logger: Logger | undefined;
  return async (event: SQSEvent): Promise<FetcherResult> => {
    if (!event || !Array.isArray(event.Records)) throw new EventError('fetcher expects an SQS event with Records');
    const rt = getRuntime();
    logger ??= createLogger(rt.config, 'fetcher');
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    const bySource = new Map<string, { messageIds: string[]; message: ReturnType<typeof parseSourceMessage> }>();
    for (const record of event.Records) {
      try {
        const message = parseSourceMessage(record.body);
        const entry = bySource.get(message.source.id) ?? { messageIds: [], message };
        entry.messageIds.push(record.messageId);
        bySource.set(message.source.id, entry);
      } catch (err) {
        logger.error('bad message', { messageId: record.messageId, error: String(err) });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    const entries = [...bySource.values()];
    const outcomes = await fetchBatch(entries.map((e) => e.message), rt);
    outcomes.forEach((o, i) => {
      if (o.status === 'error' || o.status === 'gone') logger?.warn('source failed', { sourceId: o.sourceId, error: o.error, retryable: o.retryable });
      if (o.status === 'error' && o.retryable) for (const id of entries[i]?.messageIds ?? []) failures.push({ itemIdentifier: id });
    });
    const finishedAt = new Date().toISOString();
    for (const [cycle, counts] of countsByCycle(entries.map((e) => e.message), outcomes)) {
      await rt.states.addToCycle(cycle, counts, finishedAt).catch((err) => logger?.warn('cycle counts not recorded', { cycle, error: String(err) }));
    }
    logger.info('fetched', { sources: outcomes.length, failed: failures.length, items: outcomes.reduce((n, o) => n + o.itemsNew, 0) });
    return { batchItemFailures: failures, outcomes };
  };
}

/** The Lambda entry point. */
export const handler = createFetcherHandler();
