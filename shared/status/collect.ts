/**
 * Gathers what the status page shows, with bounded reads only: the sources' states (one
 * BatchGetItem), the recent cycles (one Query) and, per source, the items of the last 14 days from
 * the per-source index (`newest({sourceId, since})`, at most a few pages).
 */
import type { Item, Source, SourceState } from '../model';
import type { CycleRecord, ItemPage, ItemRepository, StateRepository } from '../store/ports';

/** Days the items-per-day sparkline covers, today included. */
export const STATUS_DAYS = 14;
/** Cycles the status page lists. */
export const STATUS_CYCLES = 10;
/** Items read per page and pages read at most per source for the sparkline (a bound, not a scan). */
const PAGE = 500;
const MAX_PAGES = 4;

/** Everything the status page renders. */
export interface StatusInput {
  sources: Source[];
  states: ReadonlyMap<string, SourceState>;
  cycles: CycleRecord[];
  /** Per source id: item counts per UTC day, oldest first, STATUS_DAYS long (today last). */
  itemsPerDay: ReadonlyMap<string, number[]>;
  /** The moment the page describes (relative times and the day window are computed from it). */
  now?: Date;
  /** Page heading, e.g. the combined feed's title. */
  title?: string;
}

/** What collecting needs. */
export interface StatusDeps {
  items: ItemRepository;
  states: StateRepository;
}

/** Start of the UTC day of `now` minus `STATUS_DAYS - 1` days: the first moment the sparkline counts. */
export function windowStart(now: Date): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(day - (STATUS_DAYS - 1) * 86_400_000);
}

/** Counts items per UTC day of their sortDate over the window ending today; items outside it are ignored. */
export function countPerDay(items: readonly Item[], now: Date): number[] {
  const start = windowStart(now).getTime();
  const counts = new Array<number>(STATUS_DAYS).fill(0);
  for (const item of items) {
    const index = Math.floor((Date.parse(item.sortDate) - start) / 86_400_000);
    if (index >= 0 && index < STATUS_DAYS) counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

/** True when a page read without `since` already holds every item of the window (so no second read is needed). */
function coversWindow(page: ItemPage, since: string): boolean {
  if (page.cursor === undefined) return true;
  const oldest = page.items.at(-1);
  return oldest !== undefined && oldest.sortDate < since;
}

/** The items of one source since `since`, newest first, at most PAGE × MAX_PAGES of them. */
async function recentItems(items: ItemRepository, sourceId: string, since: string): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await items.newest({ sourceId, since, limit: PAGE, ...(cursor ? { cursor } : {}) });
    out.push(...result.items);
    cursor = result.cursor;
    if (cursor === undefined) break;
  }
  return out;
}

/**
 * Items per day for each source. `known` holds newest-first pages already read for another purpose
 * (the publisher's per-source feeds); a page that reaches back past the window is used as is.
 */
export async function itemsPerDayOf(
  items: ItemRepository,
  sources: readonly Source[],
  now: Date,
  known: ReadonlyMap<string, ItemPage> = new Map(),
): Promise<Map<string, number[]>> {
  const since = windowStart(now).toISOString();
  const entries = await Promise.all(
    sources.map(async (source): Promise<[string, number[]]> => {
      const page = known.get(source.id);
      const list = page && coversWindow(page, since) ? page.items : await recentItems(items, source.id, since);
      return [source.id, countPerDay(list, now)];
    }),
  );
  return new Map(entries);
}

/** Collects the status page's input for these sources. */
export async function collectStatus(
  deps: StatusDeps,
  sources: Source[],
  options: { now?: Date; title?: string; known?: ReadonlyMap<string, ItemPage> } = {},
): Promise<StatusInput> {
  const now = options.now ?? new Date();
  const [states, cycles, itemsPerDay] = await Promise.all([
    deps.states.getStates(sources.map((s) => s.id)),
    deps.states.recentCycles(STATUS_CYCLES),
    itemsPerDayOf(deps.items, sources, now, options.known),
  ]);
  return { sources, states, cycles, itemsPerDay, now, ...(options.title !== undefined ? { title: options.title } : {}) };
}

/** The health of a source in one word: its state's status, 'failing' after failures, 'new' before any fetch. */
export function healthOf(state: SourceState | undefined): 'ok' | 'not-modified' | 'error' | 'gone' | 'new' {
  if (!state || state.lastFetchAt === undefined) return 'new';
  if (state.status === 'gone') return 'gone';
  if (state.status === 'error' || state.consecutiveFailures > 0) return 'error';
  return state.status ?? 'ok';
}
