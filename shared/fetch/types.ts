/**
 * What the fetch stage takes and returns. A 304 is a result (`not-modified`), not an error;
 * every failure is a typed `FetchError` from shared/errors.
 */

/** One feed fetch: the URL, validators from the previous fetch, and an optional caller abort signal. */
export interface FetchRequest {
  url: string;
  /** ETag from the previous response, sent as If-None-Match. */
  etag?: string;
  /** Last-Modified from the previous response, sent as If-Modified-Since. */
  lastModified?: string;
  signal?: AbortSignal;
  /**
   * Awaited once a response's body is about to be read (a 2xx that is not a 304; redirects and
   * error bodies are dropped without it), so a caller can bound the bodies read at once. The time it
   * takes does not count against the total timeout.
   */
  beforeBody?: () => Promise<void>;
}

/** Fields every fetch result carries. */
interface FetchResultBase {
  /** The URL asked for. */
  requestedUrl: string;
  /** The URL the response came from, after redirects. */
  finalUrl: string;
  /** `finalUrl` when every redirect hop was permanent (301/308); the caller may update the source URL. */
  permanentRedirect?: string;
  etag?: string;
  lastModified?: string;
  /** Body bytes received on the wire (compressed, as sent). */
  wireBytes: number;
  cacheControl?: string;
  expires?: string;
}

/** The server said the feed has not changed since the validators were issued. */
export interface FetchNotModifiedResult extends FetchResultBase {
  kind: 'not-modified';
  status: 304;
}

/** A successful response with its decompressed body. */
export interface FetchOkResult extends FetchResultBase {
  kind: 'ok';
  status: number;
  /** The decompressed body bytes (not yet decoded to text). */
  body: Uint8Array;
  /** The body as it crossed the wire when that was a gzip stream (a .gz file of `body`). */
  gzip?: Uint8Array;
  contentType?: string;
  /** Content-Location header as sent (the representation's own URL, possibly relative to `finalUrl`). */
  contentLocation?: string;
  /** Content-Language header as sent (the body's language, e.g. `en` or `en-US, fr`). */
  contentLanguage?: string;
}

/** The outcome of a feed fetch that did not fail. */
export type FetchResult = FetchNotModifiedResult | FetchOkResult;

/** Options for `fetchPage` (article capture). */
export interface FetchPageOptions {
  /** Body cap for this page, applied to wire and decompressed bytes. */
  maxBytes: number;
  signal?: AbortSignal;
}
