/** Pure edits of a source list: add, remove, import (merge). The CLI reads and writes the file. */
import { SourcesError } from '../errors';
import type { Source } from '../model';
import { idFromUrl, isValidSourceId, uniqueSourceId, validFeedUrl, type SourceList } from './opml';

/** What the user gives to add a source. */
export interface NewSource {
  url: string;
  id?: string;
  title?: string;
  tags?: string[];
  siteUrl?: string;
}

/** Adds a source; rejects a duplicate URL or id, derives the id from the URL when none is given. */
export function addSource(list: SourceList, input: NewSource): { list: SourceList; added: Source } {
  const url = validFeedUrl(input.url);
  if (list.sources.some((s) => s.url === url)) throw new SourcesError(`already a source: ${url}`);
  const taken = new Set(list.sources.map((s) => s.id));
  if (input.id !== undefined) {
    if (!isValidSourceId(input.id)) throw new SourcesError(`invalid source id "${input.id}" (use a-z, 0-9, '.', '_', '-')`);
    if (taken.has(input.id)) throw new SourcesError(`source id "${input.id}" is taken`);
  }
  const added: Source = {
    id: input.id ?? uniqueSourceId(idFromUrl(url), taken),
    url,
    title: input.title?.trim() || url,
    tags: [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))],
    ...(input.siteUrl ? { siteUrl: input.siteUrl } : {}),
  };
  return { list: { ...list, sources: [...list.sources, added] }, added };
}

/** Removes the source with this id (or URL); throws when there is none. */
export function removeSource(list: SourceList, idOrUrl: string): { list: SourceList; removed: Source } {
  const removed = list.sources.find((s) => s.id === idOrUrl || s.url === idOrUrl);
  if (!removed) throw new SourcesError(`no source "${idOrUrl}"`);
  return { list: { ...list, sources: list.sources.filter((s) => s !== removed) }, removed };
}

/** Merges imported sources: new URLs are added (ids made unique), known URLs are left as they are. */
export function importSources(list: SourceList, imported: Source[]): { list: SourceList; added: Source[]; skipped: Source[] } {
  let current = list;
  const added: Source[] = [];
  const skipped: Source[] = [];
  for (const s of imported) {
    if (current.sources.some((c) => c.url === s.url)) {
      skipped.push(s);
      continue;
    }
    const taken = new Set(current.sources.map((c) => c.id));
    const id = taken.has(s.id) ? uniqueSourceId(s.id, taken) : s.id;
    const result = addSource(current, { ...s, id });
    current = result.list;
    added.push(result.added);
  }
  return { list: current, added, skipped };
}
