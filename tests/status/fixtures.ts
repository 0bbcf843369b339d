/** A status-page input with a healthy, a failing (hostile title and error) and a never-fetched source. */
import type { Source, SourceState } from '../../shared/model';
import type { StatusInput } from '../../shared/status/collect';
import type { CycleRecord } from '../../shared/store/ports';

/** The moment the fixture describes. */
export const NOW = new Date('2026-11-27T14:00:00Z');

export const SOURCES: Source[] = [
  { id: 'good-wire', url: 'https://wire.example/feed.xml', title: 'Good Wire', tags: ['world'], siteUrl: 'https://wire.example/' },
  { id: 'evil', url: 'https://evil.example/rss', title: '<script>alert(1)</script> Evil & Co', tags: [], siteUrl: 'javascript:alert(2)' },
  { id: 'fresh', url: 'https://fresh.example/atom', title: 'Fresh', tags: [] },
];

export const STATES = new Map<string, SourceState>([
  ['good-wire', {
    sourceId: 'good-wire', status: 'ok', consecutiveFailures: 0, itemsSeen: 12, lastStatusCode: 200,
    lastFetchAt: '2026-11-27T13:57:00.000Z', lastSuccessAt: '2026-11-27T13:57:00.000Z', nextFetchAt: '2026-11-27T14:12:00.000Z',
  }],
  ['evil', {
    sourceId: 'evil', status: 'error', consecutiveFailures: 3, itemsSeen: 0, lastStatusCode: 500,
    lastError: 'fetch: 500 from evil.example <img src=x onerror=alert(3)>',
    lastFetchAt: '2026-11-27T13:00:00.000Z', nextFetchAt: '2026-11-27T15:00:00.000Z',
  }],
]);

export const CYCLES: CycleRecord[] = [
  { startedAt: '2026-11-27T13:57:00.000Z', finishedAt: '2026-11-27T13:57:02.500Z', sources: 3, ok: 1, notModified: 0, failed: 1, itemsNew: 4, itemsUpdated: 1, itemsMerged: 0, bytes: 20480 },
  { startedAt: '2026-11-27T13:42:00.000Z', finishedAt: '2026-11-27T13:42:01.000Z', sources: 3, ok: 1, notModified: 1, failed: 0, itemsNew: 0, itemsUpdated: 0, itemsMerged: 0, bytes: 0 },
];

/** 14 days, oldest first. */
export const GOOD_COUNTS = [0, 1, 2, 0, 3, 5, 1, 0, 0, 2, 4, 6, 1, 3];

export const INPUT: StatusInput = {
  sources: SOURCES,
  states: STATES,
  cycles: CYCLES,
  itemsPerDay: new Map([['good-wire', GOOD_COUNTS], ['evil', new Array<number>(14).fill(0)]]),
  now: NOW,
  title: 'Tributary <test>',
};
