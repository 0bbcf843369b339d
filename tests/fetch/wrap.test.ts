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
  it('maps socket connect timeouts to TimeoutError', () => {
    const connect = toFetchError(errno('ETIMEDOUT'), context());
    expect(connect).toBeInstanceOf(TimeoutError);
    expect(connect.message).toBe('fetch: connect timeout after 1234ms to feeds.example:8443');
    expect(toFetchError(errno('ERR_SOCKET_CONNECTION_TIMEOUT'), context())).toBeInstanceOf(TimeoutError);
  });

  it('maps socket-level codes, also when they sit in the cause chain', () => {
    expect(toFetchError(errno('ECONNRESET'), context()).message).toBe('fetch: connection reset');
    const wrapped = new Error('socket hang up', { cause: errno('ECONNRESET') });
    expect(toFetchError(wrapped, context()).message).toBe('fetch: connection reset');
    expect(toFetchError(errno('ENOTFOUND'), context()).message).toBe('fetch: DNS lookup failed for feeds.example');
    expect(toFetchError(errno('ECONNREFUSED'), context()).message).toBe('fetch: connection refused by feeds.example:8443');
    expect(toFetchError(errno('CERT_HAS_EXPIRED'), context()).message).toBe(
      'fetch: TLS failure with feeds.example:8443 (CERT_HAS_EXPIRED)',
    );
    expect(toFetchError(errno('HPE_INVALID_CONSTANT'), context())).toBeInstanceOf(NetworkError);
    expect(toFetchError(errno('HPE_HEADER_OVERFLOW'), context()).message).toBe('fetch: response headers from feeds.example:8443 too large');
  });

  it('reports a connection lost mid-body as a short body when Content-Length was not reached', () => {
    const body = { contentLength: 1000, progress: { wireBytes: 100 } };
    expect(toFetchError(errno('ECONNRESET'), context({ body })).message).toBe('fetch: body shorter than Content-Length (100 of 1000 bytes)');
    const complete = { contentLength: 100, progress: { wireBytes: 100 } };
    expect(toFetchError(errno('ECONNRESET'), context({ body: complete })).message).toBe('fetch: connection reset');
    expect(toFetchError(errno('ECONNRESET'), context({ body: { progress: { wireBytes: 5 } } })).message).toBe('fetch: connection reset');
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
    const abortError = Object.assign(new Error('The operation was aborted', { cause: caller.signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
    const aborted = toFetchError(abortError, context({ callerSignal: caller.signal }));
    expect(aborted).toBeInstanceOf(FetchError);
    expect(aborted.message).toBe('fetch: request aborted by caller');
  });
});
