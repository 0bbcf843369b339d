/**
 * The `realworld` and `feedvalidator` suites: every file must parse or fail with a typed TributaryError
 * (no other exception), finish within the per-file time limit (isolated worker), and give no U+FFFD in
 * item text when its bytes are valid in the charset used or declared; realworld also checks the strings
 * in miniflux/EXPECTATIONS.json. Also measures single-thread throughput on the realworld corpus.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { textOf } from '../../shared/normalise';
import { isGzip, listFiles, readJson } from '../corpus';
import type { IsolatedPool } from '../isolate';
import { runPipeline, type PipelineOutput, type PipelineTask } from '../pipeline';
import { fail, newSuite, pass, type SuiteResult } from '../report';

/** Targets from the issue: no crash, no hang, no U+FFFD, i.e. every file. */
const TARGET = 1;

/** One miniflux expectation (miniflux/EXPECTATIONS.json). */
interface MinifluxExpectation {
  decoded_contains?: string;
  content_type?: string;
  fields?: Record<string, string | number>;
}

/**
 * miniflux drops bytes that are not UTF-8 in a file declared UTF-8 ("Anas"); Tributary instead falls back to
 * a single-byte reading and recovers them ("Anaïs"), which is the text the bytes mean. Both are accepted.
 */
const RECOVERED_ALTERNATIVES: Record<string, Record<string, string>> = {
  'xml/testdata/iso88591_utf8_mismatch.xml': { to: 'Anaïs', from: 'Jürgen' },
};

/** Files that finished in time in the last realworld run, for the throughput measurement. */
const completedRealworld: PipelineTask[] = [];

/** True when `bytes` decode without error in `label` (WHATWG fatal decoder); false for unknown labels. */
export function validIn(bytes: Uint8Array, label: string | undefined): boolean {
  if (!label) return false;
  try {
    new TextDecoder(label, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The item strings a reader sees. */
function itemStrings(out: PipelineOutput): string[] {
  return (out.drafts ?? []).flatMap((d) => [
    d.title, d.summaryText, d.contentText, d.summaryHtml, d.contentHtml, ...d.categories,
    ...d.authors.flatMap((a) => [a.name, a.email]),
  ]).filter((s): s is string => typeof s === 'string');
}

/** Why a U+FFFD in item text is a fault: the bytes are valid in the encoding used or declared, and hold none. */
export function replacementCharFault(bytes: Uint8Array, out: PipelineOutput): string | undefined {
  if (!itemStrings(out).some((s) => s.includes('\uFFFD'))) return undefined;
  const labels = [out.decoded?.encoding, out.decoded?.declared].filter((l): l is string => l !== undefined);
  const valid = labels.find((l) => validIn(bytes, l));
  if (!valid) return undefined;
  const text = new TextDecoder(valid).decode(bytes);
  if (text.includes('\uFFFD') || /&#(?:65533|x0*fffd);/i.test(text)) return undefined;
  return `U+FFFD in item text though the bytes are valid ${valid}`;
}

/** Checks one miniflux expectation against the output; undefined when it holds. */
function minifluxProblem(key: string, want: MinifluxExpectation, out: PipelineOutput): string | undefined {
  const text = out.decoded?.text ?? '';
  if (want.decoded_contains !== undefined && !text.includes(want.decoded_contains)) {
    return `decoded text lacks ${JSON.stringify(want.decoded_contains)} (used ${out.decoded?.encoding})`;
  }
  for (const [field, expected] of Object.entries(want.fields ?? {})) {
    let got: string | number | undefined;
    if (field === 'channel.title') got = textOf(out.parsed?.title);
    else if (field === 'channel.description') got = textOf(out.parsed?.subtitle);
    else if (field === 'items.length') got = out.parsed?.entries.length;
    else {
      const alternative = RECOVERED_ALTERNATIVES[key]?.[field];
      const found = text.includes(`<${field}>${expected}</${field}>`) || (alternative !== undefined && text.includes(`<${field}>${alternative}</${field}>`));
      if (!found) return `decoded <${field}> is not ${JSON.stringify(expected)}`;
      continue;
    }
    if (got !== expected) return `${field}: want ${JSON.stringify(expected)} got ${JSON.stringify(got)}`;
  }
  return undefined;
}

/** The files of a suite, relative to its folder. */
function suiteFiles(suite: 'realworld' | 'feedvalidator', dir: string): string[] {
  if (suite === 'feedvalidator') return listFiles(join(dir, 'testcases')).map((f) => join('testcases', f));
  const index = readJson<{ file: string }[]>(join(dir, 'INDEX.json'));
  return index ? index.map((e) => e.file) : listFiles(dir).filter((f) => /\.(xml|rss|atom|html?|json)$/i.test(f));
}

/** Runs the realworld or feedvalidator suite. */
export async function runRobustnessSuite(name: 'realworld' | 'feedvalidator', corpus: string, pool: IsolatedPool<PipelineTask, PipelineOutput>): Promise<SuiteResult> {
  const suite = newSuite(name, TARGET);
  const dir = join(corpus, name);
  const expectations = name === 'realworld' ? (readJson<Record<string, MinifluxExpectation>>(join(dir, 'miniflux', 'EXPECTATIONS.json')) ?? {}) : {};
  const files = suiteFiles(name, dir);
  const fetchedAt = new Date().toISOString();
  const counts = { crash: 0, hang: 0, fffd: 0, typedErrors: 0, gunzipped: 0, items: 0 };
  if (name === 'realworld') completedRealworld.length = 0;

  const outcomes = await Promise.all(files.map(async (file) => {
    let bytes: Uint8Array = readFileSync(join(dir, file));
    // A gzip body arrives with Content-Encoding and is undone by the fetch stage before decode.
    if (isGzip(bytes)) {
      bytes = gunzipSync(bytes);
      counts.gunzipped += 1;
    }
    const key = file.replace(/^miniflux\//, '');
    const want = file.startsWith('miniflux/') ? expectations[key] : undefined;
    const url = `https://${name}.test/${file}`;
    const task: PipelineTask = { bytes, url, feedUrl: url, fetchedAt };
    if (want?.content_type) task.contentType = want.content_type;
    return { file, key, want, task, outcome: await pool.run(task) };
  }));

  for (const { file, key, want, task, outcome } of outcomes) {
    if (outcome.kind === 'hang') {
      counts.hang += 1;
      fail(suite, 'hang (over the per-file time limit)', file);
      continue;
    }
    if (outcome.kind !== 'done') {
      counts.crash += 1;
      fail(suite, `crash (worker ${outcome.kind})`, `${file}: ${outcome.message}`);
      continue;
    }
    const out = outcome.value;
    if (name === 'realworld') completedRealworld.push(task);
    if (out.failure && !out.failure.typed) {
      counts.crash += 1;
      fail(suite, `crash: untyped ${out.failure.name} in ${out.failure.stage}`, `${file}: ${out.failure.message.slice(0, 100)}`);
      continue;
    }
    if (out.failure) counts.typedErrors += 1;
    counts.items += out.drafts?.length ?? 0;
    const fffd = replacementCharFault(task.bytes, out);
    if (fffd) {
      counts.fffd += 1;
      fail(suite, 'U+FFFD in item text', `${file}: ${fffd}`);
      continue;
    }
    const problem = want ? minifluxProblem(key, want, out) : undefined;
    if (problem) fail(suite, 'miniflux expectation', `${file}: ${problem}`);
    else pass(suite);
  }
  suite.notes.push(
    `${files.length} files: ${counts.crash} crashes, ${counts.hang} hangs, ${counts.fffd} with U+FFFD, ` +
      `${counts.typedErrors} typed errors (allowed), ${counts.items} items, ${counts.gunzipped} gzip bodies unzipped first`,
  );
  return suite;
}

/** Decode+parse+normalise throughput (single thread, after a warm-up pass) on the realworld files that finished in time. */
export function measureThroughput(): string {
  if (completedRealworld.length === 0) return 'throughput: not measured (run the realworld suite)';
  const fetchedAt = new Date().toISOString();
  const pass = (): { bytes: number; items: number; ms: number } => {
    let bytes = 0;
    let items = 0;
    const started = process.hrtime.bigint();
    for (const task of completedRealworld) {
      const out = runPipeline({ ...task, fetchedAt });
      bytes += task.bytes.length;
      items += out.drafts?.length ?? 0;
    }
    return { bytes, items, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  };
  pass();
  const { bytes, items, ms } = pass();
  const seconds = ms / 1000;
  return `throughput (realworld, ${completedRealworld.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${items} items, single thread, after warm-up): ` +
    `${(bytes / 1e6 / seconds).toFixed(2)} MB/s, ${Math.round(items / seconds)} items/s (${ms.toFixed(0)} ms)`;
}
