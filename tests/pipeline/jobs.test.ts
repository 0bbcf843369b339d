/** Fetch jobs: balanced sizes, states carried within the payload budget, and when carried states are trusted. */
import { describe, expect, it } from 'vitest';
import type { Source, SourceState } from '../../shared/model';
import { ASYNC_PAYLOAD_LIMIT_BYTES, CARRIED_STATE_TRUST_MS, JOB_PAYLOAD_BUDGET_BYTES, JOB_SIZE, buildJobs, carriedStatesUsable, jobSizes, jsonBytes, sourcesToFetch } from '../../shared/pipeline/jobs';
import { encodeSeen } from '../../shared/dedupe/seen';
import { idForKey, sha256Hex } from '../../shared/ids';

const CYCLE = '2025-06-01T10:00:00.000Z';
const source = (i: number): Source => ({ id: `s${i}`, url: `https://feeds${i}.example/feed.xml`, title: `Feed ${i}`, tags: ['news'] });
/** A state with `seenEntries` remembered entries (about 40 bytes each), as a busy feed's state carries. */
const state = (i: number, seenEntries = 50): SourceState => ({
  sourceId: `s${i}`,
  consecutiveFailures: 0,
  itemsSeen: seenEntries,
  etag: `"etag-${i}"`,
  nextFetchAt: CYCLE,
  seen: encodeSeen(Object.fromEntries(Array.from({ length: seenEntries }, (_, k) => [idForKey(`k${i}-${k}`).slice(0, 8), sha256Hex(`h${k}`).slice(0, 8)]))),
});

describe('jobSizes', () => {
  it('uses as few jobs as JOB_SIZE allows and balances them', () => {
    expect(JOB_SIZE).toBe(100);
    expect(jobSizes(0)).toEqual([]);
    expect(jobSizes(7)).toEqual([7]);
    expect(jobSizes(100)).toEqual([100]);
    expect(jobSizes(101)).toEqual([51, 50]);
    expect(jobSizes(200)).toEqual([100, 100]);
    expect(jobSizes(1000)).toHaveLength(10);
    expect(jobSizes(1001).reduce((a, b) => a + b, 0)).toBe(1001);
    expect(Math.max(...jobSizes(1001))).toBeLessThanOrEqual(JOB_SIZE);
  });
});

describe('buildJobs', () => {
  it('puts every source in exactly one job of the cycle, in order, carrying its state or null when it has none', () => {
    const sources = Array.from({ length: 150 }, (_, i) => source(i));
    const states = new Map(sources.filter((_, i) => i % 2 === 0).map((s, i) => [s.id, state(i * 2, 2)]));
    const jobs = buildJobs(CYCLE, sources, states);
    expect(jobs.map((j) => j.sources.length)).toEqual([75, 75]);
    expect(jobs.every((j) => j.cycle === CYCLE && j.attempt === undefined)).toBe(true);
    const entries = jobs.flatMap((j) => j.sources);
    expect(entries.map((e) => e.source)).toEqual(sources);
    expect(entries[0]?.state).toEqual(states.get('s0'));
    expect(entries[1]?.state).toBeNull();
  });

  it('stops carrying states where the job would pass the payload budget; the rest go without (the fetcher reads them)', () => {
    const sources = Array.from({ length: 100 }, (_, i) => source(i));
    const states = new Map(sources.map((s, i) => [s.id, state(i, 250)]));
    expect(jsonBytes([...states.values()])).toBeGreaterThan(JOB_PAYLOAD_BUDGET_BYTES);
    const [job] = buildJobs(CYCLE, sources, states);
    const carried = job?.sources.filter((e) => e.state !== undefined) ?? [];
    expect(carried.length).toBeGreaterThan(10);
    expect(carried.length).toBeLessThan(100);
    expect(jsonBytes(job)).toBeLessThanOrEqual(JOB_PAYLOAD_BUDGET_BYTES);
    expect(JOB_PAYLOAD_BUDGET_BYTES).toBeLessThan(ASYNC_PAYLOAD_LIMIT_BYTES);
    for (const e of carried) expect(e.state).toEqual(states.get(e.source.id));
  });

  it('fills up to the budget: one more state would not have fitted', () => {
    const sources = Array.from({ length: 10 }, (_, i) => source(i));
    const states = new Map(sources.map((s, i) => [s.id, state(i, 10)]));
    const budget = jsonBytes(buildJobs(CYCLE, sources, new Map(), Infinity)[0]) + 3 * (9 + jsonBytes(state(0, 10)));
    const [job] = buildJobs(CYCLE, sources, states, budget);
    expect(job?.sources.filter((e) => e.state !== undefined)).toHaveLength(3);
    expect(jsonBytes(job)).toBeLessThanOrEqual(budget);
  });
});

describe('carried states', () => {
  const job = { cycle: CYCLE, sources: [{ source: source(1), state: state(1) }, { source: source(2), state: null }, { source: source(3) }] };
  const at = (ms: number) => new Date(Date.parse(CYCLE) + ms);

  it('are used by a first attempt soon after the cycle started', () => {
    expect(carriedStatesUsable(job, at(5_000))).toBe(true);
    expect(sourcesToFetch(job, at(5_000))).toEqual(job.sources);
  });

  it('are dropped (read again) for a retry, a late start, or a job without a cycle', () => {
    for (const [j, now] of [[{ ...job, attempt: 1 }, at(1_000)], [job, at(CARRIED_STATE_TRUST_MS + 1)], [{ sources: job.sources }, at(0)]] as const) {
      expect(carriedStatesUsable(j, now)).toBe(false);
      expect(sourcesToFetch(j, now)).toEqual(job.sources.map((e) => ({ source: e.source })));
    }
  });
});
