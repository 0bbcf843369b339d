import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { BlockedUrlError, FetchError, NetworkError, TimeoutError } from '../../shared/errors';
import { toFetchError, type FailureContext } from '../../shared/fetch/wrap';
import { testSettings } from './feed-server';

function context(overrides: Partial<FailureContext> = {}): FailureContext {
  return { host: 'feeds.example:8443', settings: testSettings(1, { connectTimeoutMs: 1234 }), totalSignal: new AbortController().signal, ...overrides };
}

function errno(code: string, message = code): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('toFetchError', () => {
  it('maps undici timeouts to TimeoutError', () => {
    const connect = toFetchError(new errors.ConnectTimeoutError(), context());
    expect(connect).toBeInstanceOf(TimeoutError);
    expect(connect.message).toBe('fetch: connect timeout after 1234ms to feeds.example:8443');
    expect(toFetchError(new errors.HeadersTimeoutError(), context())).toBeInstanceOf(TimeoutError);
    expect(toFetchError(new errors.BodyTimeoutError(), context())).toBeInstanceOf(TimeoutError);
  });

  it('maps socket-level codes, also when they sit in the cause chain', () => {
    expect(toFetchError(errno('ECONNRESET'), context()).message).toBe('fetch: connection reset');
    const wrapped = new errors.SocketError('other side closed');
    (wrapped as Error).cause = errno('ECONNRESET');
    expect(toFetchError(wrapped, context()).message).toBe('fetch: connection reset');
    expect(toFetchError(errno('ENOTFOUND'), context()).message).toBe('fetch: DNS lookup failed for feeds.example');
    expect(toFetchError(errno('ECONNREFUSED'), context()).message).toBe('fetch: connection refused by feeds.example:8443');
    expect(toFetchError(errno('CERT_HAS_EXPIRED'), context()).message).toBe(
      'fetch: TLS failure with feeds.example:8443 (CERT_HAS_EXPIRED)',
    );
    expect(toFetchError(errno('HPE_INVALID_CONSTANT'), context())).toBeInstanceOf(NetworkError);
  });

  it('wraps anything unknown in NetworkError with the cause attached', () => {
    const raw = new TypeError('something odd');
    const mapped = toFetchError(raw, context());
    expect(mapped).toBeInstanceOf(NetworkError);
    expect(mapped.cause).toBe(raw);
    expect(toFetchError('a string', context())).toBeInstanceOf(NetworkError);
  });

  it('passes typed errors through, and prefers the abort reasons', () => {
    const blocked = new BlockedUrlError('blocked address 10.0.0.1 for host intranet');
    expect(toFetchError(blocked, context())).toBe(blocked);

    const total = new AbortController();
    const timeout = new TimeoutError('total timeout after 1ms');
    total.abort(timeout);
    expect(toFetchError(errno('ECONNRESET'), context({ totalSignal: total.signal }))).toBe(timeout);

    const caller = new AbortController();
    caller.abort();
    const aborted = toFetchError(new errors.RequestAbortedError(), context({ callerSignal: caller.signal }));
    expect(aborted).toBeInstanceOf(FetchError);
    expect(aborted.message).toBe('fetch: request aborted by caller');
  });
});
