/**
 * `tributary reprocess`: re-parses each source's last stored feed body (S3 `state.lastRawKey`,
 * gzip) through the current decode → parse → normalise → dedupe → store code, without fetching, and
 * reports what changed. Every entry is re-evaluated (the seen-fingerprints shortcut is off).
 */
import { gunzipSync } from 'node:zlib';
import { loadLocalSettings } from '../../shared/config';
import { describeError, TributaryError } from '../../shared/errors';
import type { Source, SourceState } from '../../shared/model';
import { ingestFeed } from '../../shared/pipeline/ingest';
import type { Runtime } from '../../shared/runtime';
import { parseCommand, UsageError } from '../args';
import { progressBar } from '../local/progress';
import { selectSources } from '../local/source-list';
import { startLocalStack } from '../local/stack';

/** Help text of `reprocess`. */
export const REPROCESS_HELP = `Usage: tributary reprocess [--source ID] [--json] [--sources FILE] [--data DIR]

Re-parses the last stored feed body of every source (or one) with the current code, without
fetching, and updates the stored items: after a parser or normaliser fix, existing items get the
fixed text. Prints per source the entries read and the items created, updated and merged; a
progress bar goes to stderr when it is a terminal. Exits 1 when a source failed.
`;

/** A failure of the reprocess command as a whole (exit code 1). */
export class ReprocessError extends TributaryError {
  constructor(message: string) {
    super('cli', message);
  }
}

/** What reprocessing one source did. */
export interface ReprocessOutcome {
  sourceId: string;
  status: 'done' | 'skipped' | 'failed';
  entries: number;
  created: number;
  updated: number;
  merged: number;
  /** Why it was skipped or failed. */
  reason?: string;
}

/** Re-ingests one source's stored raw body; never throws (a failure is the outcome). */
export async function reprocessSource(rt: Runtime, source: Source, state: SourceState | undefined): Promise<ReprocessOutcome> {
  const outcome: ReprocessOutcome = { sourceId: source.id, status: 'skipped', entries: 0, created: 0, updated: 0, merged: 0 };
  if (!state?.lastRawKey) return { ...outcome, reason: 'no stored feed body (not fetched yet)' };
  try {
    const stored = await rt.blobs.get(state.lastRawKey, state.lastRawRange);
    if (!stored) return { ...outcome, reason: `stored body ${state.lastRawKey} is missing` };
    let body: Uint8Array;
    try {
      body = gunzipSync(stored);
    } catch (err) {
      throw new ReprocessError(`stored body ${state.lastRawKey} is not gzip: ${(err as Error).message}`);
    }
    const fetchedAt = new Date(state.lastSuccessAt ?? state.lastFetchAt ?? Date.now());
    const result = await ingestFeed(
      { sourceId: source.id, body, raw: { key: state.lastRawKey, ...(state.lastRawRange ? { range: state.lastRawRange } : {}) }, feedUrl: state.url ?? source.url, ...(source.siteUrl ? { siteUrl: source.siteUrl } : {}), fetchedAt, seen: undefined },
      rt,
    );
    // The re-parsed items change these sources' feeds: the next publish must re-make them.
    if (result.touchedSources.length > 0) await rt.states.markFeedsChanged(result.touchedSources);
    return { ...outcome, status: 'done', entries: result.itemsInFeed, created: result.created, updated: result.updated, merged: result.merged };
  } catch (err) {
    return { ...outcome, status: 'failed', reason: describeError(err) };
  }
}

/** One report line per source. */
export function formatOutcome(o: ReprocessOutcome): string {
  if (o.status !== 'done') return `${o.status} ${o.sourceId}: ${o.reason ?? ''}`;
  return `${o.sourceId}: ${o.entries} entries, ${o.created} created, ${o.updated} updated, ${o.merged} merged`;
}

/** Re-parses stored feed bodies and reports what changed. */
export async function reprocessCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values, positionals } = parseCommand(argv, { source: { type: 'string' } });
  if (values.help) return print(REPROCESS_HELP);
  if (positionals.length > 0) throw new UsageError(`reprocess takes no arguments; got "${positionals.join(' ')}"`);
  const settings = loadLocalSettings();
  const stack = await startLocalStack({ dataDir: values.data ?? settings.dataDir, allowHosts: [] });
  const outcomes: ReprocessOutcome[] = [];
  try {
    const sources = await selectSources(stack.runtime, values.sources, settings.sourcesFile, values.source);
    const states = await stack.runtime.states.getStates(sources.map((s) => s.id));
    const bar = progressBar(sources.length);
    for (const source of sources) {
      bar.tick(source.id);
      outcomes.push(await reprocessSource(stack.runtime, source, states.get(source.id)));
    }
    bar.done();
  } finally {
    await stack.close();
  }
  if (values.json) print(JSON.stringify({ sources: outcomes }));
  else for (const o of outcomes) print(formatOutcome(o));
  const sum = (k: 'created' | 'updated' | 'merged') => outcomes.reduce((n, o) => n + o[k], 0);
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (!values.json) {
    const done = outcomes.filter((o) => o.status === 'done').length;
    print(`reprocessed ${done} of ${outcomes.length} sources: ${sum('created')} created, ${sum('updated')} updated, ${sum('merged')} merged; ${failed.length} failed`);
  }
  if (failed.length > 0) throw new ReprocessError(`${failed.length} of ${outcomes.length} sources failed: ${failed.map((o) => o.sourceId).join(', ')}`);
}
