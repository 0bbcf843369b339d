/** Fetch dispatchers: the in-process one, and LambdaFetchDispatcher's invokes and bounded retry with a recording sender. */
import type { InvokeCommandInput, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../shared/errors';
import type { FetchJob } from '../../shared/store/ports';
import { LambdaFetchDispatcher, MemoryFetchDispatcher, isRetryableInvokeError, type InvokeSender } from '../../shared/store/dispatch';

const FAST = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const CYCLE = '2025-06-01T10:00:00.000Z';

function jobs(count: number, perJob = 2): FetchJob[] {
  return Array.from({ length: count }, (_, j) => ({
    cycle: CYCLE,
    sources: Array.from({ length: perJob }, (_, i) => ({ source: { id: `src-${j}-${i}`, url: `https://feeds.example/${j}/${i}.xml`, title: `Feed ${i}`, tags: [] }, state: null })),
  }));
}

/** An SDK-shaped service error. */
function sdkError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
}

/** A sender that records every invoke (the decoded job) and answers as `answer` says for that call. */
function recordingSender(answer: (job: FetchJob, call: number) => 'ok' | Error | number): InvokeSender & { calls: InvokeCommandInput[]; jobs: FetchJob[] } {
  const calls: InvokeCommandInput[] = [];
  const sent: FetchJob[] = [];
  const send = async (input: InvokeCommandInput): Promise<InvokeCommandOutput> => {
    calls.push(input);
    const job = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as FetchJob;
    sent.push(job);
    const verdict = answer(job, calls.length);
    if (verdict instanceof Error) throw verdict;
    return { $metadata: {}, StatusCode: verdict === 'ok' ? 202 : verdict };
  };
  return Object.assign(send, { calls, jobs: sent });
}

describe('MemoryFetchDispatcher', () => {
  it('keeps serialized copies on dispatch and hands everything over once on drain', async () => {
    const dispatcher = new MemoryFetchDispatcher();
    const [a, b] = jobs(2);
    await dispatcher.dispatch([a as FetchJob]);
    await dispatcher.dispatch([b as FetchJob]);
    expect(dispatcher.size).toBe(2);
    const drained = dispatcher.drain();
    expect(drained).toEqual([a, b]);
    expect(drained[0]).not.toBe(a);
    expect(dispatcher.drain()).toEqual([]);
  });
});

describe('LambdaFetchDispatcher', () => {
  it('invokes the fetcher asynchronously once per job, with the job as the JSON payload', async () => {
    const sender = recordingSender(() => 'ok');
    const all = jobs(11);
    await new LambdaFetchDispatcher(sender, 'tributary-fetcher', FAST).dispatch(all);
    expect(sender.calls).toHaveLength(11);
    for (const call of sender.calls) expect(call).toMatchObject({ FunctionName: 'tributary-fetcher', InvocationType: 'Event' });
    expect([...sender.jobs].sort((x, y) => (x.sources[0]?.source.id ?? '').localeCompare(y.sources[0]?.source.id ?? ''))).toEqual(
      [...all].sort((x, y) => (x.sources[0]?.source.id ?? '').localeCompare(y.sources[0]?.source.id ?? '')),
    );
  });

  it('retries throttling and 5xx answers until the job is handed over', async () => {
    let failures = 0;
    const sender = recordingSender((_job, call) => {
      if (call === 1) return (failures++, sdkError('TooManyRequestsException', 429));
      if (call === 2) return (failures++, sdkError('ServiceException', 500));
      return 'ok';
    });
    await new LambdaFetchDispatcher(sender, 'f', FAST).dispatch(jobs(1));
    expect(failures).toBe(2);
    expect(sender.calls).toHaveLength(3);
  });

  it('gives up with StoreError after the bounded attempts, still handing over the other jobs', async () => {
    const sender = recordingSender((job) => (job.sources[0]?.source.id === 'src-1-0' ? sdkError('TooManyRequestsException', 429) : 'ok'));
    const error = await new LambdaFetchDispatcher(sender, 'f', FAST).dispatch(jobs(3)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^store: 1 of 3 fetch jobs not handed to f: .*after 3 attempts/);
    expect(sender.jobs.filter((j) => j.sources[0]?.source.id === 'src-1-0')).toHaveLength(3);
    expect(new Set(sender.jobs.map((j) => j.sources[0]?.source.id))).toEqual(new Set(['src-0-0', 'src-1-0', 'src-2-0']));
  });

  it('does not retry a refusal that is the caller\'s fault, nor an answer other than 202', async () => {
    const denied = recordingSender(() => sdkError('AccessDeniedException', 403));
    await expect(new LambdaFetchDispatcher(denied, 'f', FAST).dispatch(jobs(1))).rejects.toThrow(/AccessDeniedException/);
    expect(denied.calls).toHaveLength(1);
    const odd = recordingSender(() => 200);
    await expect(new LambdaFetchDispatcher(odd, 'f', FAST).dispatch(jobs(1))).rejects.toThrow(/answered 200 instead of 202/);
    expect(odd.calls).toHaveLength(1);
  });

  it('refuses a job over the asynchronous payload limit without invoking', async () => {
    const sender = recordingSender(() => 'ok');
    const [big] = jobs(1);
    (big as FetchJob).sources[0]!.source.title = 'x'.repeat(300 * 1024);
    await expect(new LambdaFetchDispatcher(sender, 'f', FAST).dispatch([big as FetchJob])).rejects.toThrow(/over Lambda's asynchronous limit/);
    expect(sender.calls).toHaveLength(0);
  });

  it('sends nothing for no jobs', async () => {
    const sender = recordingSender(() => 'ok');
    await new LambdaFetchDispatcher(sender, 'f', FAST).dispatch([]);
    expect(sender.calls).toHaveLength(0);
  });

  it('classifies throttling and server errors as retryable, client errors not', () => {
    expect(isRetryableInvokeError(sdkError('TooManyRequestsException', 429))).toBe(true);
    expect(isRetryableInvokeError(sdkError('ServiceException', 500))).toBe(true);
    expect(isRetryableInvokeError(sdkError('EC2ThrottledException', 502))).toBe(true);
    expect(isRetryableInvokeError(sdkError('ResourceNotFoundException', 404))).toBe(false);
    expect(isRetryableInvokeError(sdkError('RequestTooLargeException', 413))).toBe(false);
    expect(isRetryableInvokeError(new Error('boom'))).toBe(false);
  });
});
