/** The sources list the read commands use: `--sources FILE` when given, else the copy in the bucket the pipeline last ran on, else the local file. */
import { readFile } from 'node:fs/promises';
import { SourcesError } from '../../shared/errors';
import { UsageError } from '../args';
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

/** The sources a command works on: all of them, or only `onlyId` (a UsageError when there is no such source). */
export async function selectSources(rt: Runtime, file: string | undefined, fallbackFile: string, onlyId: string | undefined): Promise<Source[]> {
  const sources = await sourcesForCli(rt, file, fallbackFile);
  if (onlyId === undefined) return sources;
  const chosen = sources.filter((s) => s.id === onlyId);
  if (chosen.length === 0) throw new UsageError(`no source "${onlyId}" in the sources file`);
  return chosen;
}
