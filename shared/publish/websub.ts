/**
 * WebSub (https://www.w3.org/TR/websub/) publish pings: after a feed changed, tell the hub with an
 * HTTP POST of `hub.mode=publish&hub.url=<feed url>`. The POST goes through the fetch stage's
 * guarded Agent (SSRF guard at connect time, allowlist, connect timeout) with the fetch timeouts.
 */
import { request } from 'undici';
import type { FetchSettings } from '../config';
import { FetchError, HttpStatusError, TimeoutError, TributaryError } from '../errors';
import { getFetchAgent } from '../fetch/agent';
import { assertUrlAllowed } from '../fetch/guard';
import { toFetchError, type FailureContext } from '../fetch/wrap';

/** The outcome of pinging the hub about one feed URL. */
export interface HubPing {
  feedUrl: string;
  ok: boolean;
  /** The hub's HTTP status, when it answered. */
  status?: number;
  /** A stage-prefixed message, when the ping failed. */
  error?: string;
}

/** Reads and drops a response body, so the keep-alive connection can be reused. */
async function drain(body: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of body) {
    /* discard */
  }
}

/** POSTs one publish notification; resolves with the hub's status, rejects with a FetchError subclass. */
async function postPublish(hub: URL, feedUrl: string, settings: FetchSettings): Promise<number> {
  assertUrlAllowed(hub, settings.allowHosts);
  const total = new AbortController();
  const timer = setTimeout(() => total.abort(new TimeoutError(`hub ${hub.host} did not answer within ${settings.totalTimeoutMs} ms`)), settings.totalTimeoutMs);
  const totalSignal = total.signal;
  const ctx: FailureContext = { host: hub.host, totalSignal, settings };
  try {
    const response = await request(hub, {
      method: 'POST',
      dispatcher: getFetchAgent(settings),
      signal: totalSignal,
      headersTimeout: settings.totalTimeoutMs,
      bodyTimeout: settings.idleTimeoutMs,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': settings.userAgent },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }).toString(),
    });
    await drain(response.body);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new HttpStatusError(response.statusCode, `hub answered ${response.statusCode} to a publish ping for ${feedUrl}`);
    }
    return response.statusCode;
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw toFetchError(err, ctx);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Pings the hub about every changed feed URL, one POST each, in order. Never throws: a failure is
 * returned in its HubPing (the caller logs it), since a late ping only delays subscribers.
 */
export async function pingHub(hubUrl: string, feedUrls: readonly string[], settings: FetchSettings): Promise<HubPing[]> {
  const results: HubPing[] = [];
  let hub: URL;
  try {
    hub = new URL(hubUrl);
  } catch {
    return feedUrls.map((feedUrl) => ({ feedUrl, ok: false, error: `publish: hub URL is not a URL: "${hubUrl}"` }));
  }
  for (const feedUrl of feedUrls) {
    try {
      results.push({ feedUrl, ok: true, status: await postPublish(hub, feedUrl, settings) });
    } catch (err) {
      const status = err instanceof HttpStatusError ? err.status : undefined;
      const error = err instanceof TributaryError ? err.message : `publish: hub ping failed: ${String(err)}`;
      results.push({ feedUrl, ok: false, ...(status !== undefined ? { status } : {}), error });
    }
  }
  return results;
}
