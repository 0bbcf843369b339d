/**
 * The `feedparser` suite: every row of feedparser/expectations.jsonl whose file exists, run through
 * Tributary's decode → parse → normalise (in an isolated worker with a time limit) and compared with
 * the mapping in feedparser/field-map.ts. Files with `Header:` lines are served over loopback and
 * fetched with `fetchFeed`, so their headers reach decode and parse as in production.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeFetchAgents, fetchFeed } from '../../shared/fetch';
import { describeError } from '../../shared/errors';
import { declaredHeaders, readJsonLines } from '../corpus';
import { lookupIn, type TributaryOutput } from '../feedparser/field-map';
import { evaluateRow, pathFamily, rowParts, type ExpectationRow } from '../feedparser/rows';
import { isSanitizingRow, rowSkipReason } from '../feedparser/skips';
import type { IsolatedPool } from '../isolate';
import { loopbackFetchSettings, startLoopback, type ServedDocument } from '../loopback';
import type { PipelineOutput, PipelineTask } from '../pipeline';
import { fail, newSuite, pass, skip, type SuiteResult } from '../report';

/** The origin feedparser's own test server used; expectations of HTTP cases name it. */
const FEEDPARSER_ORIGIN = 'http://127.0.0.1:8097';

/** Target from the issue: ≥ 97 % of non-skipped rows. */
const TARGET = 0.97;

/** Groups rows by file, keeping file order. */
function byFile(rows: readonly ExpectationRow[]): Map<string, ExpectationRow[]> {
  const out = new Map<string, ExpectationRow[]>();
  for (const row of rows) out.set(row.file, [...(out.get(row.file) ?? []), row]);
  return out;
}

/** Response headers for a served file: its `Header:` lines, with the row's Content-Type as the harness sent it. */
function servedHeaders(bytes: Uint8Array, row: ExpectationRow): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(declaredHeaders(bytes))) {
    if (name.toLowerCase() !== 'content-type') headers[name] = v;
  }
  for (const [name, v] of Object.entries(row.http?.headers ?? {})) headers[name] = v;
  const contentType = row.http?.content_type ?? declaredHeaders(bytes)['Content-type'];
  if (contentType) headers['Content-Type'] = contentType;
  return headers;
}

/** A URL on our loopback origin rewritten to feedparser's test origin (only the port can differ). */
function asFeedparserUrl(url: string, origin: string): string {
  return url.startsWith(origin) ? FEEDPARSER_ORIGIN + url.slice(origin.length) : url;
}

/** Runs the suite; `pool` runs the pipeline per file with a time limit. */
export async function runFeedparserSuite(corpus: string, pool: IsolatedPool<PipelineTask, PipelineOutput>): Promise<SuiteResult> {
  const suite = newSuite('feedparser', TARGET);
  const root = join(corpus, 'feedparser');
  const rows = readJsonLines<ExpectationRow>(join(root, 'expectations.jsonl'));
  const files = byFile(rows.filter((r) => existsSync(join(root, r.file))));
  const missing = rows.filter((r) => !existsSync(join(root, r.file))).length;
  if (missing > 0) suite.notes.push(`${missing} rows name files absent from the corpus (not counted)`);

  const served = new Map<string, ServedDocument>();
  for (const [file, fileRows] of files) {
    const httpRow = fileRows.find((r) => r.http);
    if (!httpRow?.http) continue;
    const bytes = readFileSync(join(root, file));
    served.set(new URL(httpRow.http.url).pathname, { body: bytes, headers: servedHeaders(bytes, httpRow) });
  }
  const loopback = await startLoopback(served, 8097);
  const settings = loopbackFetchSettings(loopback.host);
  const fetchedAt = new Date().toISOString();
  let httpFiles = 0;

  try {
    for (const [file, fileRows] of files) {
      const live = fileRows.filter((r) => {
        const reason = rowSkipReason(r);
        if (reason) skip(suite, reason);
        return reason === undefined;
      });
      if (live.length === 0) continue;
      const httpRow = live.find((r) => r.http) ?? fileRows.find((r) => r.http);
      const harnessUrl = `${FEEDPARSER_ORIGIN}/${file}`;
      let task: PipelineTask = { bytes: readFileSync(join(root, file)), feedUrl: harnessUrl, fetchedAt };
      const out: TributaryOutput = {};
      if (httpRow?.http) {
        httpFiles += 1;
        const path = new URL(httpRow.http.url).pathname;
        try {
          const res = await fetchFeed({ url: loopback.origin + path }, settings);
          if (res.kind !== 'ok') throw new Error(`unexpected ${res.status}`);
          const docUrl = asFeedparserUrl(res.finalUrl, loopback.origin);
          task = {
            bytes: res.body, contentType: res.contentType, url: docUrl, feedUrl: docUrl, fetchedAt,
            ...(res.contentLocation ? { contentLocation: res.contentLocation } : {}),
            ...(res.contentLanguage ? { contentLanguage: res.contentLanguage } : {}),
          };
          out.http = { etag: res.etag, lastModified: res.lastModified };
        } catch (err) {
          for (const r of live) fail(suite, `loopback fetch failed`, `${file}: ${describeError(err)}`);
          continue;
        }
      }
      const outcome = await pool.run(task);
      if (outcome.kind !== 'done') {
        const what = outcome.kind === 'hang' ? 'hang (time limit)' : `worker ${outcome.kind}`;
        for (const r of live) fail(suite, what, `${file} ${r.canonical_path}`);
        continue;
      }
      Object.assign(out, outcome.value);
      const lookup = lookupIn(out);
      for (const row of live) {
        const verdict = evaluateRow(row, lookup, isSanitizingRow(row));
        if (verdict.verdict === 'pass') pass(suite);
        else if (verdict.verdict === 'skip') skip(suite, verdict.reason);
        else {
          const failure = out.failure ? ` [${out.failure.stage}: ${out.failure.message.slice(0, 60)}]` : '';
          fail(suite, `${pathFamily(rowParts(row))}: ${verdict.cause}`, `${file.replace(/^.*?tests\//, '')} — ${verdict.detail}${failure}`);
        }
      }
    }
  } finally {
    await closeFetchAgents();
    await loopback.close();
  }
  suite.notes.push(`${files.size} files, ${httpFiles} served over loopback ${loopback.origin}` +
    (loopback.origin === FEEDPARSER_ORIGIN ? '' : ` (URLs rewritten to ${FEEDPARSER_ORIGIN}, feedparser's test origin)`));
  return suite;
}
