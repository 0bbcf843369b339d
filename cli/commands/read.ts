/** `tributary items` and `tributary feed`: read what the local stores hold. */
import { parseItemListQuery } from '../../shared/api/query';
import { loadLocalSettings } from '../../shared/config';
import { FEED_FILES } from '../../shared/publish';
import { newestOfSources, sourcesWithTag, tagSlug } from '../../shared/publish/select';
import { isValidSourceId } from '../../shared/sources/opml';
import { parseCommand, UsageError } from '../args';
import { sourcesForCli } from '../local/source-list';
import { renderSourceFeed } from '../../shared/api/source-feed';
import { startLocalStack } from '../local/stack';

/** Help text of `items`. */
export const ITEMS_HELP = `Usage: tributary items [--source ID | --tag T | --story ID] [--since 2d|ISO] [--until ISO] [--limit N] [--cursor C] [--json] [--data DIR]

Lists the newest stored items (newest first). Durations: 30m, 12h, 2d, 1w.
  --story ID      the items of one story (one per outlet), in arrival order
  --tag T         only the items of the sources tagged T in the sources file (--sources FILE,
                  else the file the pipeline last ran on, else sources/sources.opml)
`;

/** Help text of `feed`. */
export const FEED_HELP = `Usage: tributary feed [--format rss|atom|json] [--tag T | --source ID] [--data DIR]

Prints a feed as last published: the combined feed, or with --tag the feed of one tag
(feeds/tags/<tag>.*), or with --source the feed of one source (rendered on demand, as the API serves it).
`;

/** Lists stored items. */
export async function itemsCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseCommand(argv, {
    source: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    tag: { type: 'string' },
    story: { type: 'string' },
  });
  if (values.help) return print(ITEMS_HELP);
  if (values.story !== undefined && (values.source !== undefined || values.tag !== undefined)) throw new UsageError('--story cannot be combined with --source or --tag');
  const params = new URLSearchParams();
  for (const key of ['source', 'tag', 'since', 'until', 'limit', 'cursor'] as const) if (values[key] !== undefined) params.set(key, values[key] as string);
  const { query, tag } = parseItemListQuery(params);
  const settings = loadLocalSettings();
  const stack = await startLocalStack({ dataDir: values.data ?? settings.dataDir, allowHosts: [] });
  try {
    let page;
    if (values.story !== undefined) {
      const members = await stack.runtime.stories.members(values.story);
      if (members.length === 0) throw new UsageError(`no story "${values.story}"`);
      const found = await stack.runtime.items.getItems(members.map((m) => m.itemId));
      page = { items: members.flatMap((m) => { const it = found.get(m.itemId); if (!it) return []; const { version: _v, ...item } = it; return [item]; }) };
    } else if (tag === undefined) {
      page = await stack.runtime.items.newest(query);
    } else {
      const tagged = sourcesWithTag(await sourcesForCli(stack.runtime, values.sources, settings.sourcesFile), tag);
      if (tagged.length === 0) throw new UsageError(`no source is tagged "${tag}"`);
      page = await newestOfSources(stack.runtime.items, tagged.map((s) => s.id), query);
    }
    if (values.json) return print(JSON.stringify(page));
    for (const i of page.items) print(`${i.sortDate.slice(0, 16).replace('T', ' ')}  ${i.sourceIds.join('+').padEnd(28)} ${i.title}${i.url ? `  <${i.url}>` : ''}`);
    if (page.cursor) print(`more: --cursor ${page.cursor}`);
  } finally {
    await stack.close();
  }
}

/** Prints the published combined feed. */
export async function feedCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseCommand(argv, { format: { type: 'string' }, tag: { type: 'string' }, source: { type: 'string' } });
  if (values.help) return print(FEED_HELP);
  const format = (values.format ?? 'rss') as keyof typeof FEED_FILES;
  if (!(format in FEED_FILES)) throw new UsageError(`--format must be rss, atom or json; got "${values.format}"`);
  if (values.tag !== undefined && values.source !== undefined) throw new UsageError('give either --tag or --source, not both');
  if (values.source !== undefined && !isValidSourceId(values.source)) throw new UsageError(`--source must be a source id; got "${values.source}"`);
  const path = values.tag !== undefined ? `tags/${tagSlug(values.tag)}` : 'feed';
  const settings = loadLocalSettings();
  const stack = await startLocalStack({ dataDir: values.data ?? settings.dataDir, allowHosts: [] });
  try {
    if (values.source !== undefined) {
      // A source's feed is rendered on demand, as the API does (it is not published as a file).
      const sources = await sourcesForCli(stack.runtime, undefined, settings.sourcesFile);
      const source = sources.find((s) => s.id === values.source);
      if (!source) throw new UsageError(`no source "${values.source}" in the sources file`);
      print((await renderSourceFeed(stack.runtime, source, sources, format)).trimEnd());
      return;
    }
    const body = await stack.runtime.blobs.get(`${stack.config.publishPrefix}${path}${FEED_FILES[format].ext}`);
    if (!body) {
      if (path === 'feed') throw new UsageError('no feed published yet: run "tributary run --once" first');
      throw new UsageError(`no feed published at ${path}${FEED_FILES[format].ext}: no such tag, or no cycle has run since it was added`);
    }
    print(new TextDecoder().decode(body).trimEnd());
  } finally {
    await stack.close();
  }
}
