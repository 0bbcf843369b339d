/** Bounded exponential backoff with full jitter, shared by the batch retries of DynamoDB and SQS. */

/** How many attempts a batch retry makes and how long it waits between them. */
export interface BackoffPolicy {
  /** Total attempts, the first one included. */
  maxAttempts: number;
  /** Delay cap of the first retry, doubled on each later one. */
  baseDelayMs: number;
  /** Upper bound of any single delay. */
  maxDelayMs: number;
}

/** The policy used for UnprocessedItems / UnprocessedKeys and failed SQS batch entries. */
export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 2_000 };

/** The delay before retry number `retry` (1-based): a uniform random value up to the capped exponential step. */
export function backoffDelayMs(policy: BackoffPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(Math.random() * ceiling);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
