/** The fetcher's work: a batch of sources processed concurrently, with a per-host cap. */
import { createFetchLimiter } from '../fetch';
import type { SourceOutcome } from '../model';
import type { SourceMessage } from '../store/ports';
import { processSource, type PipelineDeps } from './process-source';

/** Processes every source of a batch (reading their states in one call) and returns their outcomes in order. */
export async function fetchBatch(messages: SourceMessage[], deps: PipelineDeps): Promise<SourceOutcome[]> {
  const states = await deps.states.getStates(messages.map((m) => m.source.id));
  const limit = createFetchLimiter(deps.config.fetch);
  return Promise.all(
    messages.map((m) => {
      const state = states.get(m.source.id);
      return limit(state?.url ?? m.source.url, () => processSource(m.source, state, deps));
    }),
  );
}
