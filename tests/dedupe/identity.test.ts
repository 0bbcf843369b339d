/** Identity keys of entries (guid scoped to its source → canonical link → content hash) and the seen fingerprints. */
import { describe, expect, it } from 'vitest';
import { assessTrust, identityKeys, seenKey, seenValue, type FeedTrust } from '../../shared/dedupe/identity';
import { filterSeen, type KeyedDraft } from '../../shared/dedupe/plan';
import { decodeSeen } from '../../shared/dedupe/seen';
import { idForKey } from '../../shared/ids';
import type { ItemDraft } from '../../shared/model';

const NO_DOUBT: FeedTrust = { badGuids: new Set(), badUrls: new Set() };

function draft(over: Partial<ItemDraft> = {}): ItemDraft {
  return { sourceId: 'src', title: 'Title', authors: [], categories: [], enclosures: [], contentHash: '0000000000000000', ...over };
}

describe('identityKeys', () => {
  it('orders the keys guid (scoped to the source) then canonical link, with no hash key', () => {
    const d = draft({ guid: 'tag:x,2026:1', url: 'https://x.example/2026/a' });
    expect(identityKeys(d, NO_DOUBT)).toEqual(['g:src:tag:x,2026:1', 'u:https://x.example/2026/a']);
  });

  it('scopes guids to their source but shares links across sources', () => {
    const a = identityKeys(draft({ sourceId: 'a', guid: '1', url: 'https://x.example/s' }), NO_DOUBT);
    const b = identityKeys(draft({ sourceId: 'b', guid: '1', url: 'https://x.example/s' }), NO_DOUBT);
    expect(a[0]).not.toBe(b[0]);
    expect(a[1]).toBe(b[1]);
  });

  it('uses only the link, or only the guid, when that is all there is', () => {
    expect(identityKeys(draft({ url: 'https://x.example/p' }), NO_DOUBT)).toEqual(['u:https://x.example/p']);
    expect(identityKeys(draft({ guid: ' 42 ' }), NO_DOUBT)).toEqual(['g:src:42']);
  });

  it('falls back to one content-hash key, scoped to the source, only when there is neither', () => {
    const keys = identityKeys(draft({ title: 'A', summaryText: 'body', published: '2026-01-01T00:00:00.000Z' }), NO_DOUBT);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^h:src:[0-9a-f]{32}$/);
    // the same entry gives the same key; a different title, body, date or source gives another
    expect(identityKeys(draft({ title: 'A', summaryText: 'body', published: '2026-01-01T00:00:00.000Z' }), NO_DOUBT)).toEqual(keys);
    for (const other of [
      draft({ title: 'B', summaryText: 'body', published: '2026-01-01T00:00:00.000Z' }),
      draft({ title: 'A', summaryText: 'other', published: '2026-01-01T00:00:00.000Z' }),
      draft({ title: 'A', summaryText: 'body', published: '2026-01-02T00:00:00.000Z' }),
      draft({ sourceId: 'other', title: 'A', summaryText: 'body', published: '2026-01-01T00:00:00.000Z' }),
    ]) {
      expect(identityKeys(other, NO_DOUBT)[0]).not.toBe(keys[0]);
    }
  });

  it('ignores an empty or whitespace guid and an absurdly long one', () => {
    expect(identityKeys(draft({ guid: '   ', url: 'https://x.example/p' }), NO_DOUBT)).toEqual(['u:https://x.example/p']);
    expect(identityKeys(draft({ guid: 'g'.repeat(3000), url: 'https://x.example/p' }), NO_DOUBT)).toEqual(['u:https://x.example/p']);
  });
});

describe('assessTrust', () => {
  it('distrusts guids and links that repeat within one feed, and only those', () => {
    const drafts = [
      draft({ guid: 'same', url: 'https://x.example/1' }),
      draft({ guid: 'same', url: 'https://x.example/shared' }),
      draft({ guid: 'unique', url: 'https://x.example/shared' }),
    ];
    const trust = assessTrust(drafts);
    expect([...trust.badGuids]).toEqual(['same']);
    expect([...trust.badUrls]).toEqual(['https://x.example/shared']);
    expect(drafts.map((d) => identityKeys(d, trust))).toEqual([
      ['u:https://x.example/1'],
      [expect.stringMatching(/^h:src:/)],
      ['g:src:unique'],
    ]);
  });

  it('distrusts links that are the site home page or any bare origin', () => {
    const drafts = [draft({ url: 'https://site.example/blog' }), draft({ url: 'https://cdn.example/' }), draft({ url: 'https://site.example/blog/post-1' })];
    const trust = assessTrust(drafts, ['https://site.example/blog', undefined, 'not a url']);
    expect(trust.badUrls.has('https://site.example/blog')).toBe(true);
    expect(trust.badUrls.has('https://site.example/')).toBe(true);
    expect(trust.badUrls.has('https://cdn.example/')).toBe(true);
    expect(trust.badUrls.has('https://site.example/blog/post-1')).toBe(false);
    expect(identityKeys(drafts[2]!, trust)).toEqual(['u:https://site.example/blog/post-1']);
  });
});

describe('seen fingerprints and filterSeen', () => {
  // The drafts' content hashes stand in for their entries' fingerprints.
  const keyed = (d: ItemDraft): KeyedDraft & { fingerprint: string } => ({ draft: d, keys: identityKeys(d, NO_DOUBT), fingerprint: d.contentHash });

  it('keys a fingerprint by the first identity key and values it by the entry fingerprint', () => {
    expect(seenKey(['g:s:1', 'u:https://x.example/a'])).toBe(seenKey(['g:s:1']));
    expect(seenKey(['g:s:1'])).not.toBe(seenKey(['g:s:2']));
    expect(seenKey(['g:s:1'])).toBe(idForKey('g:s:1').slice(0, 8));
    expect(seenValue('abcdef0123456789')).toBe('abcdef01');
  });

  it('skips entries unchanged since the last fetch and returns fingerprints for all of them', () => {
    const a = keyed(draft({ guid: 'a', contentHash: 'aaaaaaaaaaaaaaaa' }));
    const b = keyed(draft({ guid: 'b', contentHash: 'bbbbbbbbbbbbbbbb' }));
    const first = filterSeen([a, b], undefined);
    expect(first.fresh).toEqual([a, b]);
    expect(Object.keys(decodeSeen(first.seen))).toHaveLength(2);

    const again = filterSeen([a, b], first.seen);
    expect(again.fresh).toEqual([]);
    expect(again.seen).toEqual(first.seen);

    const bChanged = keyed(draft({ guid: 'b', contentHash: 'cccccccccccccccc' }));
    const c = keyed(draft({ guid: 'c', contentHash: 'dddddddddddddddd' }));
    const third = filterSeen([a, bChanged, c], first.seen);
    expect(third.fresh).toEqual([bChanged, c]);
    expect(Object.keys(decodeSeen(third.seen))).toHaveLength(3);
    expect(decodeSeen(third.seen)[seenKey(bChanged.keys)]).toBe('cccccccc');
  });

  it('forgets entries that left the feed', () => {
    const a = keyed(draft({ guid: 'a' }));
    const b = keyed(draft({ guid: 'b' }));
    const { seen } = filterSeen([a], filterSeen([a, b], undefined).seen);
    expect(Object.keys(decodeSeen(seen))).toEqual([seenKey(a.keys)]);
  });
});
