/**
 * Typed failures. Expected outcomes (304, nothing new) are return values; everything here is a
 * failure with a stage-prefixed message ("fetch: 410 gone") and, where there was one, a cause.
 * Callers branch on `instanceof`, never on message text.
 */

/** The pipeline stages, used as message prefixes. */
export type Stage =
  | 'config' | 'sources' | 'fetch' | 'decode' | 'parse' | 'normalise' | 'dedupe' | 'store' | 'publish'
  | 'handler' | 'api' | 'cli';

/** Base class of every Tributary failure. */
export class TributaryError extends Error {
  readonly stage: Stage;
  constructor(stage: Stage, message: string, options?: { cause?: unknown }) {
    super(`${stage}: ${message}`, options);
    this.name = new.target.name;
    this.stage = stage;
  }
  /** True when the same work may succeed if tried again later. */
  get retryable(): boolean {
    return false;
  }
}

/** Bad or missing configuration (env, CLI flags, OPML). */
export class ConfigError extends TributaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
  }
}

/** A sources file (OPML) that cannot be read or would become invalid. */
export class SourcesError extends TributaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('sources', message, options);
  }
}

/** Any failure to get a feed's bytes. */
export class FetchError extends TributaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('fetch', message, options);
  }
}

/** The server answered with a status that is not success, 304 or a followed redirect. */
export class HttpStatusError extends FetchError {
  readonly status: number;
  /** Milliseconds from Retry-After, when the server sent it. */
  readonly retryAfterMs?: number;
  constructor(status: number, message: string, retryAfterMs?: number) {
    super(message);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
  override get retryable(): boolean {
    return this.status === 408 || this.status === 425 || this.status === 429 || this.status >= 500;
  }
}

/** 410 Gone: the source is marked gone and no longer fetched. */
export class GoneError extends HttpStatusError {
  constructor() {
    super(410, '410 gone');
  }
  override get retryable(): boolean {
    return false;
  }
}

/** Connect or total timeout, or the body arrived too slowly. */
export class TimeoutError extends FetchError {
  override get retryable(): boolean {
    return true;
  }
}

/** DNS, connection refused/reset, TLS failure, truncated body. */
export class NetworkError extends FetchError {
  override get retryable(): boolean {
    return true;
  }
}

/** The body (compressed or decompressed) exceeded the size cap. */
export class BodyTooLargeError extends FetchError {}

/** More redirects than allowed, or a redirect loop. */
export class RedirectError extends FetchError {}

/** The URL or an address it resolves to is not allowed (scheme, private address: SSRF guard). */
export class BlockedUrlError extends FetchError {}

/** Bytes that cannot be turned into text. */
export class DecodeError extends TributaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('decode', message, options);
  }
}

/** Text that is not a feed, or a feed too broken to recover anything from. */
export class ParseError extends TributaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('parse', message, options);
  }
}

/** An HTML page where a feed was expected; `feedLinks` are the feeds it advertises (autodiscovery). */
export class NotAFeedError extends ParseError {
  readonly feedLinks: string[];
  constructor(message: string, feedLinks: string[]) {
    super(message);
    this.feedLinks = feedLinks;
  }
}

/** DynamoDB or S3 failed. */
export class StoreError extends TributaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store', message, options);
  }
  override get retryable(): boolean {
    return true;
  }
}

/** A source's state was written by another run after this run read it (a duplicate delivery of its job): the newer state stands. */
export class StaleStateError extends StoreError {
  constructor(readonly sourceId: string) {
    super(`the state of ${sourceId} was written by another run since it was read`);
  }
}

/** An item changed between read and write (optimistic locking); re-read and retry. */
export class VersionConflictError extends StoreError {
  /** The first conflicting item. */
  readonly itemId: string;
  /** Every item of the write that conflicted (the others were written). */
  readonly itemIds: string[];
  constructor(itemIds: string | string[]) {
    const ids = typeof itemIds === 'string' ? [itemIds] : itemIds;
    super(`item ${ids.join(', ')} changed while being written`);
    this.itemId = ids[0] ?? '';
    this.itemIds = ids;
  }
}

/** Building or writing the combined feed failed. */
export class PublishError extends TributaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('publish', message, options);
  }
}

/** A Lambda event that does not have the expected shape. */
export class EventError extends TributaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('handler', message, options);
  }
}

/** One line for a log or CLI: the message of a TributaryError, or a generic line for anything else. */
export function describeError(err: unknown): string {
  if (err instanceof TributaryError) return err.message;
  if (err instanceof Error) return `unexpected: ${err.name}: ${err.message}`;
  return `unexpected: ${String(err)}`;
}
