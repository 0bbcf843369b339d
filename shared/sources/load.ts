/** Reading the sources file from the blob store (where the scheduler and publisher find it). */
import { sha256Hex } from '../ids';
import { SourcesError } from '../errors';
import type { BlobStore } from '../store/ports';
import { parseOpml, type SourceList } from './opml';

/** The file last parsed in this process, per store and key, with its ETag and the hash of its bytes: a warm handler asks for it only if it changed, and parses a changed file once. */
const lastParsed = new WeakMap<BlobStore, Map<string, ParsedFile>>();

/** A sources file as read: its ETag, the hash of its bytes and its parsed list. */
interface ParsedFile {
  etag?: string;
  hash: string;
  list: SourceList;
}

/** Loads and parses the sources OPML at `key` (a conditional GET when this process read it before); a missing file is an error that says where it looked. */
export async function loadSourceList(blobs: BlobStore, key: string): Promise<SourceList> {
  const byKey = lastParsed.get(blobs) ?? new Map<string, ParsedFile>();
  lastParsed.set(blobs, byKey);
  const known = byKey.get(key);
  const got = await blobs.getIfChanged(key, known?.etag);
  if (got === undefined) {
    byKey.delete(key);
    throw new SourcesError(`no sources file at ${key}: upload one with "tributary sources push"`);
  }
  let current = known;
  if (got !== 'unchanged') {
    const hash = sha256Hex(got.bytes);
    current = { etag: got.etag, hash, list: known?.hash === hash ? known.list : parseOpml(new TextDecoder('utf-8').decode(got.bytes)) };
    byKey.set(key, current);
  }
  // 'unchanged' answers only the ETag of a file read before, so `current` is that file.
  if (!current) throw new SourcesError(`the sources file at ${key} answered "not modified" to a first read`);
  // A copy per caller: a caller that edits its list must not change the next caller's.
  return structuredClone(current.list);
}
