/** Reading the sources file from the blob store (where the scheduler and publisher find it). */
import { createHash } from 'node:crypto';
import { SourcesError } from '../errors';
import type { BlobStore } from '../store/ports';
import { parseOpml, type SourceList } from './opml';

/** The last file parsed in this process, by the hash of its bytes: a warm handler parses an unchanged file once. */
let lastParsed: { hash: string; list: SourceList } | undefined;

/** Loads and parses the sources OPML at `key`; a missing file is an error that says where it looked. */
export async function loadSourceList(blobs: BlobStore, key: string): Promise<SourceList> {
  const bytes = await blobs.get(key);
  if (!bytes) throw new SourcesError(`no sources file at ${key}: upload one with "tributary sources push"`);
  const hash = createHash('sha256').update(bytes).digest('base64');
  if (lastParsed?.hash !== hash) lastParsed = { hash, list: parseOpml(new TextDecoder('utf-8').decode(bytes)) };
  // A copy per caller: a caller that edits its list must not change the next caller's.
  return structuredClone(lastParsed.list);
}
