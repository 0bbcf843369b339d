/**
 * One source, one fetch: conditional GET, raw bytes to the blob store, ingest, and the source's next
 * state (validators, next fetch, failures, arrivals per day). runSource works the state out;
 * commitState stores it last (after the batch, so the outage breaker can amend it), so a crash
 * re-runs the fetch idempotently. A state that moved only in time is not stored when the scheduler
 * does as well without it (schedule/state-write.ts). Changed item lists bump the feedVersion of
 * every source they touched, for the publisher. Failures are recorded in the state and returned as
 * an outcome; they never throw.
 */
import { gzipSync } from 'node:zlib';
import type { Config } from '../config';
import { DecodeError, GoneError, HttpStatusError, NetworkError, NotAFeedError, ParseError, StaleStateError, TimeoutError, TributaryError, describeError } from '../errors';
import { fetchFeed, type FetchLimiter, type Slots } from '../fetch';
import { sha256Hex } from '../ids';
import type { Source, SourceOutcome, SourceState } from '../model';
import { nextFetchAt } from '../schedule/next-fetch';
import { mustWriteState } from '../schedule/state-write';
import { addArrivals } from '../status/days';
import type { BlobStore, ItemRepository, StateRepository, StoryRepository } from '../store/ports';
import { ingestFeed } from './ingest';
import { singleRawStore, type RawStore } from './raw-store';

/** Everything processing a source needs. */
export interface PipelineDeps {
  config: Config;
  items: ItemRepository;
  states: StateRepository;
  blobs: BlobStore;
  /** Story clustering rows; without them new items get no story. */
  stories?: StoryRepository;
  /** Where raw bodies go: a batch shares objects (batchedRawStore); one object per body otherwise. */
  raw?: RawStore;
  /** Called once per runSource when its fetch is over (answered or failed), before its body is stored. */
  onFetched?: () => void;
  /** Per-host limiter for article pages, shared by a batch (one per ingest otherwise). */
  pageLimiter?: FetchLimiter;
  /** Body slots shared by a batch: a source holds one from reading its body until it is processed. */
  bodySlots?: Slots;
  /** Clock, replaceable in tests. */
  now?: () => Date;
}

/** A fresh state for a source never fetched before. */
export function initialState(sourceId: string): SourceState {
  return { sourceId, consecutiveFailures: 0, itemsSeen: 0 };
}

/** A state whose OPML URL was edited by the user starts over: no redirect target, validators or 'gone'. */
function resetIfUrlEdited(state: SourceState, source: Source): SourceState {
  if (state.configuredUrl === undefined || state.configuredUrl === source.url) return { ...state, configuredUrl: source.url };
  const { url: _url, etag: _etag, lastModified: _lm, lastBodyHash: _hash, ...rest } = state;
  return { ...rest, configuredUrl: source.url, status: undefined, consecutiveFailures: 0 };
}

function failureMessage(err: unknown): string {
  const base = describeError(err);
  if (err instanceof NotAFeedError && err.feedLinks.length > 0) return `${base}; the page advertises: ${err.feedLinks.join(' ')}`;
  return base;
}

/** What processing one source produced: its outcome and the state to store (not yet stored). */
export interface SourceResult {
  outcome: SourceOutcome;
  state: SourceState;
  previous: SourceState;
  /** The state as stored before this fetch (undefined for a source never stored). */
  stored?: SourceState;
  /** True when the failure was the network's (DNS, connect, reset, timeout), not the source's answer. */
  networkFailure: boolean;
  /** Sources whose item lists the ingest changed (this one included when its own list changed). */
  touchedSources: string[];
}

/** Where a commit comes from: the cycle that queued the fetch, if any. */
export interface CommitContext {
  cycle?: string;
}

/**
 * Stores what a fetch changed: the feedVersion of the other sources its ingest touched, then the
 * source's own state (with its feedVersion bumped when its list changed) unless only times moved
 * and the scheduler does as well without it. Both come after the item writes, so a publisher that
 * sees a bumped version also sees the items. A failed write turns the outcome into a retryable error.
 */
export async function commitState(result: SourceResult, deps: PipelineDeps, context: CommitContext = {}): Promise<SourceOutcome> {
  const { outcome } = result;
  const sourceId = result.state.sourceId;
  const feedChanged = result.touchedSources.includes(sourceId);
  const others = result.touchedSources.filter((id) => id !== sourceId);
  try {
    if (others.length > 0) await deps.states.markFeedsChanged(others);
    const writeContext = { now: deps.now?.() ?? new Date(), intervalMinutes: deps.config.fetchIntervalMinutes, ...(context.cycle ? { cycle: context.cycle } : {}) };
    if (feedChanged || mustWriteState(result.stored, result.state, writeContext)) {
      // Only over the state this fetch started from: a duplicate delivery of the job that read it
      // earlier must not set back what the other run stored (its items are idempotent either way).
      await deps.states.putState(result.state, { ...(feedChanged ? { feedChanged } : {}), expectedWrittenAt: result.stored?.writtenAt ?? null });
    }
  } catch (err) {
    if (err instanceof StaleStateError) return outcome;
    outcome.status = 'error';
    outcome.error = failureMessage(err);
    outcome.retryable = true;
  }
  return outcome;
}

/** Fetches and ingests one source and works out its next state, without storing the state. */
export async function runSource(source: Source, previous: SourceState | undefined, deps: PipelineDeps): Promise<SourceResult> {
  const now = deps.now?.() ?? new Date();
  const prev = resetIfUrlEdited(previous ?? initialState(source.id), source);
  const state: SourceState = { ...prev, lastFetchAt: now.toISOString() };
  const outcome: SourceOutcome = { sourceId: source.id, status: 'ok', itemsInFeed: 0, itemsNew: 0, itemsUpdated: 0, itemsMerged: 0, bytes: 0 };
  const interval = deps.config.fetchIntervalMinutes;
  let networkFailure = false;
  let touchedSources: string[] = [];
  let fetched = false;
  const fetchOver = () => {
    if (fetched) return;
    fetched = true;
    deps.onFetched?.();
  };
  let releaseBody: (() => void) | undefined;
  const slots = deps.bodySlots;
  const beforeBody = slots ? async () => void (releaseBody = await slots.acquire()) : undefined;
  try {
    const res = await fetchFeed({ url: prev.url ?? source.url, etag: prev.etag, lastModified: prev.lastModified, beforeBody }, deps.config.fetch).finally(fetchOver);
    outcome.bytes = res.wireBytes;
    let ttlMinutes: number | undefined;
    if (res.kind === 'not-modified') {
      outcome.status = 'not-modified';
    } else {
      const bodyHash = sha256Hex(res.body);
      if (bodyHash === prev.lastBodyHash) {
        outcome.status = 'unchanged';
      } else {
        // A gzip response is stored as it came (the same .gz, no second compression), while ingest
        // parses it and looks its entries up (it writes nothing before the body is stored). The last
        // fingerprints are read meanwhile (a source never stored has none); without them every entry
        // is looked up (slower, same result).
        const rawStored = (deps.raw ?? singleRawStore(deps.blobs))(source.id, bodyHash, res.gzip ?? gzipSync(res.body));
        const seen = prev.seen !== undefined || previous === undefined ? prev.seen : deps.states.getSeen(source.id).catch(() => undefined);
        // Until ingest reports what it touched, assume it may have written some of this source's items.
        touchedSources = [source.id];
        const result = await ingestFeed(
          { sourceId: source.id, body: res.body, raw: rawStored, contentType: res.contentType, contentLocation: res.contentLocation, contentLanguage: res.contentLanguage, feedUrl: res.finalUrl, siteUrl: source.siteUrl, fetchedAt: now, seen, capture: source.capture, firstIngest: previous === undefined },
          { items: deps.items, blobs: deps.blobs, stories: deps.stories, pages: { settings: deps.config.fetch, limiter: deps.pageLimiter } },
        );
        const raw = await rawStored;
        Object.assign(outcome, { itemsInFeed: result.itemsInFeed, itemsNew: result.created, itemsUpdated: result.updated, itemsMerged: result.merged });
        touchedSources = result.touchedSources;
        // The sparkline counts arrivals: new and merged items, under the day they were fetched.
        if (result.created + result.merged > 0) state.itemsPerDay = addArrivals(prev.itemsPerDay, now, result.created + result.merged);
        ttlMinutes = result.feed.ttlMinutes;
        const title = result.feed.title?.value.trim();
        Object.assign(state, {
          seen: result.seen,
          lastBodyHash: bodyHash,
          lastRawKey: raw.key,
          lastRawRange: raw.range,
          itemsSeen: prev.itemsSeen + result.created + result.merged,
          ...(title ? { feedTitle: title.slice(0, 300) } : {}),
        });
      }
    }
    // Validators and the new URL are kept only now that the body is safely stored: were they kept
    // before a failed ingest, the next conditional GET would answer 304 and the entries would be lost.
    if (res.permanentRedirect) state.url = res.permanentRedirect;
    if (res.etag !== undefined) state.etag = res.etag;
    if (res.lastModified !== undefined) state.lastModified = res.lastModified;
    state.lastStatusCode = res.status;
    state.consecutiveFailures = 0;
    state.lastSuccessAt = now.toISOString();
    delete state.lastError;
    state.status = outcome.status === 'not-modified' ? 'not-modified' : 'ok';
    state.nextFetchAt = nextFetchAt({ now, intervalMinutes: interval, failed: false, consecutiveFailures: 0, ttlMinutes, cacheControl: res.cacheControl, expires: res.expires }).toISOString();
  } catch (err) {
    const gone = err instanceof GoneError;
    outcome.status = gone ? 'gone' : 'error';
    outcome.error = failureMessage(err);
    outcome.retryable = err instanceof TributaryError ? err.retryable : false;
    state.status = gone ? 'gone' : 'error';
    state.lastError = outcome.error;
    if (err instanceof HttpStatusError) state.lastStatusCode = err.status;
    state.consecutiveFailures = prev.consecutiveFailures + 1;
    const retryAfterMs = err instanceof HttpStatusError ? err.retryAfterMs : undefined;
    state.nextFetchAt = nextFetchAt({ now, intervalMinutes: interval, failed: true, consecutiveFailures: state.consecutiveFailures, retryAfterMs }).toISOString();
    networkFailure = err instanceof NetworkError || err instanceof TimeoutError;
    // A body that did not decode or parse wrote no item; any later failure may have written some.
    if (err instanceof DecodeError || err instanceof ParseError) touchedSources = [];
  } finally {
    releaseBody?.();
  }
  return { outcome, state, previous: prev, ...(previous ? { stored: previous } : {}), networkFailure, touchedSources };
}
