/** groupByStory: one entry per story, the earliest-published member, credited to every source in arrival order. */
import { describe, expect, it } from 'vitest';
import type { Item } from '../../shared/model';
import { groupByStory } from '../../shared/story';

function item(id: string, fields: Partial<Item>): Item {
  return { id, sourceId: 's', sourceIds: ['s'], title: id, authors: [], categories: [], enclosures: [], contentHash: id, sortDate: '2026-11-26T00:00:00.000Z', firstSeenAt: '2026-11-26T00:00:00.000Z', changedAt: '2026-11-26T00:00:00.000Z', ...fields };
}

describe('groupByStory', () => {
  const wire = item('wire', { sourceIds: ['wire'], published: '2026-11-26T06:00:00.000Z', sortDate: '2026-11-26T06:00:00.000Z', firstSeenAt: '2026-11-26T08:00:00.000Z', storyId: 'wire' });
  const courier = item('courier', { sourceIds: ['courier', 'mirror'], published: '2026-11-26T07:30:00.000Z', sortDate: '2026-11-26T07:30:00.000Z', firstSeenAt: '2026-11-26T07:45:00.000Z', changedAt: '2026-11-26T09:00:00.000Z', storyId: 'wire' });
  const other = item('other', { sourceIds: ['ledger'], sortDate: '2026-11-26T09:00:00.000Z', storyId: 'other' });
  const loose = item('loose', { sourceIds: ['ledger'], sortDate: '2026-11-25T09:00:00.000Z' });

  it('makes one entry per story: the earliest-published item, with every source (its own first, then by arrival)', () => {
    const entries = groupByStory([other, courier, wire, loose]);
    expect(entries.map((e) => e.id)).toEqual(['other', 'wire', 'loose']);
    const story = entries[1];
    expect(story?.sourceIds).toEqual(['wire', 'courier', 'mirror']);
    expect(story?.changedAt).toBe('2026-11-26T09:00:00.000Z');
    expect(story?.title).toBe('wire');
  });

  it('leaves items without a story, and single-item stories, as they are', () => {
    expect(groupByStory([other, loose])).toEqual([other, loose]);
  });

  it('falls back to the sort date when an item has no published date', () => {
    const undated = item('undated', { sourceIds: ['x'], sortDate: '2026-11-26T05:00:00.000Z', storyId: 'wire' });
    expect(groupByStory([wire, undated])[0]?.id).toBe('undated');
    expect(groupByStory([wire, undated])[0]?.sourceIds).toEqual(['x', 'wire']);
  });
});
