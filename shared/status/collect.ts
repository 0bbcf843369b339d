/**
 * Gathers what the status page shows, with bounded reads only and no item read: the sources'
 * states (one BatchGetItem per 100; their `itemsPerDay` feeds the sparklines) and the cycles of
 * the replay window (one Query), which also give the last check of a source whose quiet fetches
 * were not written (schedule/replay.ts).
 */
import type { Source, SourceState } from '../model';
import { REPLAY_WINDOW_MS, replaySchedule } from '../schedule/replay';
import type { CycleRecord, StateRepository } from '../store/ports';
import { dailyCounts } from './days';

/** The sparkline's length and first day (days.ts), for the page and its callers. */
export { STATUS_DAYS, windowStart } from './days';

/** Cycles the status page lists. */
export const STATUS_CYCLES = 10;
/** The fetch interval assumed when the caller gives none (the configuration's default). */
const DEFAULT_INTERVAL_MINUTES = 15;

/** When a source was last checked and is next due, counting the cycles since its state was written. */
export interface SourceCheck {
  /** The later of the state's lastFetchAt and the last finished cycle that fetched the source without a write. */
  lastCheckedAt?: string;
  nextFetchAt?: string;
  /** True when a cycle checked the source after its state was written (it answered 304 or the same body). */
  sinceWrite: boolean;
}

/** Everything the status page renders. */
export interface StatusInput {
  sources: Source[];
  states: ReadonlyMap<string, SourceState>;
  cycles: CycleRecord[];
  /** Per source id: item arrivals per UTC day, oldest first, STATUS_DAYS long (today last). */
  itemsPerDay: ReadonlyMap<string, number[]>;
  /** Per source id: last check and next fetch with the replayed cycles; without it the state's own times are shown. */
  checks?: ReadonlyMap<string, SourceCheck>;
  /** The moment the page describes (relative times and the day window are computed from it). */
  now?: Date;
  /** Page heading, e.g. the combined feed's title. */
  title?: string;
}

/** What collecting needs: the state repository, and the configuration for the fetch interval when there is one. */
export interface StatusDeps {
  states: StateRepository;
  config?: { fetchIntervalMinutes: number };
}

/** Options of a collection. */
export interface CollectOptions {
  now?: Date;
  title?: string;
  /** States already read (e.g. by the publisher), so they are not read twice. */
  states?: ReadonlyMap<string, SourceState>;
}

/** The health of a source in one word: its state's status, 'failing' after failures, 'new' before any fetch. */
export function healthOf(state: SourceState | undefined): 'ok' | 'not-modified' | 'error' | 'gone' | 'new' {
  if (!state || state.lastFetchAt === undefined) return 'new';
  if (state.status === 'gone') return 'gone';
  if (state.status === 'error' || state.consecutiveFailures > 0) return 'error';
  return state.status ?? 'ok';
}

/** A source's last check and next fetch, from its state and the cycles of the replay window (oldest first). */
export function checkOf(source: Source, state: SourceState | undefined, cycles: readonly CycleRecord[], intervalMinutes: number, now: Date): SourceCheck {
  const view = replaySchedule(source, state, cycles, intervalMinutes, now);
  const health = healthOf(state);
  const healthy = health === 'ok' || health === 'not-modified';
  const last = state?.lastFetchAt;
  const later = healthy && view.checkedAt !== undefined && (last === undefined || view.checkedAt > last);
  return {
    ...(later ? { lastCheckedAt: view.checkedAt } : last !== undefined ? { lastCheckedAt: last } : {}),
    ...(view.nextFetchAt !== undefined ? { nextFetchAt: view.nextFetchAt } : {}),
    sinceWrite: later,
  };
}

/** The cycles since `since` (oldest first) and the STATUS_CYCLES newest (newest first), in one Query when the window holds enough. */
export async function readCycles(states: StateRepository, since: string): Promise<{ window: CycleRecord[]; recent: CycleRecord[] }> {
  const window = await states.cyclesSince(since);
  const recent = window.length >= STATUS_CYCLES ? window.slice(-STATUS_CYCLES).reverse() : await states.recentCycles(STATUS_CYCLES);
  return { window, recent };
}

/** Collects the status page's input for these sources. */
export async function collectStatus(deps: StatusDeps, sources: Source[], options: CollectOptions = {}): Promise<StatusInput> {
  const now = options.now ?? new Date();
  const interval = deps.config?.fetchIntervalMinutes ?? DEFAULT_INTERVAL_MINUTES;
  const [states, cycles] = await Promise.all([
    options.states ?? deps.states.getStates(sources.map((s) => s.id)),
    readCycles(deps.states, new Date(now.getTime() - REPLAY_WINDOW_MS).toISOString()),
  ]);
  const itemsPerDay = new Map(sources.map((s) => [s.id, dailyCounts(states.get(s.id)?.itemsPerDay, now)]));
  const checks = new Map(sources.map((s) => [s.id, checkOf(s, states.get(s.id), cycles.window, interval, now)]));
  return { sources, states, cycles: cycles.recent, itemsPerDay, checks, now, ...(options.title !== undefined ? { title: options.title } : {}) };
}
