/**
 * Whether a fetch's new state must be stored. A 304 or an unchanged body moves only times, and
 * writing that every cycle was most of a quiet cycle's cost. Such a state is not written when the
 * scheduler reaches the same decision without it: the fetch's cycle is replayed (replay.ts) and
 * gives a next fetch time no earlier than the new state's, and at most SCHEDULE_SLACK_MS later.
 * Everything else — errors, status and validator changes, redirects, counters, a new body — is
 * written, and so is any state whose lastFetchAt is older than the heartbeat.
 */
import { isDeepStrictEqual } from 'node:util';
import type { SourceState } from '../model';
import { HEARTBEAT_MS, nextAfterCycle, replayFrom, SCHEDULE_SLACK_MS } from './replay';

/** Fields that move with time alone, or that only the repository sets. */
const TIME_FIELDS = new Set<keyof SourceState>(['lastFetchAt', 'lastSuccessAt', 'nextFetchAt', 'writtenAt', 'feedVersion']);

/** What the decision needs besides the two states. */
export interface StateWriteContext {
  now: Date;
  intervalMinutes: number;
  /** The cycle (its startedAt) that queued this fetch, if any. */
  cycle?: string;
}

/**
 * A healthy answer that changed nothing: 'ok' (an unchanged body) and 'not-modified' (304) are
 * the same health, and their status codes (200, 304) the same news, so neither alone forces a write.
 */
function healthyCode(state: SourceState): number | undefined {
  return state.lastStatusCode === 304 ? 200 : state.lastStatusCode;
}

/** The state without time fields and undefined values, with the two healthy statuses folded into one. */
function comparable(state: SourceState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    if (value !== undefined && !TIME_FIELDS.has(key as keyof SourceState)) out[key] = value;
  }
  if (state.status === 'not-modified') out.status = 'ok';
  if (state.lastStatusCode !== undefined) out.lastStatusCode = healthyCode(state);
  return out;
}

/** True when `next` differs from `stored` in more than the time fields (and the ok / not-modified distinction). */
export function changedBeyondTimes(stored: SourceState, next: SourceState): boolean {
  return !isDeepStrictEqual(comparable(stored), comparable(next));
}

/** True when the new state must be written; false when the scheduler and the status page do as well without it. */
export function mustWriteState(stored: SourceState | undefined, next: SourceState, ctx: StateWriteContext): boolean {
  if (!stored || stored.lastFetchAt === undefined || changedBeyondTimes(stored, next)) return true;
  if (ctx.now.getTime() - Date.parse(stored.lastFetchAt) > HEARTBEAT_MS) return true;
  const storedNext = Date.parse(stored.nextFetchAt ?? '');
  const newNext = Date.parse(next.nextFetchAt ?? '');
  if (Number.isNaN(storedNext) || Number.isNaN(newNext) || newNext < storedNext) return true;
  const from = replayFrom(stored);
  // The replay counts the cycle only when it started after the state's last write (the scheduler saw this state).
  if (ctx.cycle !== undefined && from !== undefined && ctx.cycle > from && !Number.isNaN(Date.parse(ctx.cycle))) {
    return newNext > Math.max(storedNext, nextAfterCycle(Date.parse(ctx.cycle), ctx.intervalMinutes));
  }
  // Not counted: the stored time stands, so it must fall in the same scheduler run as the new one.
  return newNext - storedNext > SCHEDULE_SLACK_MS;
}
