/**
 * `tributary extract URL|FILE`: what the article extractor makes of one page — title, byline,
 * published date, lead image and body text. A URL is fetched under the fetch guard (`--allow-host`
 * lets it reach a loopback or private host); a FILE is read from disk, its links resolved against
 * `--url` (default: the file's own file: URL).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../shared/config';
import { decodeFeed } from '../../shared/decode';
import { extractArticle, type ExtractedArticle } from '../../shared/extract';
import { fetchPage } from '../../shared/fetch';
import { MAX_PAGE_BYTES } from '../../shared/pipeline/capture';
import { allowHostsFrom, parseCommand, UsageError } from '../args';

/** Help text of `extract`. */
export const EXTRACT_HELP = `Usage: tributary extract URL|FILE [--json] [--url BASE] [--allow-host HOST[:PORT]]

Prints what the article extractor makes of one web page: title, byline, published date, lead
image, language, site name, and the body text (paragraphs separated by blank lines).
  URL                     fetched with the same guard and limits as article capture
  FILE                    an HTML file on disk
  --url BASE              the page's address, for resolving a FILE's relative links
  --allow-host HOST:PORT  let the fetch guard reach this private/loopback host (repeatable)
  --json                  print one JSON object instead
`;

const EXTRACT_OPTIONS = { url: { type: 'string' } } as const;

/** What `extract` reports for one page. */
export interface ExtractReport extends Omit<ExtractedArticle, 'html'> {
  url: string;
  words: number;
}

/** Reads or fetches the page and extracts it. */
export async function extractTarget(target: string, options: { base?: string; allowHosts: string[] }): Promise<ExtractReport> {
  let bytes: Uint8Array;
  let contentType: string | undefined;
  let url: string;
  if (/^https?:\/\//i.test(target)) {
    const settings = loadConfig().fetch;
    const page = await fetchPage(target, { ...settings, allowHosts: [...settings.allowHosts, ...options.allowHosts] }, { maxBytes: MAX_PAGE_BYTES });
    bytes = page.body;
    contentType = page.contentType;
    url = page.finalUrl;
  } else {
    const path = resolve(target);
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new UsageError(`cannot read ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    url = options.base ?? pathToFileURL(path).href;
  }
  const { html: _html, text, ...meta } = extractArticle(decodeFeed(bytes, contentType).text, url);
  return { url, ...meta, words: text.split(/\s+/).filter(Boolean).length, text };
}

/** The report as lines: labelled metadata, a blank line, the text. */
export function formatExtract(r: ExtractReport): string[] {
  const fields: [string, string | undefined][] = [
    ['url', r.url], ['title', r.title], ['byline', r.byline], ['published', r.published], ['image', r.leadImage],
    ['lang', r.lang], ['site', r.siteName], ['words', String(r.words)],
  ];
  const lines = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${`${k}:`.padEnd(11)}${v}`);
  return [...lines, '', r.text || '(no article text found)'];
}

/** Runs `tributary extract`. */
export async function extractCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values, positionals } = parseCommand(argv, EXTRACT_OPTIONS);
  if (values.help) return print(EXTRACT_HELP);
  if (positionals.length !== 1) throw new UsageError('extract takes one URL or FILE; try "tributary extract --help"');
  if (values.url !== undefined && !/^https?:\/\//i.test(values.url)) throw new UsageError(`--url takes an absolute http(s) URL, got "${values.url}"`);
  const report = await extractTarget(positionals[0] as string, { base: values.url, allowHosts: allowHostsFrom(values['allow-host']) });
  if (values.json) print(JSON.stringify(report, null, 2));
  else for (const line of formatExtract(report)) print(line);
}
