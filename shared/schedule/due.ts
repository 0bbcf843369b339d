/** Picking the sources a cycle should fetch. */
import type { Source, SourceState } from '../model';
import { isDue } from './next-fetch';

/** The sources due at `now`: never fetched, or past their next fetch time, and not gone (a gone source comes back when its URL is edited). */
export function dueSources(sources: Source[], states: Map<string, SourceState>, now: Date): Source[] {
  return sources.filter((s) => {
    const state = states.get(s.id);
    if (state?.status === 'gone' && state.configuredUrl === s.url) return false;
    return isDue(state?.nextFetchAt, now);
  });
}
