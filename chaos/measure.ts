/**
 * Counting what a fault did: expected entries not stored (lost), stories stored more than once
 * (duplicated) — across sources and per source, matched by guid or link — and the standard checks
 * that a failing source is isolated and its failure visible in its state.
 */
import type { Item, SourceState } from '../shared/model';
import type { ItemRepository } from '../shared/store/ports';
import type { ExpectedEntry } from './feeds';
import type { FaultGroup, FaultRow } from './scenario';
import type { World } from './world';

/** Far more than any scenario stores, so one page holds everything. */
const QUERY_LIMIT = 1_000;

/** The counts of one comparison of stored items against expected entries. */
export interface ItemCounts {
  expected: number;
  stored: number;
  lost: number;
  duplicated: number;
}

function matches(item: Item, entry: ExpectedEntry): boolean {
  return item.guid === entry.guid || item.url === entry.url;
}

/** Lost and duplicated entries in one list of items. */
function compare(items: Item[], expected: ExpectedEntry[]): ItemCounts {
  let stored = 0;
  let lost = 0;
  let duplicated = 0;
  for (const entry of expected) {
    const n = items.filter((item) => matches(item, entry)).length;
    if (n === 0) lost++;
    else stored++;
    duplicated += Math.max(0, n - 1);
  }
  return { expected: expected.length, stored, lost, duplicated };
}

/** Compares the newest items across sources and of each source with the expected entries (worst of both). */
export async function countItems(items: ItemRepository, expected: ExpectedEntry[]): Promise<ItemCounts> {
  const all = (await items.newest({ limit: QUERY_LIMIT })).items;
  const overall = compare(all, expected);
  const perSource: ItemCounts = { expected: expected.length, stored: 0, lost: 0, duplicated: 0 };
  for (const sourceId of new Set(expected.map((e) => e.sourceId))) {
    const own = (await items.newest({ limit: QUERY_LIMIT, sourceId })).items;
    const c = compare(own, expected.filter((e) => e.sourceId === sourceId));
    perSource.stored += c.stored;
    perSource.lost += c.lost;
    perSource.duplicated += c.duplicated;
  }
  return {
    expected: expected.length,
    stored: Math.min(overall.stored, perSource.stored),
    lost: Math.max(overall.lost, perSource.lost),
    duplicated: Math.max(overall.duplicated, perSource.duplicated),
  };
}

/** What a failing source's state must show. */
export interface FailureExpectation {
  status?: 'error' | 'gone';
  /** The lastError must match this. */
  error?: RegExp;
  /** nextFetchAt must be at least this far after the check. */
  minDelayMs?: number;
}

/** Checks that a failed source's state says so: status, lastError, consecutiveFailures, a later nextFetchAt. */
export function checkFailureVisible(world: World, sourceId: string, state: SourceState | undefined, want: FailureExpectation = {}): void {
  const label = `${sourceId} state`;
  if (!state) {
    world.problems.push(`${label}: no state stored after the failure`);
    return;
  }
  const status = want.status ?? 'error';
  world.check(state.status === status, `${label}: status ${state.status}, expected ${status}`);
  world.check(Boolean(state.lastError), `${label}: no lastError`);
  if (want.error) world.check(want.error.test(state.lastError ?? ''), `${label}: lastError "${state.lastError}" does not match ${want.error}`);
  world.check(state.consecutiveFailures >= 1, `${label}: consecutiveFailures ${state.consecutiveFailures}`);
  const next = Date.parse(state.nextFetchAt ?? '');
  const minDelay = want.minDelayMs ?? 60_000;
  world.check(Number.isFinite(next) && next >= Date.now() + minDelay - 5_000, `${label}: nextFetchAt ${state.nextFetchAt} not ≥ ${Math.round(minDelay / 60_000)} min ahead`);
}

/** Checks that every good source finished normally (the fault stayed isolated). */
export async function checkGoodSourcesIsolated(world: World): Promise<void> {
  const good = world.sources.filter((s) => s.id.startsWith('good-')).map((s) => s.id);
  const states = await world.stack.runtime.states.getStates(good);
  for (const id of good) {
    const status = states.get(id)?.status;
    world.check(status === 'ok' || status === 'not-modified', `${id} (a good source) ended ${status ?? 'without state'}: not isolated from the fault`);
  }
}

/** Builds the row of a world once its scenario is done. */
export async function rowOf(world: World, fault: string, group: FaultGroup, started: number, ssrfReached = 0): Promise<FaultRow> {
  const counts = await countItems(world.stack.runtime.items, world.expected);
  return { fault, group, runs: world.runs, ...counts, crashed: world.crashed, ssrfReached, problems: world.problems, wallMs: Date.now() - started };
}
