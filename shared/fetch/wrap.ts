/**
 * Turns whatever node:http, node:net, node:tls, node:dns or node:zlib threw into a typed `FetchError`, so
 * no raw error ever leaves the fetch stage. Branches on error codes, never on message text.
 */
import { FetchError, NetworkError, TimeoutError } from '../errors';
import type { FetchSettings } from '../config';

/** What the mapper needs to know about the request that failed. */
export interface FailureContext {
  /** Host (and port) of the hop that failed, for messages. */
  host: string;
  settings: FetchSettings;
  /** Aborted by the fetch's own total-timeout timer; its reason is a `TimeoutError`. */
  totalSignal: AbortSignal;
  /** The caller's signal, when there was one. */
  callerSignal?: AbortSignal;
  /** Set once a body is being read: its declared Content-Length and the wire bytes received so far. */
  body?: { contentLength?: number; progress: { wireBytes: number } };
}

/** Error codes in the error and its `cause` chain, outermost first. */
function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}

/** Codes of a connection that ended early: during a body read with a declared length, the body is short. */
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

function fromCode(code: string, err: unknown, ctx: FailureContext): FetchError | undefined {
  const { host, settings } = ctx;
  const cause = { cause: err };
  switch (code) {
    case 'ETIMEDOUT':
    case 'ERR_SOCKET_CONNECTION_TIMEOUT':
      return new TimeoutError(`connect timeout after ${settings.connectTimeoutMs}ms to ${host}`, cause);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return new NetworkError(`DNS lookup failed for ${host.replace(/:\d+$/, '')}`, cause);
    case 'ECONNREFUSED':
      return new NetworkError(`connection refused by ${host}`, cause);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return new NetworkError('connection reset', cause);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new NetworkError(`host ${host} unreachable`, cause);
    case 'HPE_HEADER_OVERFLOW':
      return new NetworkError(`response headers from ${host} too large`, cause);
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return new NetworkError(`connection to ${host} closed before the response was complete`, cause);
    default:
      if (TLS_CODE.test(code)) return new NetworkError(`TLS failure with ${host} (${code})`, cause);
      if (code.startsWith('HPE_')) return new NetworkError(`invalid HTTP response from ${host} (${code})`, cause);
      return undefined;
  }
}

/** Maps any failure during a request or body read to a typed `FetchError` (typed errors pass through). */
export function toFetchError(err: unknown, ctx: FailureContext): FetchError {
  if (ctx.totalSignal.aborted && ctx.totalSignal.reason instanceof FetchError) return ctx.totalSignal.reason;
  if (ctx.callerSignal?.aborted) {
    const reason: unknown = ctx.callerSignal.reason;
    return reason instanceof FetchError ? reason : new FetchError('request aborted by caller', { cause: reason });
  }
  if (err instanceof FetchError) return err;
  const codes = codesOf(err);
  const received = ctx.body?.progress.wireBytes ?? 0;
  const declared = ctx.body?.contentLength;
  if (declared !== undefined && received < declared && codes.some((code) => CONNECTION_LOST.has(code))) {
    return new NetworkError(`body shorter than Content-Length (${received} of ${declared} bytes)`, { cause: err });
  }
  for (const code of codes) {
    const mapped = fromCode(code, err, ctx);
    if (mapped) return mapped;
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new NetworkError(`request to ${ctx.host} failed: ${detail}`, { cause: err });
}
