/** What a fetcher invocation (one job, one cycle) adds to its cycle's counts. */
import type { SourceOutcome } from '../model';
import type { CycleCounts } from '../store/ports';

/** Sums the outcomes of one job into the counts its single cycle-count update adds. */
export function countOutcomes(outcomes: SourceOutcome[]): CycleCounts {
  const c: CycleCounts = { ok: 0, notModified: 0, failed: 0, itemsNew: 0, itemsUpdated: 0, itemsMerged: 0, bytes: 0 };
  for (const o of outcomes) {
    if (o.status === 'ok' || o.status === 'unchanged') c.ok++;
    else if (o.status === 'not-modified') c.notModified++;
    else if (o.status === 'error' || o.status === 'gone') c.failed++;
    c.itemsNew += o.itemsNew;
    c.itemsUpdated += o.itemsUpdated;
    c.itemsMerged += o.itemsMerged;
    c.bytes += o.bytes;
  }
  return c;
}
