/**
 * FetchDispatcher implementations: asynchronous Lambda invocations of the fetcher in AWS (one per
 * job), an in-process list for the local runner. The Lambda client is loaded on first dispatch, so
 * only the scheduler's bundle pays for it at run time.
 */
import type { InvokeCommandInput, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { StoreError } from '../errors';
import { ASYNC_PAYLOAD_LIMIT_BYTES } from '../pipeline/jobs';
import { DEFAULT_BACKOFF, backoffDelayMs, sleep, type BackoffPolicy } from './backoff';
import type { FetchDispatcher, FetchJob } from './ports';

/** Sends one Invoke request (a LambdaClient fits through lambdaInvoker; tests pass a recorder). */
export type InvokeSender = (input: InvokeCommandInput) => Promise<InvokeCommandOutput>;

/** Jobs handed over at once. */
const DISPATCH_CONCURRENCY = 8;

/** An InvokeSender on a LambdaClient created on first use (the SDK's own retries included). */
export function lambdaInvoker(region: string): InvokeSender {
  let client: Promise<{ send: InvokeSender }> | undefined;
  return async (input) => {
    client ??= import('@aws-sdk/client-lambda').then(({ LambdaClient, InvokeCommand }) => {
      const lambda = new LambdaClient({ region, maxAttempts: 3 });
      return { send: (i: InvokeCommandInput) => lambda.send(new InvokeCommand(i)) };
    });
    return (await client).send(input);
  };
}

/** True for throttling and server-side failures, which a later attempt may get past. */
export function isRetryableInvokeError(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return ['TooManyRequestsException', 'ThrottlingException', 'ServiceException', 'EC2ThrottledException', 'ResourceNotReadyException'].includes(e?.name ?? '') || e?.$retryable !== undefined;
}

/** The FetchDispatcher on Lambda: one asynchronous ('Event') Invoke of the fetcher per job, throttling and 5xx retried with bounded backoff. */
export class LambdaFetchDispatcher implements FetchDispatcher {
  constructor(
    private readonly send: InvokeSender,
    private readonly functionName: string,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  /** Hands every job over (several at once); throws StoreError naming how many could not be, after trying all. */
  async dispatch(jobs: FetchJob[]): Promise<void> {
    const failures: unknown[] = [];
    for (let start = 0; start < jobs.length; start += DISPATCH_CONCURRENCY) {
      const settled = await Promise.allSettled(jobs.slice(start, start + DISPATCH_CONCURRENCY).map((job) => this.invoke(job)));
      for (const s of settled) if (s.status === 'rejected') failures.push(s.reason);
    }
    if (failures.length > 0) {
      throw new StoreError(`${failures.length} of ${jobs.length} fetch jobs not handed to ${this.functionName}: ${(failures[0] as Error).message}`, { cause: failures[0] });
    }
  }

  private async invoke(job: FetchJob): Promise<void> {
    const payload = new TextEncoder().encode(JSON.stringify(job));
    if (payload.byteLength > ASYNC_PAYLOAD_LIMIT_BYTES) throw new StoreError(`fetch job of ${job.sources.length} sources is ${payload.byteLength} bytes, over Lambda's asynchronous limit`);
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) await sleep(backoffDelayMs(this.backoff, attempt - 1));
      try {
        const output = await this.send({ FunctionName: this.functionName, InvocationType: 'Event', Payload: payload });
        if (output.StatusCode === 202) return;
        throw new StoreError(`Invoke ${this.functionName} answered ${output.StatusCode ?? 'no status'} instead of 202`);
      } catch (err) {
        const retry = !(err instanceof StoreError) && isRetryableInvokeError(err);
        if (retry && attempt < this.backoff.maxAttempts) continue;
        if (err instanceof StoreError) throw err;
        const why = retry ? ` after ${attempt} attempts` : '';
        throw new StoreError(`Invoke ${this.functionName} failed${why}: ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
      }
    }
  }
}

/** An in-process FetchDispatcher for the local runner: `dispatch` appends, `drain` takes everything. */
export class MemoryFetchDispatcher implements FetchDispatcher {
  private jobs: FetchJob[] = [];

  /** Appends the jobs, serialized and parsed as Lambda would (the fetcher never shares objects with the scheduler). */
  async dispatch(jobs: FetchJob[]): Promise<void> {
    this.jobs.push(...jobs.map((job) => JSON.parse(JSON.stringify(job)) as FetchJob));
  }

  /** Removes and returns every dispatched job, oldest first. */
  drain(): FetchJob[] {
    const drained = this.jobs;
    this.jobs = [];
    return drained;
  }

  /** Jobs waiting. */
  get size(): number {
    return this.jobs.length;
  }
}
