/** The fetcher's work: a job's sources processed concurrently, with a per-host cap and the outage breaker. */
import { createFetchLimiter, createSlots } from '../fetch';
import type { SourceOutcome, SourceState } from '../model';
import type { JobSource } from '../store/ports';
import { forgiveFailure, isOutage } from './breaker';
import { commitState, runSource, type PipelineDeps } from './process-source';
import { batchedRawStore } from './raw-store';

/** Where a batch comes from: the cycle that dispatched it, if any. */
export interface BatchContext {
  cycle?: string;
}

/** The states of the entries: the carried ones (`null` = none stored), the others read in one call. */
export async function statesFor(entries: JobSource[], deps: Pick<PipelineDeps, 'states'>): Promise<Map<string, SourceState | undefined>> {
  const states = new Map<string, SourceState | undefined>();
  const missing: string[] = [];
  for (const { source, state } of entries) {
    if (state === undefined) missing.push(source.id);
    else states.set(source.id, state ?? undefined);
  }
  if (missing.length > 0) {
    const read = await deps.states.getStates(missing);
    for (const id of missing) states.set(id, read.get(id));
  }
  return states;
}

/**
 * Processes every source of a batch (using the states it carries, reading only the others, in one
 * call), and returns their outcomes in order: `concurrency` requests in flight (on the internet
 * most of a fetch is waiting, and a 304 has no body), of which `bodyConcurrency` bodies are read
 * and processed at once, which bounds the memory. Throws only when the missing states cannot be
 * read; every per-source failure is an outcome.
 */
export async function fetchBatch(entries: JobSource[], deps: PipelineDeps, context: BatchContext = {}): Promise<SourceOutcome[]> {
  const states = await statesFor(entries, deps);
  const limit = createFetchLimiter(deps.config.fetch);
  const urls = entries.map((e) => states.get(e.source.id)?.url ?? e.source.url);
  // The batch's changed bodies that arrive together share one raw object (raw-store.ts); once
  // every fetch is over, nothing waits for others to join.
  const { bodyConcurrency, perHostConcurrency } = deps.config.fetch;
  const raw = deps.raw ?? batchedRawStore(deps.blobs, { maxBodies: bodyConcurrency });
  let fetching = entries.length;
  const onFetched = () => {
    if (--fetching === 0) raw.allArrived?.();
  };
  // Article pages are fetched by ingests, which hold body slots: at most that many at once.
  const pageLimiter = deps.pageLimiter ?? createFetchLimiter({ concurrency: bodyConcurrency, perHostConcurrency });
  const batchDeps: PipelineDeps = { ...deps, raw, onFetched, pageLimiter, bodySlots: deps.bodySlots ?? createSlots(bodyConcurrency) };
  const results = await Promise.all(entries.map((e, i) => limit(urls[i] as string, () => runSource(e.source, states.get(e.source.id), batchDeps))));
  if (isOutage(results.map((r, i) => ({ networkFailure: r.networkFailure, url: urls[i] as string })))) {
    const now = deps.now?.() ?? new Date();
    for (const r of results) if (r.networkFailure) r.state = forgiveFailure(r, now, deps.config.fetchIntervalMinutes);
  }
  return Promise.all(results.map((r) => commitState(r, deps, { cycle: context.cycle })));
}
