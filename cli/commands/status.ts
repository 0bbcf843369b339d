/** `tributary status`: each source's health from its stored state, as a table or JSON. */
import { loadLocalSettings } from '../../shared/config';
import type { Source, SourceState } from '../../shared/model';
import { REPLAY_WINDOW_MS } from '../../shared/schedule/replay';
import { checkOf, healthOf, type SourceCheck } from '../../shared/status/collect';
import { relativeTime } from '../../shared/status/render';
import { parseCommand } from '../args';
import { selectSources } from '../local/source-list';
import { startLocalStack } from '../local/stack';

/** Help text of `status`. */
export const STATUS_HELP = `Usage: tributary status [--source ID] [--json] [--sources FILE] [--data DIR]

Shows each source's health from its stored fetch state: id, status, last fetch (or a later cycle's
check that changed nothing, so was not written), next fetch, consecutive failures, items seen in its
last body, and the last error. Sources come from --sources
FILE, else the sources file the pipeline last ran on, else sources/sources.opml.
The same page as HTML: http://localhost:8080/status while "tributary serve" runs.
`;

/** One source's health, as `status --json` prints it. */
export interface SourceHealth {
  id: string;
  title: string;
  health: ReturnType<typeof healthOf>;
  lastStatusCode?: number;
  lastFetchAt?: string;
  /** The later of lastFetchAt and the last cycle that checked the source without writing its state. */
  lastCheckedAt?: string;
  lastSuccessAt?: string;
  nextFetchAt?: string;
  consecutiveFailures: number;
  itemsSeen: number;
  lastError?: string;
}

/** The health record of a source and its state; with `check`, the last check and next fetch count the cycles since the state was written. */
export function sourceHealth(source: Source, state: SourceState | undefined, check?: SourceCheck): SourceHealth {
  const pick = <K extends keyof SourceState>(key: K) => (state?.[key] !== undefined ? { [key]: state[key] } : {});
  const next = check ? check.nextFetchAt : state?.nextFetchAt;
  const checked = check ? check.lastCheckedAt : state?.lastFetchAt;
  return {
    id: source.id,
    title: source.title,
    health: check?.sinceWrite ? 'not-modified' : healthOf(state),
    ...(check?.sinceWrite ? {} : pick('lastStatusCode')),
    ...pick('lastFetchAt'),
    ...(checked !== undefined ? { lastCheckedAt: checked } : {}),
    ...pick('lastSuccessAt'),
    ...(next !== undefined ? { nextFetchAt: next } : {}),
    consecutiveFailures: state?.consecutiveFailures ?? 0,
    itemsSeen: state?.itemsSeen ?? 0,
    ...pick('lastError'),
  } as SourceHealth;
}

/** Formats health records as an aligned text table (one header line, one line per source). */
export function healthTable(rows: SourceHealth[], now: Date): string[] {
  const cells = rows.map((r) => [
    r.id,
    r.health === 'error' || r.health === 'gone' ? `${r.health.toUpperCase()}` : r.health,
    relativeTime(r.lastCheckedAt ?? r.lastFetchAt, now),
    relativeTime(r.nextFetchAt, now),
    String(r.consecutiveFailures),
    String(r.itemsSeen),
    (r.lastError ?? '').replace(/\s+/g, ' '),
  ]);
  const header = ['SOURCE', 'STATUS', 'LAST FETCH', 'NEXT FETCH', 'FAILURES', 'ITEMS', 'LAST ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)];
}

/** Prints the sources' health. */
export async function statusCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseCommand(argv, { source: { type: 'string' } });
  if (values.help) return print(STATUS_HELP);
  const settings = loadLocalSettings();
  const stack = await startLocalStack({ dataDir: values.data ?? settings.dataDir, allowHosts: [] });
  try {
    const sources = await selectSources(stack.runtime, values.sources, settings.sourcesFile, values.source);
    const now = new Date();
    const [states, cycles] = await Promise.all([
      stack.runtime.states.getStates(sources.map((s) => s.id)),
      stack.runtime.states.cyclesSince(new Date(now.getTime() - REPLAY_WINDOW_MS).toISOString()),
    ]);
    const interval = stack.runtime.config.fetchIntervalMinutes;
    const rows = sources.map((s) => sourceHealth(s, states.get(s.id), checkOf(s, states.get(s.id), cycles, interval, now)));
    if (values.json) return print(JSON.stringify({ sources: rows }));
    for (const line of healthTable(rows, now)) print(line);
    const failing = rows.filter((r) => r.health === 'error' || r.health === 'gone').length;
    print(`${rows.length} sources, ${failing} failing`);
  } finally {
    await stack.close();
  }
}
