/** Reading the sources file from the blob store (where the scheduler and publisher find it). */
import { SourcesError } from '../errors';
import type { BlobStore } from '../store/ports';
import { parseOpml, type SourceList } from './opml';

/** Loads and parses the sources OPML at `key`; a missing file is an error that says where it looked. */
export async function loadSourceList(blobs: BlobStore, key: string): Promise<SourceList> {
  const bytes = await blobs.get(key);
  if (!bytes) throw new SourcesError(`no sources file at ${key}: upload one with "tributary sources push"`);
  return parseOpml(new TextDecoder('utf-8').decode(bytes));
}
