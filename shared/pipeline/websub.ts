/**
 * WebSub (https://www.w3.org/TR/websub/) publish pings: after a feed changed, tell the hub with an
 * HTTP POST of `hub.mode=publish&hub.url=<feed url>`, through the fetch stage's guarded POST. The
 * publisher pings about the combined and tag feeds whose files it rewrote and, since per-source
 * feeds are rendered on demand and never written, about the three per-source feed URLs of every
 * source whose feedVersion moved (publish-feeds.ts): the hub then fetches them through the CDN.
 */
import type { FetchSettings } from '../config';
import { HttpStatusError, TributaryError } from '../errors';
import { postForm } from '../fetch';

/** The outcome of pinging the hub about one feed URL. */
export interface HubPing {
  feedUrl: string;
  ok: boolean;
  /** The hub's HTTP status, when it answered. */
  status?: number;
  /** A stage-prefixed message, when the ping failed. */
  error?: string;
}

/**
 * Pings the hub about every changed feed URL, one POST each, in order. Never throws: a failure is
 * returned in its HubPing (the caller logs it), since a late ping only delays subscribers.
 */
export async function pingHub(hubUrl: string, feedUrls: readonly string[], settings: FetchSettings): Promise<HubPing[]> {
  let hub: URL;
  try {
    hub = new URL(hubUrl);
  } catch {
    return feedUrls.map((feedUrl) => ({ feedUrl, ok: false, error: `publish: hub URL is not a URL: "${hubUrl}"` }));
  }
  const results: HubPing[] = [];
  for (const feedUrl of feedUrls) {
    try {
      results.push({ feedUrl, ok: true, status: await postForm(hub, { 'hub.mode': 'publish', 'hub.url': feedUrl }, settings) });
    } catch (err) {
      const status = err instanceof HttpStatusError ? err.status : undefined;
      const error =
        status !== undefined
          ? `fetch: hub answered ${status} to a publish ping for ${feedUrl}`
          : err instanceof TributaryError
            ? err.message
            : `publish: hub ping failed: ${String(err)}`;
      results.push({ feedUrl, ok: false, ...(status !== undefined ? { status } : {}), error });
    }
  }
  return results;
}
