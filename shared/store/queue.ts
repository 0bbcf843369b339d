/** SourceQueue implementations: SQS in AWS, an in-process array for the local runner. */
import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { StoreError } from '../errors';
import { DEFAULT_BACKOFF, backoffDelayMs, sleep, type BackoffPolicy } from './backoff';
import type { SourceMessage, SourceQueue } from './ports';

/** SQS's limit of entries per SendMessageBatch. */
export const SQS_BATCH_LIMIT = 10;

/** The part of SQSClient the queue uses (an SQSClient fits; tests pass a recorder). */
export interface SqsBatchSender {
  send(command: SendMessageBatchCommand): Promise<SendMessageBatchCommandOutput>;
}

/** The SourceQueue port on SQS: batches of 10, failed entries retried with bounded backoff. */
export class SqsSourceQueue implements SourceQueue {
  constructor(
    private readonly sqs: SqsBatchSender,
    private readonly queueUrl: string,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  /** Sends every message; throws StoreError if any could not be sent. */
  async send(messages: SourceMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += SQS_BATCH_LIMIT) {
      const entries = messages.slice(start, start + SQS_BATCH_LIMIT).map((message, index) => ({
        Id: String(start + index),
        MessageBody: JSON.stringify(message),
      }));
      await this.sendBatch(entries);
    }
  }

  private async sendBatch(entries: SendMessageBatchRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > this.backoff.maxAttempts) {
        throw new StoreError(
          `SQS send left ${pending.length} messages unsent after ${this.backoff.maxAttempts} attempts`,
        );
      }
      if (attempt > 1) await sleep(backoffDelayMs(this.backoff, attempt - 1));
      let output: SendMessageBatchCommandOutput;
      try {
        output = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }));
      } catch (err) {
        throw new StoreError(`SQS send to ${this.queueUrl} failed: ${(err as Error).message}`, { cause: err });
      }
      const failed = output.Failed ?? [];
      const rejected = failed.filter((entry) => entry.SenderFault);
      if (rejected.length > 0) {
        const first = rejected[0];
        throw new StoreError(
          `SQS rejected ${rejected.length} messages: ${first?.Code ?? 'error'} ${first?.Message ?? ''}`.trim(),
        );
      }
      const retryIds = new Set(failed.map((entry) => entry.Id));
      pending = pending.filter((entry) => retryIds.has(entry.Id));
    }
  }
}

/** An in-process SourceQueue for the local runner: `send` appends, `drain` takes everything. */
export class MemorySourceQueue implements SourceQueue {
  private messages: SourceMessage[] = [];

  /** Appends the messages. */
  async send(messages: SourceMessage[]): Promise<void> {
    // Copied, as SQS would serialise them: the consumer never shares objects with the producer.
    this.messages.push(...messages.map((message) => structuredClone(message)));
  }

  /** Removes and returns every queued message, oldest first. */
  drain(): SourceMessage[] {
    const drained = this.messages;
    this.messages = [];
    return drained;
  }

  /** Messages waiting. */
  get size(): number {
    return this.messages.length;
  }
}
