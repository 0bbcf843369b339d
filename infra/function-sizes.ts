/**
 * Each function's memory and Node options, in one place for the stacks and the benchmark's cost
 * model (which prices each invocation at its function's memory). No CDK imports: the benchmark
 * reads it without loading the CDK.
 */

/** Lambda memory per function (MB). The fetcher parses and sanitises whole jobs: it gets more memory, and with it more CPU. */
export const FUNCTION_MEMORY_MB = { scheduler: 512, fetcher: 1024, publisher: 512, api: 512 } as const;

/**
 * libuv's thread pool of the fetcher (UV_THREADPOOL_SIZE; Node's default is 4). Host names resolve
 * there (getaddrinfo) as zlib does its work: a job starts up to 100 requests at once, whose DNS
 * lookups would otherwise queue four at a time.
 */
export const FETCHER_THREADPOOL_SIZE = 32;
