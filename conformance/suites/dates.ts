/**
 * The `dates` suite: feedparser/dates.jsonl and gofeed/dates.jsonl through normalise's date parsers, compared at
 * second precision; an expected null means the string must be rejected. feedparser's rows name the handler they
 * test on its own (`parser`); its `w3dtf` rows go to Tributary's W3C-DTF reader (`parseW3cDtf`), every other row
 * to `parseDate`, which, like feedparser's `_parse_date`, tries every format in turn.
 */
import { join } from 'node:path';
import { parseDate, parseW3cDtf, toIsoUtc } from '../../shared/normalise/dates';
import { readJsonLines } from '../corpus';
import { brief, fail, newSuite, pass, type SuiteResult } from '../report';

/** One date vector: the raw string and the UTC instant it names (null: not a date). */
export interface DateVector {
  input: string;
  expected_utc: string | null;
  /** feedparser's rows: the date handler the row tests on its own (`w3dtf`, `iso8601`, `rfc822`, …). */
  parser?: string;
}

/** Target from the issue: every vector. */
const TARGET = 1;

/** `2004-07-11T17:00:00.000Z` → `2004-07-11T17:00:00Z` (second precision). */
export function toSecond(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Checks one vector; undefined when it passes, else the failure cause and detail. */
export function checkDate(v: DateVector): { cause: string; detail: string } | undefined {
  let got: string | undefined;
  try {
    const d = (v.parser === 'w3dtf' ? parseW3cDtf : parseDate)(v.input);
    got = d ? toSecond(toIsoUtc(d)) : undefined;
  } catch (err) {
    return { cause: 'parseDate threw', detail: `${brief(v.input)}: ${String(err)}` };
  }
  if (v.expected_utc === null) {
    return got === undefined ? undefined : { cause: 'accepted a non-date', detail: `${brief(v.input)} → ${got}` };
  }
  const want = toSecond(v.expected_utc);
  if (got === undefined) return { cause: 'rejected a valid date', detail: `${brief(v.input)} want ${want}` };
  return got === want ? undefined : { cause: 'wrong instant', detail: `${brief(v.input)} want ${want} got ${got}` };
}

/** Runs the suite over both vector files. */
export function runDatesSuite(corpus: string): SuiteResult {
  const suite = newSuite('dates', TARGET);
  for (const [origin, file] of [['feedparser', 'feedparser/dates.jsonl'], ['gofeed', 'gofeed/dates.jsonl']] as const) {
    const vectors = readJsonLines<DateVector>(join(corpus, file));
    const w3dtf = vectors.filter((v) => v.parser === 'w3dtf').length;
    suite.notes.push(`${vectors.length} vectors from ${file}${w3dtf ? ` (${w3dtf} w3dtf rows through parseW3cDtf)` : ''}`);
    for (const v of vectors) {
      const problem = checkDate(v);
      if (!problem) pass(suite);
      else fail(suite, `${origin}${v.parser ? `/${v.parser}` : ''}: ${problem.cause}`, problem.detail);
    }
  }
  return suite;
}
