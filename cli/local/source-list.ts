/** The sources list the read commands use: `--sources FILE` when given, else the copy in the bucket the pipeline last ran on, else the local file. */
import { readFile } from 'node:fs/promises';
import { SourcesError } from '../../shared/errors';
import type { Source } from '../../shared/model';
import type { Runtime } from '../../shared/runtime';
import { loadSourceList } from '../../shared/sources/load';
import { parseOpml } from '../../shared/sources/opml';

/** Reads an OPML file; a missing or unreadable file is a SourcesError naming it. */
async function fromFile(file: string): Promise<Source[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SourcesError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseOpml(text).sources;
}

/** The sources: from `file` when given; else from the bucket; else from `fallbackFile` (nothing has run yet). */
export async function sourcesForCli(rt: Runtime, file: string | undefined, fallbackFile: string): Promise<Source[]> {
  if (file !== undefined) return fromFile(file);
  if (await rt.blobs.get(rt.config.sourcesKey)) return (await loadSourceList(rt.blobs, rt.config.sourcesKey)).sources;
  return fromFile(fallbackFile);
}
