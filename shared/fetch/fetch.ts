/**
 * `fetchFeed` and `fetchPage`: one guarded GET with manual redirects, conditional headers, status
 * mapping, timeouts and a streamed, capped, decompressed body. Uses node:http(s) on the shared guarded
 * keep-alive agents (never global fetch), so the compressed wire bytes are visible.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FetchSettings } from '../config';
import { BodyTooLargeError, FetchError, HttpStatusError, RedirectError, TimeoutError } from '../errors';
import { readBody, parseContentCoding } from './body';
import { assertUrlAllowed } from './guard';
import { destroyQuietly, discard, send } from './request';
import { headerValue, isPermanentRedirect, isRedirectStatus, statusError } from './status';
import type { FetchOkResult, FetchPageOptions, FetchRequest, FetchResult } from './types';
import { toFetchError, type FailureContext } from './wrap';

/** Accept header for feeds: feed types first, generic XML next, anything last. */
export const FEED_ACCEPT =
  'application/atom+xml, application/rss+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';

/** Accept header for article pages. */
export const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8';

/** Content codings we can undo, advertised on every request. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Error bodies and redirect bodies are read up to this much (for connection reuse), then dropped. */
const DISCARD_LIMIT_BYTES = 64 * 1024;

interface ExchangeOptions {
  accept: string;
  maxBytes: number;
  etag?: string;
  lastModified?: string;
  callerSignal?: AbortSignal;
  beforeBody?: () => Promise<void>;
}

/** Copies an object without its undefined properties. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function parseRequestUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch (err) {
    throw new FetchError(`invalid URL "${raw}"`, { cause: err });
  }
}

/** Same resource for loop detection: the URL without its fragment. */
function withoutHash(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

function requestHeaders(settings: FetchSettings, options: ExchangeOptions): Record<string, string> {
  const headers: Record<string, string | undefined> = {
    'user-agent': settings.userAgent,
    accept: options.accept,
    'accept-encoding': ACCEPT_ENCODING,
    'if-none-match': options.etag,
    'if-modified-since': options.lastModified,
  };
  return withoutUndefined(headers) as Record<string, string>;
}

function declaredLength(headers: IncomingHttpHeaders): number | undefined {
  const raw = headerValue(headers, 'content-length');
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/**
 * Awaits `beforeBody` with the response unread; resolves with the error the connection failed with
 * meanwhile (the response is then destroyed), if any. Its own failure becomes a `FetchError`.
 */
async function waitBeforeBody(body: IncomingMessage, beforeBody: () => Promise<void>): Promise<unknown> {
  let lost: unknown;
  const onLost = (err: unknown) => {
    lost ??= err;
  };
  body.on('error', onLost);
  try {
    await beforeBody();
  } catch (err) {
    destroyQuietly(body);
    throw err instanceof FetchError ? err : new FetchError('waiting to read the body failed', { cause: err });
  } finally {
    body.off('error', onLost);
  }
  if (lost !== undefined) destroyQuietly(body);
  return lost;
}

/** Follows redirects from `requestedUrl` and returns the final response as a `FetchResult`. */
async function exchange(requestedUrl: string, settings: FetchSettings, options: ExchangeOptions): Promise<FetchResult> {
  let url = parseRequestUrl(requestedUrl);
  const timer = new AbortController();
  const arm = (ms: number) =>
    setTimeout(() => {
      timer.abort(new TimeoutError(`total timeout after ${settings.totalTimeoutMs}ms for ${requestedUrl}`));
    }, ms);
  const deadline = Date.now() + settings.totalTimeoutMs;
  let totalTimeout = arm(settings.totalTimeoutMs);
  const signal = options.callerSignal ? AbortSignal.any([timer.signal, options.callerSignal]) : timer.signal;
  const headers = requestHeaders(settings, options);
  const visited = new Set<string>();
  let hops = 0;
  let allPermanent = true;
  try {
    for (;;) {
      assertUrlAllowed(url, settings.allowHosts);
      visited.add(withoutHash(url));
      const ctx: FailureContext = { host: url.host, settings, totalSignal: timer.signal, callerSignal: options.callerSignal };
      let body: IncomingMessage;
      try {
        body = await send(url, { method: 'GET', headers, signal, settings });
      } catch (err) {
        throw toFetchError(err, ctx);
      }
      const { statusCode: status = 0, headers: responseHeaders } = body;
      const location = headerValue(responseHeaders, 'location');

      if (isRedirectStatus(status) && location !== undefined) {
        await discard(body, DISCARD_LIMIT_BYTES, signal);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch (err) {
          throw new RedirectError(`invalid Location "${location}" from ${url.href}`, { cause: err });
        }
        if (visited.has(withoutHash(next))) throw new RedirectError(`redirect loop at ${next.href} (from ${requestedUrl})`);
        hops += 1;
        if (hops > settings.maxRedirects) {
          throw new RedirectError(`too many redirects (more than ${settings.maxRedirects}) from ${requestedUrl}`);
        }
        if (!isPermanentRedirect(status)) allPermanent = false;
        url = next;
        continue;
      }

      const common = withoutUndefined({
        requestedUrl,
        finalUrl: url.href,
        permanentRedirect: hops > 0 && allPermanent ? url.href : undefined,
        etag: headerValue(responseHeaders, 'etag'),
        lastModified: headerValue(responseHeaders, 'last-modified'),
        cacheControl: headerValue(responseHeaders, 'cache-control'),
        expires: headerValue(responseHeaders, 'expires'),
      });
      if (status === 304) {
        await discard(body, DISCARD_LIMIT_BYTES, signal);
        return { kind: 'not-modified', status: 304, wireBytes: 0, ...common };
      }
      if (status < 200 || status >= 300) {
        await discard(body, DISCARD_LIMIT_BYTES, signal);
        throw statusError(status, responseHeaders);
      }
      const contentLength = declaredLength(responseHeaders);
      if (contentLength !== undefined && contentLength > options.maxBytes) {
        destroyQuietly(body);
        throw new BodyTooLargeError(`Content-Length ${contentLength} exceeds the ${options.maxBytes}-byte cap`);
      }
      let coding;
      try {
        coding = parseContentCoding(headerValue(responseHeaders, 'content-encoding'));
      } catch (err) {
        destroyQuietly(body);
        throw err;
      }
      if (options.beforeBody) {
        // The total timeout stops while the caller makes room for the body: the server is not slow.
        clearTimeout(totalTimeout);
        const left = deadline - Date.now();
        const lost = await waitBeforeBody(body, options.beforeBody);
        totalTimeout = arm(Math.max(0, left));
        if (lost !== undefined) throw toFetchError(lost, { ...ctx, body: { contentLength, progress: { wireBytes: 0 } } });
      }
      const progress = { wireBytes: 0 };
      const read = await readBody(body, {
        coding,
        maxBytes: options.maxBytes,
        idleTimeoutMs: settings.idleTimeoutMs,
        contentLength,
        signal,
        progress,
      }).catch((err: unknown) => {
        throw toFetchError(err, { ...ctx, body: { contentLength, progress } });
      });
      return withoutUndefined({
        kind: 'ok' as const,
        status,
        body: read.bytes,
        ...(read.gzip ? { gzip: read.gzip } : {}),
        contentType: headerValue(responseHeaders, 'content-type'),
        contentLocation: headerValue(responseHeaders, 'content-location'),
        contentLanguage: headerValue(responseHeaders, 'content-language'),
        wireBytes: read.wireBytes,
        ...common,
      });
    }
  } finally {
    clearTimeout(totalTimeout);
  }
}

/**
 * Fetches a feed: guarded, redirect-following, conditional GET within the settings' timeouts and
 * body cap. Resolves `ok` or `not-modified`; rejects only with `FetchError` subclasses.
 */
export function fetchFeed(request: FetchRequest, settings: FetchSettings): Promise<FetchResult> {
  return exchange(request.url, settings, {
    accept: FEED_ACCEPT,
    maxBytes: settings.maxBodyBytes,
    etag: request.etag,
    lastModified: request.lastModified,
    callerSignal: request.signal,
    beforeBody: request.beforeBody,
  });
}

/** Fetches a web page (article capture) with the same guard and limits, capped at `options.maxBytes`. */
export async function fetchPage(url: string, settings: FetchSettings, options: FetchPageOptions): Promise<FetchOkResult> {
  const result = await exchange(url, settings, { accept: PAGE_ACCEPT, maxBytes: options.maxBytes, callerSignal: options.signal });
  if (result.kind === 'not-modified') throw new HttpStatusError(304, '304 Not Modified');
  return result;
}
