/**
 * The replay of cycles since a state's last write (schedule/replay.ts), the scheduler's due-ness
 * with it, and the rule that decides whether a quiet fetch's state is written (state-write.ts):
 * skipping a write must never make the scheduler fetch a source earlier than the written state
 * would, nor later than one scheduling slack after it.
 */
import { describe, expect, it } from 'vitest';
import type { Source, SourceState } from '../../shared/model';
import { dueSources } from '../../shared/schedule/due';
import { HEARTBEAT_MS, replaySchedule, SCHEDULE_SLACK_MS } from '../../shared/schedule/replay';
import { changedBeyondTimes, mustWriteState } from '../../shared/schedule/state-write';
import type { CycleRecord } from '../../shared/store/ports';

const MIN = 60_000;
const T0 = Date.parse('2026-11-27T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
const source: Source = { id: 's', url: 'https://s.example/feed', title: 's', tags: [] };
const INTERVAL = 15;

/** A state written at minute 0, fetched then, next due at minute 15. */
const written: SourceState = {
  sourceId: 's', configuredUrl: source.url, status: 'ok', lastStatusCode: 200, etag: '"e"', consecutiveFailures: 0, itemsSeen: 3,
  lastFetchAt: at(0), lastSuccessAt: at(0), nextFetchAt: at(15), writtenAt: at(0.1), seen: 'fingerprints-1',
};

function cycle(minute: number, extra: Partial<CycleRecord> = {}): CycleRecord {
  return { startedAt: at(minute), finishedAt: at(minute + 0.5), sources: 1, due: 1, ok: 0, notModified: 1, failed: 0, itemsNew: 0, itemsUpdated: 0, itemsMerged: 0, bytes: 0, ...extra };
}

/** The state a quiet fetch at `minute` (dispatched by the cycle of `cycleMinute`) works out. */
function quiet(minute: number, over: Partial<SourceState> = {}): SourceState {
  return { ...written, status: 'not-modified', lastStatusCode: 304, lastFetchAt: at(minute), lastSuccessAt: at(minute), nextFetchAt: at(minute + INTERVAL), ...over };
}

describe('replaySchedule', () => {
  it('counts a cycle that dispatched the source after its last write: the next fetch moves to the interval plus the slack after it', () => {
    const view = replaySchedule(source, written, [cycle(15), cycle(20), cycle(25)], INTERVAL);
    expect(view).toEqual({ nextFetchAt: new Date(T0 + 30 * MIN + SCHEDULE_SLACK_MS).toISOString(), checkedAt: at(15) });
    // the cycles at 20 and 25 did not dispatch it (not due yet), so they are not checks
  });

  it('chains: each counted cycle makes the next one due an interval later', () => {
    const cycles = [15, 20, 25, 30, 35, 40, 45, 50].map((m) => cycle(m));
    expect(replaySchedule(source, written, cycles, INTERVAL).checkedAt).toBe(at(35));
  });

  it('ignores cycles before the last write, cycles it did not open, unfinished checks and cycles after now', () => {
    expect(replaySchedule(source, written, [cycle(-5, { forced: true }), cycle(0)], INTERVAL)).toEqual({ nextFetchAt: at(15) });
    const { due: _due, ...opened } = cycle(15);
    expect(replaySchedule(source, written, [opened as CycleRecord], INTERVAL)).toEqual({ nextFetchAt: at(15) });
    const running = replaySchedule(source, written, [cycle(15, { finishedAt: at(15) })], INTERVAL);
    expect(running.checkedAt).toBeUndefined();
    expect(running.nextFetchAt).toBe(new Date(T0 + 30 * MIN + SCHEDULE_SLACK_MS).toISOString());
    expect(replaySchedule(source, written, [cycle(15)], INTERVAL, new Date(T0 + 10 * MIN))).toEqual({ nextFetchAt: at(15) });
  });

  it('counts a forced cycle whatever the state, and never replays a source without a stored fetch', () => {
    expect(replaySchedule(source, written, [cycle(1, { forced: true })], INTERVAL).checkedAt).toBe(at(1));
    const gone = { ...written, status: 'gone' as const };
    expect(replaySchedule(source, gone, [cycle(20)], INTERVAL).checkedAt).toBeUndefined();
    expect(replaySchedule(source, undefined, [cycle(1, { forced: true })], INTERVAL)).toEqual({});
    expect(replaySchedule(source, { sourceId: 's', consecutiveFailures: 0, itemsSeen: 0, feedVersion: 2 }, [cycle(1, { forced: true })], INTERVAL)).toEqual({});
  });

  it('makes the scheduler leave a source alone until an interval after the cycle that fetched it', () => {
    const states = new Map([['s', written]]);
    const replay = { cycles: [cycle(15)], intervalMinutes: INTERVAL };
    expect(dueSources([source], states, new Date(T0 + 20 * MIN))).toEqual([source]);
    expect(dueSources([source], states, new Date(T0 + 20 * MIN), replay)).toEqual([]);
    expect(dueSources([source], states, new Date(T0 + 32 * MIN), replay)).toEqual([source]);
  });
});

describe('mustWriteState', () => {
  const ctx = (minute: number, cycleMinute?: number) => ({ now: new Date(T0 + minute * MIN), intervalMinutes: INTERVAL, ...(cycleMinute !== undefined ? { cycle: at(cycleMinute) } : {}) });

  it('skips a 304 of a due source whose cycle the replay counts, and the replay then agrees with the skipped state', () => {
    const next = quiet(15.2);
    expect(mustWriteState(written, next, ctx(15.2, 15))).toBe(false);
    const replayed = Date.parse(replaySchedule(source, written, [cycle(15)], INTERVAL).nextFetchAt ?? '');
    const own = Date.parse(next.nextFetchAt ?? '');
    expect(replayed).toBeGreaterThanOrEqual(own);
    expect(replayed - own).toBeLessThanOrEqual(SCHEDULE_SLACK_MS);
  });

  it('writes when the fetch came so late after its cycle that the replay would fetch too early', () => {
    expect(mustWriteState(written, quiet(15 + 3), ctx(18, 15))).toBe(true);
  });

  it('writes a longer wait the feed asked for (adaptive interval)', () => {
    expect(mustWriteState(written, quiet(15.2, { nextFetchAt: at(15.2 + 60) }), ctx(15.2, 15))).toBe(true);
  });

  it('without a counted cycle, skips only when the stored time is as late or at most the slack earlier', () => {
    expect(mustWriteState(written, quiet(0.5), ctx(0.5))).toBe(false);
    expect(mustWriteState(written, quiet(5), ctx(5))).toBe(true);
    expect(mustWriteState(written, quiet(0.05), ctx(0.05, 0.05))).toBe(false); // cycle before the write: not counted
    expect(mustWriteState(written, quiet(0.5, { nextFetchAt: at(14) }), ctx(0.5))).toBe(true); // earlier than stored
  });

  it('writes every change that is not time alone, and after a heartbeat', () => {
    const c = ctx(15.2, 15);
    expect(mustWriteState(written, quiet(15.2, { etag: '"f"' }), c)).toBe(true);
    expect(mustWriteState(written, quiet(15.2, { status: 'error', consecutiveFailures: 1, lastError: 'fetch: 500' }), c)).toBe(true);
    expect(mustWriteState(written, quiet(15.2, { url: 'https://s.example/moved' }), c)).toBe(true);
    expect(mustWriteState(written, quiet(15.2, { seen: 'fingerprints-2' }), c)).toBe(true);
    expect(mustWriteState(undefined, quiet(15.2), c)).toBe(true);
    const old = { ...written, lastFetchAt: new Date(T0 + 15 * MIN - HEARTBEAT_MS - MIN).toISOString() };
    expect(mustWriteState(old, quiet(15.2), c)).toBe(true);
  });

  it('treats ok and not-modified, 200 and 304, and the repository\'s fields as no change', () => {
    expect(changedBeyondTimes(written, quiet(20, { feedVersion: 9, writtenAt: at(20) }))).toBe(false);
    expect(changedBeyondTimes({ ...written, lastError: undefined }, quiet(20))).toBe(false);
    expect(changedBeyondTimes(written, quiet(20, { lastStatusCode: 203 }))).toBe(true);
  });
});
