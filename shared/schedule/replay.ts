/**
 * What the scheduler knows beyond a source's stored state. A fetch that changed nothing but times
 * is not written (state-write.ts); the cycle that queued it stands in for the write. Replaying the
 * cycles recorded since the state was last written, with the scheduler's own rule, says which of
 * them included the source — so when it was last checked and when it is next due — with no write
 * per fetch. The replay is deterministic: the scheduler, the fetcher's skip rule, the status page
 * and `tributary status` all reach the same answer from the same state and cycle rows.
 */
import type { Source, SourceState } from '../model';
import type { CycleRecord } from '../store/ports';

/** A fetched source's state is written at least this often, so "last checked" never rests on the replay alone for long. */
export const HEARTBEAT_MS = 6 * 60 * 60_000;
/** Room between a skipped fetch's cycle and its next fetch: the replay's next time is the interval plus this after the cycle started. */
export const SCHEDULE_SLACK_MS = 2 * 60_000;
/** How far back cycles are replayed: a heartbeat, plus room for a message redelivered late. */
export const REPLAY_WINDOW_MS = HEARTBEAT_MS + 2 * 60 * 60_000;

/** A source's schedule once the cycles since its last state write are counted. */
export interface ScheduleView {
  /** When it is next due (the stored nextFetchAt, or later after a counted cycle). */
  nextFetchAt?: string;
  /** Start of the latest counted cycle that finished at least one batch: when the source was last checked without a write. */
  checkedAt?: string;
}

/** True when the scheduler leaves the source out unless forced: gone, at the URL it went away from. */
export function isParked(source: Source, state: SourceState | undefined): boolean {
  return state?.status === 'gone' && state.configuredUrl === source.url;
}

/** The time after which cycles may have fetched the source without writing its state. */
export function replayFrom(state: SourceState | undefined): string | undefined {
  return state?.writtenAt ?? state?.lastFetchAt;
}

/** The next due time the replay gives a source that a cycle starting at `cycleStart` (ms) fetched. */
export function nextAfterCycle(cycleStart: number, intervalMinutes: number): number {
  return cycleStart + intervalMinutes * 60_000 + SCHEDULE_SLACK_MS;
}

/**
 * Replays `cycles` (oldest first, as cyclesSince returns them) for one source. Counted are the cycles the scheduler opened itself
 * (`due` set) after the state's last write and before `now`, that queued the source: forced, or
 * due by the state and the cycles counted before. A source never stored is not replayed (it stays
 * due until its first fetch is written, as before).
 */
export function replaySchedule(source: Source, state: SourceState | undefined, cycles: readonly CycleRecord[], intervalMinutes: number, now?: Date): ScheduleView {
  const from = replayFrom(state);
  const view: ScheduleView = state?.nextFetchAt !== undefined ? { nextFetchAt: state.nextFetchAt } : {};
  if (!state || from === undefined) return view;
  const parked = isParked(source, state);
  let next = state.nextFetchAt === undefined ? -Infinity : Date.parse(state.nextFetchAt);
  if (Number.isNaN(next)) return view;
  const limit = now?.getTime() ?? Infinity;
  for (const cycle of cycles) {
    const start = Date.parse(cycle.startedAt);
    if (cycle.startedAt <= from || cycle.due === undefined || Number.isNaN(start) || start > limit) continue;
    if (!cycle.forced && (parked || next > start)) continue;
    next = Math.max(next, nextAfterCycle(start, intervalMinutes));
    view.nextFetchAt = new Date(next).toISOString();
    if (cycle.finishedAt > cycle.startedAt) view.checkedAt = cycle.startedAt;
  }
  return view;
}
