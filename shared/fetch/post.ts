/**
 * A form POST through the same guarded stack as feed fetches (SSRF guard at connect time, allowlist,
 * connect/total/idle timeouts, typed errors). Used for WebSub publish pings.
 */
import type { FetchSettings } from '../config';
import { FetchError, HttpStatusError, TimeoutError } from '../errors';
import { assertUrlAllowed } from './guard';
import { discard, send } from './request';
import { toFetchError, type FailureContext } from './wrap';

/** A hub's answer body is read up to this much (for connection reuse), then dropped. */
const DISCARD_LIMIT_BYTES = 64 * 1024;

/** POSTs `fields` form-encoded; resolves with a 2xx status, rejects with a FetchError subclass (HttpStatusError otherwise). */
export async function postForm(url: URL, fields: Record<string, string>, settings: FetchSettings): Promise<number> {
  assertUrlAllowed(url, settings.allowHosts);
  const total = new AbortController();
  const timer = setTimeout(() => total.abort(new TimeoutError(`${url.host} did not answer within ${settings.totalTimeoutMs} ms`)), settings.totalTimeoutMs);
  const ctx: FailureContext = { host: url.host, totalSignal: total.signal, settings };
  try {
    const response = await send(url, {
      method: 'POST',
      signal: total.signal,
      settings,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': settings.userAgent },
      body: new URLSearchParams(fields).toString(),
    });
    await discard(response, DISCARD_LIMIT_BYTES, total.signal);
    if (total.signal.aborted) throw toFetchError(total.signal.reason, ctx);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new HttpStatusError(status, `${url.host} answered ${status} to a POST`);
    return status;
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw toFetchError(err, ctx);
  } finally {
    clearTimeout(timer);
  }
}
