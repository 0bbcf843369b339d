/**
 * A form POST through the same guarded stack as feed fetches (SSRF guard at connect time, allowlist,
 * connect/total/idle timeouts, typed errors). Used for WebSub publish pings.
 */
import { request } from 'undici';
import type { FetchSettings } from '../config';
import { FetchError, HttpStatusError, TimeoutError } from '../errors';
import { getFetchAgent } from './agent';
import { assertUrlAllowed } from './guard';
import { toFetchError, type FailureContext } from './wrap';

/** Reads and drops a response body, so the keep-alive connection can be reused. */
async function drain(body: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of body) {
    /* discard */
  }
}

/** POSTs `fields` form-encoded; resolves with a 2xx status, rejects with a FetchError subclass (HttpStatusError otherwise). */
export async function postForm(url: URL, fields: Record<string, string>, settings: FetchSettings): Promise<number> {
  assertUrlAllowed(url, settings.allowHosts);
  const total = new AbortController();
  const timer = setTimeout(() => total.abort(new TimeoutError(`${url.host} did not answer within ${settings.totalTimeoutMs} ms`)), settings.totalTimeoutMs);
  const ctx: FailureContext = { host: url.host, totalSignal: total.signal, settings };
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: getFetchAgent(settings),
      signal: total.signal,
      headersTimeout: settings.totalTimeoutMs,
      bodyTimeout: settings.idleTimeoutMs,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': settings.userAgent },
      body: new URLSearchParams(fields).toString(),
    });
    await drain(response.body);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new HttpStatusError(response.statusCode, `${url.host} answered ${response.statusCode} to a POST`);
    }
    return response.statusCode;
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw toFetchError(err, ctx);
  } finally {
    clearTimeout(timer);
  }
}
