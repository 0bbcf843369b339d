/** The fetcher's work: a batch of sources processed concurrently, with a per-host cap and the outage breaker. */
import { createFetchLimiter } from '../fetch';
import type { SourceOutcome } from '../model';
import type { SourceMessage } from '../store/ports';
import { forgiveFailure, isOutage } from './breaker';
import { commitState, runSource, type PipelineDeps } from './process-source';

/** Processes every source of a batch (reading their states in one call) and returns their outcomes in order. */
export async function fetchBatch(messages: SourceMessage[], deps: PipelineDeps): Promise<SourceOutcome[]> {
  const states = await deps.states.getStates(messages.map((m) => m.source.id));
  const limit = createFetchLimiter(deps.config.fetch);
  const urls = messages.map((m) => states.get(m.source.id)?.url ?? m.source.url);
  const batchDeps: PipelineDeps = { ...deps, pageLimiter: deps.pageLimiter ?? createFetchLimiter(deps.config.fetch) };
  const results = await Promise.all(messages.map((m, i) => limit(urls[i] as string, () => runSource(m.source, states.get(m.source.id), batchDeps))));
  if (isOutage(results.map((r, i) => ({ networkFailure: r.networkFailure, url: urls[i] as string })))) {
    const now = deps.now?.() ?? new Date();
    for (const r of results) if (r.networkFailure) r.state = forgiveFailure(r, now, deps.config.fetchIntervalMinutes);
  }
  return Promise.all(results.map((r, i) => commitState(r, deps, { cycle: messages[i]?.cycle })));
}
