/** What a fetcher batch adds to the cycles its messages belong to. */
import type { SourceOutcome } from '../model';
import type { CycleCounts, SourceMessage } from '../store/ports';

/** Sums outcomes per cycle (messages without a cycle are not counted), index for index with messages. */
export function countsByCycle(messages: SourceMessage[], outcomes: SourceOutcome[]): Map<string, CycleCounts> {
  const byCycle = new Map<string, CycleCounts>();
  messages.forEach((m, i) => {
    const o = outcomes[i];
    if (!m.cycle || !o) return;
    const c = byCycle.get(m.cycle) ?? { ok: 0, notModified: 0, failed: 0, itemsNew: 0, itemsUpdated: 0, itemsMerged: 0, bytes: 0 };
    if (o.status === 'ok' || o.status === 'unchanged') c.ok++;
    else if (o.status === 'not-modified') c.notModified++;
    else if (o.status === 'error' || o.status === 'gone') c.failed++;
    c.itemsNew += o.itemsNew;
    c.itemsUpdated += o.itemsUpdated;
    c.itemsMerged += o.itemsMerged;
    c.bytes += o.bytes;
    byCycle.set(m.cycle, c);
  });
  return byCycle;
}
