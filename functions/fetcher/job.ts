/** Validation of the fetcher's payload: a fetch job (shared/store/ports.ts FetchJob). */
import { EventError } from '../../shared/errors';
import type { Source, SourceState } from '../../shared/model';
import type { FetchJob, JobSource } from '../../shared/store/ports';

/** A checked job, and what was left out of it (one line per bad entry, for the log). */
export interface ParsedJob {
  job: FetchJob;
  rejected: string[];
}

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A source from a job entry, or undefined when it has no id and url. */
function parseSource(value: unknown): Source | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.url !== 'string' || !value.id || !value.url) return undefined;
  return {
    id: value.id,
    url: value.url,
    title: typeof value.title === 'string' ? value.title : value.id,
    tags: Array.isArray(value.tags) ? value.tags.filter((t): t is string => typeof t === 'string') : [],
    ...(typeof value.siteUrl === 'string' ? { siteUrl: value.siteUrl } : {}),
    ...(value.capture === 'always' || value.capture === 'short' ? { capture: value.capture } : {}),
  };
}

/** A carried state: null (none stored), the state, or undefined when absent or not a state of this source (then it is read). */
function parseState(value: unknown, sourceId: string): SourceState | null | undefined {
  if (value === null) return null;
  if (!isObject(value) || value.sourceId !== sourceId || typeof value.consecutiveFailures !== 'number' || typeof value.itemsSeen !== 'number') return undefined;
  return value as unknown as SourceState;
}

/**
 * Checks a fetch job. Throws EventError when the payload is not a job (not an object, no sources
 * array, a cycle that is not an ISO time); bad entries are left out and described in `rejected`,
 * a repeated source is kept once, and a carried state that does not fit is dropped (read instead).
 */
export function parseFetchJob(event: unknown): ParsedJob {
  if (!isObject(event)) throw new EventError('fetcher expects a fetch job object { cycle, sources: [{ source, state? }] }');
  if (!Array.isArray(event.sources)) throw new EventError('fetch job has no sources array');
  const { cycle, attempt } = event;
  if (cycle !== undefined && (typeof cycle !== 'string' || Number.isNaN(Date.parse(cycle)))) throw new EventError(`fetch job has a cycle that is not an ISO time: ${JSON.stringify(cycle)}`);
  const rejected: string[] = [];
  const seen = new Set<string>();
  const sources: JobSource[] = [];
  event.sources.forEach((entry: unknown, i: number) => {
    const source = parseSource(isObject(entry) ? entry.source : undefined);
    if (!source) return void rejected.push(`entry ${i}: no source with an id and a url`);
    if (seen.has(source.id)) return void rejected.push(`entry ${i}: source ${source.id} repeated`);
    seen.add(source.id);
    const raw = (entry as Fields).state;
    const state = raw === undefined ? undefined : parseState(raw, source.id);
    if (raw !== undefined && state === undefined) rejected.push(`entry ${i}: state of ${source.id} is not its state (it is read instead)`);
    sources.push(state === undefined ? { source } : { source, state });
  });
  const tries = typeof attempt === 'number' && Number.isInteger(attempt) && attempt > 0 ? attempt : 0;
  return { job: { ...(typeof cycle === 'string' ? { cycle } : {}), sources, ...(tries > 0 ? { attempt: tries } : {}) }, rejected };
}
