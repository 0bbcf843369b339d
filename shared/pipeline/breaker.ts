/**
 * The outage breaker. When most sources of a batch fail at the network level at once (DNS, connect,
 * reset, timeout) across several hosts, the fault is ours — the network is down — not theirs: their
 * failure counters and back-off are left as they were and they are retried after the normal interval.
 */
import type { SourceState } from '../model';
import { nextFetchAt } from '../schedule/next-fetch';
import type { SourceResult } from './process-source';

/** Batches smaller than this never trip the breaker. */
export const OUTAGE_MIN_SOURCES = 5;
/** Share of the batch that must have failed at the network level. */
export const OUTAGE_SHARE = 0.8;
/** Distinct hosts among those failures (one dead host is that host's problem). */
export const OUTAGE_MIN_HOSTS = 3;

function host(url: string | undefined): string {
  try {
    return new URL(url ?? '').host;
  } catch {
    return '';
  }
}

/** True when the batch looks like our own network outage rather than failing sources. */
export function isOutage(results: { networkFailure: boolean; url: string }[]): boolean {
  if (results.length < OUTAGE_MIN_SOURCES) return false;
  const failed = results.filter((r) => r.networkFailure);
  if (failed.length < results.length * OUTAGE_SHARE) return false;
  return new Set(failed.map((r) => host(r.url))).size >= OUTAGE_MIN_HOSTS;
}

/** The state to keep for a source whose failure is forgiven: counters as before, next try after one interval. */
export function forgiveFailure(result: SourceResult, now: Date, intervalMinutes: number): SourceState {
  const { previous, state } = result;
  return {
    ...state,
    consecutiveFailures: previous.consecutiveFailures,
    lastError: `${state.lastError ?? 'network failure'} (network outage suspected: not counted against the source)`,
    nextFetchAt: nextFetchAt({ now, intervalMinutes, failed: false, consecutiveFailures: 0 }).toISOString(),
  };
}
