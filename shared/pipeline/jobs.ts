/**
 * Fetch jobs: how the scheduler splits a cycle's due sources into fetcher invocations, and when the
 * fetcher may trust the states a job carries.
 *
 * A job holds up to JOB_SIZE sources. Fewer, larger invocations cost less per source (one Lambda
 * request, one states read for what the job does not carry, one cycle-count update per job) while
 * a job of 100 (all in flight at once, 25 bodies processed at once) still ends well within the
 * fetcher's timeout. Each source carries the state the scheduler read while the serialized job stays
 * within JOB_PAYLOAD_BUDGET_BYTES, well under Lambda's 256 KB limit for an asynchronous payload; the
 * fetcher reads the rest in one call.
 */
import type { Source, SourceState } from '../model';
import type { FetchJob, JobSource } from '../store/ports';

/** Most sources in one fetch job (one fetcher invocation). */
export const JOB_SIZE = 100;
/** Serialized size a job may reach by carrying states (Lambda's asynchronous payload limit is 256 KB). */
export const JOB_PAYLOAD_BUDGET_BYTES = 200 * 1024;
/** Lambda's limit on an asynchronous invocation's payload. */
export const ASYNC_PAYLOAD_LIMIT_BYTES = 256 * 1024;
/**
 * Carried states are trusted only this soon after the cycle started. Lambda retries a failed
 * asynchronous invocation after at least a minute, by which time the first attempt may have stored
 * newer states: a later start reads every state again instead.
 */
export const CARRIED_STATE_TRUST_MS = 60_000;

/** Bytes of a value as JSON (UTF-8), as the payload carries it. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** The sizes of the jobs for `count` sources: as few as JOB_SIZE allows, balanced (200 → 100 + 100, 150 → 75 + 75). */
export function jobSizes(count: number, jobSize = JOB_SIZE): number[] {
  if (count <= 0) return [];
  const jobs = Math.ceil(count / jobSize);
  const base = Math.floor(count / jobs);
  return Array.from({ length: jobs }, (_, i) => base + (i < count % jobs ? 1 : 0));
}

/**
 * Splits the due sources of a cycle into jobs, carrying each source's state (or `null` for a
 * source with none) while the job stays within the payload budget; later sources go without.
 */
export function buildJobs(cycle: string, sources: Source[], states: Map<string, SourceState>, budgetBytes = JOB_PAYLOAD_BUDGET_BYTES): FetchJob[] {
  const jobs: FetchJob[] = [];
  let start = 0;
  for (const size of jobSizes(sources.length)) {
    const members = sources.slice(start, start + size);
    start += size;
    const entries: JobSource[] = members.map((source) => ({ source }));
    let bytes = jsonBytes({ cycle, sources: entries });
    entries.forEach((entry, i) => {
      const state = states.get(members[i]?.id ?? '') ?? null;
      // ',"state":' plus the state's JSON.
      const extra = 9 + jsonBytes(state);
      if (bytes + extra > budgetBytes) return;
      entry.state = state;
      bytes += extra;
    });
    jobs.push({ cycle, sources: entries });
  }
  return jobs;
}

/** True when the job's carried states may be used: a first attempt, started soon after its cycle. */
export function carriedStatesUsable(job: FetchJob, now: Date): boolean {
  if ((job.attempt ?? 0) > 0 || job.cycle === undefined) return false;
  const age = now.getTime() - Date.parse(job.cycle);
  return Number.isFinite(age) && age < CARRIED_STATE_TRUST_MS;
}

/** The job's sources with the carried states kept only when usable (otherwise the fetcher reads them all). */
export function sourcesToFetch(job: FetchJob, now: Date): JobSource[] {
  if (carriedStatesUsable(job, now)) return job.sources;
  return job.sources.map(({ source }) => ({ source }));
}
