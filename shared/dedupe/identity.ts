/**
 * Item identity. An entry's keys, strongest first:
 *   `g:<sourceId>:<guid>`  a trustworthy guid (guids are only unique within their feed);
 *   `u:<canonical url>`    the canonical link, shared across sources: one story, many outlets;
 *   `h:<sourceId>:<hash>`  a content hash, only when the entry has neither.
 * Keys are looked up in this order. A new item's id derives (idForKey) from its canonical link when
 * it has one, else from its first key, so a re-run of a cycle computes the same id, and two sources
 * creating the same linked item at once write one row.
 * A guid or link that repeats inside one feed, or a link that is just the site's home page,
 * identifies nothing and is not used.
 */
import { idForKey, sha256Hex } from '../ids';
import type { ItemDraft } from '../model';

/** Which guids and links of one feed fetch can be trusted as identities. */
export interface FeedTrust {
  badGuids: Set<string>;
  badUrls: Set<string>;
}

function repeated(values: (string | undefined)[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) {
    if (v === undefined) continue;
    if (seen.has(v)) twice.add(v);
    seen.add(v);
  }
  return twice;
}

function homePages(siteUrls: (string | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const raw of siteUrls) {
    if (!raw) continue;
    try {
      const u = new URL(raw);
      out.add(u.href);
      out.add(`${u.origin}/`);
    } catch {
      /* ignore unparsable site URLs */
    }
  }
  return out;
}

/** The fields an entry's guid and link keys come from (normalise/items.ts entryIdentity gives them without rendering the entry). */
export type EntryIdentity = Pick<ItemDraft, 'sourceId' | 'guid' | 'url'>;

/** Finds the guids and links that cannot identify an entry in this feed. */
export function assessTrust(drafts: readonly Pick<ItemDraft, 'guid' | 'url'>[], siteUrls: (string | undefined)[] = []): FeedTrust {
  const badUrls = repeated(drafts.map((d) => d.url));
  for (const home of homePages(siteUrls)) badUrls.add(home);
  for (const d of drafts) {
    if (d.url && /^https?:\/\/[^/]+\/?$/.test(d.url)) badUrls.add(d.url);
  }
  return { badGuids: repeated(drafts.map((d) => d.guid)), badUrls };
}

/** The guid and link keys of one entry, strongest first; empty when it has neither (its key is then its content's: identityKeys). */
export function guidAndLinkKeys(entry: EntryIdentity, trust: FeedTrust): string[] {
  const keys: string[] = [];
  const guid = entry.guid?.trim();
  if (guid && guid.length <= 2048 && !trust.badGuids.has(guid)) keys.push(`g:${entry.sourceId}:${guid}`);
  if (entry.url && !trust.badUrls.has(entry.url)) keys.push(`u:${entry.url}`);
  return keys;
}

/** The identity keys of one entry, strongest first (never empty). */
export function identityKeys(draft: ItemDraft, trust: FeedTrust): string[] {
  const keys = guidAndLinkKeys(draft, trust);
  if (keys.length === 0) {
    const basis = [draft.title, draft.contentText ?? draft.summaryText ?? '', draft.published ?? ''].join('\u0000');
    keys.push(`h:${draft.sourceId}:${sha256Hex(basis).slice(0, 32)}`);
  }
  return keys;
}

/**
 * The short fingerprint key under which an entry is remembered in SourceState.seen: 40 bits of its
 * id (8 base32 characters; packed with its value by seen.ts). A collision within one feed
 * only makes an entry be looked up again, never skipped: its value would have to match as well.
 */
export function seenKey(keys: string[]): string {
  return idForKey(keys[0] ?? '').slice(0, 8);
}

/** The fingerprint value: the entry's fingerprint (normalise/items.ts entryFingerprint), shortened to 32 bits (8 hex digits). */
export function seenValue(fingerprint: string): string {
  return fingerprint.slice(0, 8);
}
