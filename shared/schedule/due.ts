/** Picking the sources a cycle should fetch. */
import type { Source, SourceState } from '../model';
import type { CycleRecord } from '../store/ports';
import { isDue } from './next-fetch';
import { isParked, replaySchedule } from './replay';

/** The recent cycles and the fetch interval, so that fetches whose state was not written still count (replay.ts). */
export interface ReplayInput {
  cycles: readonly CycleRecord[];
  intervalMinutes: number;
}

/**
 * The sources due at `now`: never fetched, or past their next fetch time, and not gone (a gone
 * source comes back when its URL is edited). With `replay`, the next fetch time is the one the
 * cycles since the state's last write give (a cycle that queued the source moves it on).
 */
export function dueSources(sources: Source[], states: Map<string, SourceState>, now: Date, replay?: ReplayInput): Source[] {
  return sources.filter((s) => {
    const state = states.get(s.id);
    if (isParked(s, state)) return false;
    const next = replay ? replaySchedule(s, state, replay.cycles, replay.intervalMinutes, now).nextFetchAt : state?.nextFetchAt;
    return isDue(next, now);
  });
}
