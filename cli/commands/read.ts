/** `tributary items` and `tributary feed`: read what the local stores hold. */
import { parseItemQuery } from '../../shared/api/query';
import { loadLocalSettings } from '../../shared/config';
import { FEED_FILES } from '../../shared/publish';
import { parseCommand, UsageError } from '../args';
import { startLocalStack } from '../local/stack';

/** Help text of `items`. */
export const ITEMS_HELP = `Usage: tributary items [--source ID] [--since 2d|ISO] [--until ISO] [--limit N] [--cursor C] [--json] [--data DIR]

Lists the newest stored items (newest first). Durations: 30m, 12h, 2d, 1w.
`;

/** Help text of `feed`. */
export const FEED_HELP = `Usage: tributary feed [--format rss|atom|json] [--data DIR]

Prints the combined feed as last published.
`;

/** Lists stored items. */
export async function itemsCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseCommand(argv, {
    source: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
  });
  if (values.help) return print(ITEMS_HELP);
  const params = new URLSearchParams();
  for (const key of ['source', 'since', 'until', 'limit', 'cursor'] as const) if (values[key] !== undefined) params.set(key, values[key] as string);
  const query = parseItemQuery(params);
  const stack = await startLocalStack({ dataDir: values.data ?? loadLocalSettings().dataDir, allowHosts: [] });
  try {
    const page = await stack.runtime.items.newest(query);
    if (values.json) return print(JSON.stringify(page));
    for (const i of page.items) print(`${i.sortDate.slice(0, 16).replace('T', ' ')}  ${i.sourceIds.join('+').padEnd(28)} ${i.title}${i.url ? `  <${i.url}>` : ''}`);
    if (page.cursor) print(`more: --cursor ${page.cursor}`);
  } finally {
    await stack.close();
  }
}

/** Prints the published combined feed. */
export async function feedCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseCommand(argv, { format: { type: 'string' } });
  if (values.help) return print(FEED_HELP);
  const format = (values.format ?? 'rss') as keyof typeof FEED_FILES;
  if (!(format in FEED_FILES)) throw new UsageError(`--format must be rss, atom or json; got "${values.format}"`);
  const stack = await startLocalStack({ dataDir: values.data ?? loadLocalSettings().dataDir, allowHosts: [] });
  try {
    const body = await stack.runtime.blobs.get(`${stack.config.publishPrefix}feed${FEED_FILES[format].ext}`);
    if (!body) throw new UsageError('no feed published yet: run "tributary run --once" first');
    print(new TextDecoder().decode(body).trimEnd());
  } finally {
    await stack.close();
  }
}
