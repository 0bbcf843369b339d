/**
 * Write planning: given one fetch's entries and what the store already knows, decide what to write.
 * Pure: the pipeline reads (resolveKeys, getItems), calls planWrites, then writes the result.
 * Rules: an unknown entry becomes a new item; an entry of the item's first source whose content
 * changed updates it in place; an entry another source already carries adds this source to it
 * (merge) instead of duplicating it; everything else writes nothing.
 */
import { idForKey, isSharedKey } from '../ids';
import type { Item, ItemDraft } from '../model';
import type { ItemWrite } from '../store/ports';
import { seenKey, seenValue } from './identity';
import { decodeSeen, encodeSeen } from './seen';

/** An entry with its identity keys. */
export interface KeyedDraft {
  draft: ItemDraft;
  keys: string[];
}

/** What to write for one fetch, plus counts for the cycle summary. */
export interface WritePlan {
  writes: ItemWrite[];
  /** Index for index with writes: the draft whose raw HTML the item should point to, if it is new or changed. */
  rawFrom: (ItemDraft | undefined)[];
  /** Index for index with writes: the entry behind it (to re-plan it after a conflict) and what it counts as. */
  origins: { keyed: KeyedDraft; counts: 'created' | 'updated' | 'merged' | 'unchanged' }[];
  created: number;
  updated: number;
  merged: number;
  unchanged: number;
}

/** Drops the entries whose fingerprint matches the last fetch's (unchanged since), and returns the new fingerprints (packed, seen.ts). */
export function filterSeen<T extends { keys: string[]; fingerprint: string }>(keyed: T[], previous: string | undefined): { fresh: T[]; seen: string } {
  const before = decodeSeen(previous);
  const seen: Record<string, string> = {};
  const fresh: T[] = [];
  for (const k of keyed) {
    const key = seenKey(k.keys);
    const value = seenValue(k.fingerprint);
    seen[key] = value;
    if (before[key] !== value) fresh.push(k);
  }
  return { fresh, seen: encodeSeen(seen) };
}

function itemFromDraft(draft: ItemDraft, id: string, nowIso: string, firstSeenAt = nowIso): Item {
  const { rawHtml: _raw, ...fields } = draft;
  return {
    ...fields,
    id,
    sourceIds: [draft.sourceId],
    sortDate: draft.published ?? draft.updated ?? firstSeenAt,
    firstSeenAt,
    changedAt: nowIso,
  };
}

/** Decides the writes for entries of one source, given resolved keys and the existing items. */
export function planWrites(
  keyed: KeyedDraft[],
  resolved: Map<string, string>,
  existing: Map<string, Item & { version: number }>,
  now: Date,
): WritePlan {
  const nowIso = now.toISOString();
  const plan: WritePlan = { writes: [], rawFrom: [], origins: [], created: 0, updated: 0, merged: 0, unchanged: 0 };
  const touched = new Set<string>();
  for (const entry of keyed) {
    const { draft, keys } = entry;
    const hit = keys.find((k) => resolved.has(k));
    // A new item's id derives from its shared key (the canonical link) when it has one: see isSharedKey.
    const id = hit ? (resolved.get(hit) as string) : idForKey(keys.find(isSharedKey) ?? (keys[0] as string));
    if (touched.has(id)) {
      plan.unchanged++;
      continue;
    }
    touched.add(id);
    const unresolved = keys.filter((k) => !resolved.has(k) && idForKey(k) !== id);
    const current = existing.get(id);
    if (!current) {
      plan.writes.push({ item: itemFromDraft(draft, id, nowIso), aliasKeys: unresolved, kind: 'new' });
      plan.rawFrom.push(draft);
      plan.origins.push({ keyed: entry, counts: 'created' });
      plan.created++;
      continue;
    }
    const { version, ...stored } = current;
    if (!stored.sourceIds.includes(draft.sourceId)) {
      const item: Item = { ...stored, sourceIds: [...stored.sourceIds, draft.sourceId] };
      plan.writes.push({ item, aliasKeys: unresolved, kind: 'merge', expectedVersion: version, joinedSourceId: draft.sourceId });
      plan.rawFrom.push(undefined);
      plan.origins.push({ keyed: entry, counts: 'merged' });
      plan.merged++;
      continue;
    }
    const owner = stored.sourceIds[0] === draft.sourceId;
    if (owner && stored.contentHash !== draft.contentHash) {
      // Rebuilt from the entry, but what Tributary added (sources, story, captured page) stays.
      const { storyId, pageRef, articleText } = stored;
      const item: Item = {
        ...itemFromDraft(draft, id, nowIso, stored.firstSeenAt),
        sourceIds: stored.sourceIds,
        ...(storyId !== undefined ? { storyId } : {}),
        ...(pageRef !== undefined ? { pageRef } : {}),
        ...(articleText !== undefined ? { articleText } : {}),
      };
      plan.writes.push({ item, aliasKeys: unresolved, kind: 'update', expectedVersion: version });
      plan.rawFrom.push(draft);
      plan.origins.push({ keyed: entry, counts: 'updated' });
      plan.updated++;
    } else if (unresolved.length > 0) {
      plan.writes.push({ item: stored, aliasKeys: unresolved, kind: 'update', expectedVersion: version });
      plan.rawFrom.push(undefined);
      plan.origins.push({ keyed: entry, counts: 'unchanged' });
      plan.unchanged++;
    } else {
      plan.unchanged++;
    }
  }
  return plan;
}
