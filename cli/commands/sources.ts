/** `tributary sources list|add|remove|import|export`: edits the sources OPML file. */
import { readFile, writeFile } from 'node:fs/promises';
import { loadConfig } from '../../shared/config';
import { SourcesError } from '../../shared/errors';
import { S3BlobStore } from '../../shared/store/blobs';
import { createClients, destroyClients } from '../../shared/store/clients';
import { addSource, importSources, removeSource } from '../../shared/sources/edit';
import { parseOpml, serializeOpml, type SourceList } from '../../shared/sources/opml';
import { parseCommand, UsageError } from '../args';

/** Help text of the command. */
export const SOURCES_HELP = `Usage: tributary sources <list|add|remove|import|export> [options]

  list                         list the sources (id, tags, URL, title)
  add URL [--id ID] [--title T] [--tag T ...] [--site URL]
                               add a feed
  remove ID|URL                remove a feed
  import FILE.opml             add the feeds of another reader's OPML export (known URLs are skipped)
  export                       print the sources as OPML 2.0
  push                         upload the sources file to the deployed bucket (TRIBUTARY_BUCKET,
                               TRIBUTARY_SOURCES_KEY; AWS credentials from the usual chain)

Options:
  --sources FILE   the sources file (default sources/sources.opml, or TRIBUTARY_SOURCES_FILE)
  --json           list as JSON
`;

async function readList(file: string): Promise<SourceList> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { title: 'Tributary sources', sources: [] };
    throw new SourcesError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseOpml(text);
}

/** Uploads the (validated) sources file to the configured bucket, where the scheduler reads it. */
async function pushToBucket(file: string, count: number): Promise<string> {
  const config = loadConfig();
  const clients = createClients(config);
  try {
    await new S3BlobStore(clients.s3, config.bucketName).put(config.sourcesKey, await readFile(file), { contentType: 'text/x-opml; charset=utf-8' });
  } finally {
    destroyClients(clients);
  }
  return `pushed ${count} sources to s3://${config.bucketName}/${config.sourcesKey}`;
}

/** Runs the sources command; returns the lines to print. */
export async function sourcesCommand(argv: string[], defaultFile: string): Promise<string[]> {
  const { values, positionals } = parseCommand(argv, {
    id: { type: 'string' },
    title: { type: 'string' },
    tag: { type: 'string', multiple: true },
    site: { type: 'string' },
  });
  if (values.help) return [SOURCES_HELP];
  const file = values.sources ?? defaultFile;
  const [action, arg] = positionals;
  const list = await readList(file);
  const save = (next: SourceList) => writeFile(file, serializeOpml(next));
  switch (action) {
    case 'list':
    case undefined:
      if (values.json) return [JSON.stringify(list.sources, null, 2)];
      return list.sources.map((s) => `${s.id.padEnd(24)} ${(s.tags.join(',') || '-').padEnd(18)} ${s.url}  ${s.title}`);
    case 'add': {
      if (!arg) throw new UsageError('sources add needs a feed URL');
      const { list: next, added } = addSource(list, { url: arg, id: values.id, title: values.title, tags: values.tag, siteUrl: values.site });
      await save(next);
      return [`added ${added.id} ${added.url}`];
    }
    case 'remove': {
      if (!arg) throw new UsageError('sources remove needs a source id or URL');
      const { list: next, removed } = removeSource(list, arg);
      await save(next);
      return [`removed ${removed.id} ${removed.url}`];
    }
    case 'import': {
      if (!arg) throw new UsageError('sources import needs an OPML file');
      const imported = parseOpml(await readFile(arg, 'utf8').catch((err) => {
        throw new SourcesError(`cannot read ${arg}: ${(err as Error).message}`, { cause: err });
      }));
      const { list: next, added, skipped } = importSources(list, imported.sources);
      await save(next);
      return [`imported ${added.length} sources, skipped ${skipped.length} already present`];
    }
    case 'export':
      return [serializeOpml(list).trimEnd()];
    case 'push':
      return [await pushToBucket(file, list.sources.length)];
    default:
      throw new UsageError(`unknown sources action "${action}" (list, add, remove, import, export, push)`);
  }
}
