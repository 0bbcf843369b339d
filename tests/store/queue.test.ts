/** Source queues: the in-process queue, and SqsSourceQueue's batching and retry logic with a recording sender. */
import { describe, expect, it } from 'vitest';
import type { SendMessageBatchCommand, SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import { StoreError } from '../../shared/errors';
import type { SourceMessage } from '../../shared/store/ports';
import { MemorySourceQueue, SqsSourceQueue, type SqsBatchSender } from '../../shared/store/queue';

const FAST = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

function messages(count: number): SourceMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    source: { id: `src-${i}`, url: `https://feeds.example/${i}.xml`, title: `Feed ${i}`, tags: [] },
  }));
}

/** A sender that records every batch and fails the given bodies' entries as told. */
function recordingSender(fail: (body: string, call: number) => 'ok' | 'retry' | 'reject'): SqsBatchSender & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async send(command: SendMessageBatchCommand): Promise<SendMessageBatchCommandOutput> {
      const entries = command.input.Entries ?? [];
      calls.push(entries.map((entry) => entry.MessageBody ?? ''));
      const output: SendMessageBatchCommandOutput = { $metadata: {}, Successful: [], Failed: [] };
      for (const entry of entries) {
        const verdict = fail(entry.MessageBody ?? '', calls.length);
        if (verdict === 'ok') output.Successful?.push({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: '' });
        else output.Failed?.push({ Id: entry.Id, SenderFault: verdict === 'reject', Code: verdict === 'reject' ? 'InvalidMessageContents' : 'InternalError' });
      }
      return output;
    },
  };
}

describe('MemorySourceQueue', () => {
  it('appends on send and hands everything over once on drain', async () => {
    const queue = new MemorySourceQueue();
    const batch = messages(3);
    await queue.send(batch.slice(0, 2));
    await queue.send(batch.slice(2));
    expect(queue.size).toBe(3);
    expect(queue.drain()).toEqual(batch);
    expect(queue.drain()).toEqual([]);
  });
});

describe('SqsSourceQueue', () => {
  it('sends in batches of at most 10, retrying only the entries that failed', async () => {
    const all = messages(23);
    const flaky = new Set([JSON.stringify(all[3]), JSON.stringify(all[15]), JSON.stringify(all[22])]);
    const failedOnce = new Set<string>();
    const sender = recordingSender((body) => {
      if (flaky.has(body) && !failedOnce.has(body)) {
        failedOnce.add(body);
        return 'retry';
      }
      return 'ok';
    });
    await new SqsSourceQueue(sender, 'https://sqs.example/queue', FAST).send(all);
    expect(sender.calls.map((call) => call.length)).toEqual([10, 1, 10, 1, 3, 1]);
    expect(sender.calls[1]).toEqual([JSON.stringify(all[3])]);
    expect(sender.calls[3]).toEqual([JSON.stringify(all[15])]);
    expect(sender.calls[5]).toEqual([JSON.stringify(all[22])]);
    const delivered = sender.calls.flat().filter((body, i, bodies) => bodies.indexOf(body) === i);
    expect(delivered.map((body) => JSON.parse(body))).toEqual(all);
  });

  it('gives up with StoreError after the bounded attempts', async () => {
    const sender = recordingSender((body) => (body.includes('src-1"') ? 'retry' : 'ok'));
    await expect(new SqsSourceQueue(sender, 'q', FAST).send(messages(4))).rejects.toBeInstanceOf(StoreError);
    expect(sender.calls.map((call) => call.length)).toEqual([4, 1, 1]);
  });

  it('does not retry entries SQS rejects as the sender\'s fault', async () => {
    const sender = recordingSender((body) => (body.includes('src-2"') ? 'reject' : 'ok'));
    await expect(new SqsSourceQueue(sender, 'q', FAST).send(messages(4))).rejects.toThrow(/rejected 1 messages/);
    expect(sender.calls).toHaveLength(1);
  });

  it('sends nothing for no messages', async () => {
    const sender = recordingSender(() => 'ok');
    await new SqsSourceQueue(sender, 'q', FAST).send([]);
    expect(sender.calls).toHaveLength(0);
  });
});
