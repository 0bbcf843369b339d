/**
 * `npm run conformance [-- --json] [--corpus DIR] [--suite NAME] [--top N]`: runs Tributary's own decode,
 * parse and normalise over the external corpora and prints, per suite, passed / failed / skipped and the
 * rate, then the worst failures grouped by cause. Exits 0 even when targets are missed (it is a report);
 * non-zero only when the runner itself fails.
 */
import { corpusPresent, locateCorpus } from './corpus';
import { IsolatedPool } from './isolate';
import type { PipelineOutput, PipelineTask } from './pipeline';
import { formatSuiteDetail, formatTable, jsonSummary, type SuiteResult } from './report';
import { runDatesSuite } from './suites/dates';
import { runFeedparserSuite } from './suites/feedparser';
import { runGofeedTranslatorSuite, runRssParserSuite } from './suites/goldens';
import { runRobustnessSuite, measureThroughput } from './suites/robustness';
import { runExtractionSuite } from './suites/extraction';
import { runClusteringSuite } from './suites/clustering';

/** Per-file time limit for the isolated pipeline run. */
const FILE_TIME_LIMIT_MS = 5_000;

/** The suites, in report order. */
export const SUITE_NAMES = ['feedparser', 'dates', 'rss-parser', 'gofeed-translator', 'realworld', 'feedvalidator', 'extraction', 'clustering'] as const;

/** Parsed command-line options. */
export interface RunOptions {
  json: boolean;
  corpus?: string;
  suite?: string;
  top: number;
  throughput: boolean;
}

/** Parses argv (without node and script); throws on unknown flags. */
export function parseArgs(argv: readonly string[]): RunOptions {
  const opts: RunOptions = { json: false, top: 8, throughput: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') opts.json = true;
    else if (arg === '--corpus') opts.corpus = next();
    else if (arg === '--suite') opts.suite = next();
    else if (arg === '--top') opts.top = Math.max(1, Number(next()) || 8);
    else if (arg === '--no-throughput') opts.throughput = false;
    else throw new Error(`unknown argument ${arg} (use --json, --corpus DIR, --suite NAME, --top N, --no-throughput)`);
  }
  if (opts.suite !== undefined && !(SUITE_NAMES as readonly string[]).includes(opts.suite)) {
    throw new Error(`unknown suite ${opts.suite}; one of ${SUITE_NAMES.join(', ')}`);
  }
  return opts;
}

async function runSuite(name: string, corpus: string, pool: IsolatedPool<PipelineTask, PipelineOutput>): Promise<SuiteResult> {
  switch (name) {
    case 'feedparser': return runFeedparserSuite(corpus, pool);
    case 'dates': return runDatesSuite(corpus);
    case 'rss-parser': return runRssParserSuite(corpus, pool);
    case 'gofeed-translator': return runGofeedTranslatorSuite(corpus, pool);
    case 'realworld': return runRobustnessSuite('realworld', corpus, pool);
    case 'feedvalidator': return runRobustnessSuite('feedvalidator', corpus, pool);
    case 'extraction': return runExtractionSuite(corpus);
    case 'clustering': return runClusteringSuite();
    default: throw new Error(`unknown suite ${name}`);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const opts = parseArgs(argv);
  const corpus = locateCorpus(opts.corpus);
  if (!corpusPresent(corpus)) {
    console.log(`skipped: no corpus at ${corpus} (set --corpus DIR or TRIBUTARY_CORPORA)`);
    if (opts.json) console.log(JSON.stringify({ suites: {} }));
    return;
  }
  console.log(`corpus: ${corpus}`);
  const pool = new IsolatedPool<PipelineTask, PipelineOutput>(new URL('./worker.ts', import.meta.url), {
    timeoutMs: FILE_TIME_LIMIT_MS,
    size: 4,
  });
  const results: SuiteResult[] = [];
  try {
    for (const name of opts.suite ? [opts.suite] : SUITE_NAMES) {
      const started = Date.now();
      const result = await runSuite(name, corpus, pool);
      result.notes.push(`ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      results.push(result);
    }
  } finally {
    await pool.close();
  }
  console.log('');
  console.log(formatTable(results));
  for (const r of results) {
    console.log('');
    console.log(formatSuiteDetail(r, opts.top, 3));
  }
  if (opts.throughput && (!opts.suite || opts.suite === 'realworld')) {
    console.log('');
    console.log(measureThroughput());
  }
  if (opts.json) console.log(jsonSummary(results));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`conformance runner failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(2);
});
