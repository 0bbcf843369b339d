/**
 * feedparser expectation rows (one assertion each, converted from the test files' `Expect:` lines) and
 * their evaluation against a value looked up in Tributary's output. Pure: the lookup is passed in.
 */
import { canonicalHtml, collapse, harmlessText, hasMarkup, htmlText, safeResourceUrls, sameHtml, unwrapDiv, unsafeParts } from '../canonical-html';
import { brief } from '../report';

/** One row of feedparser/expectations.jsonl (the fields the runner uses). */
export interface ExpectationRow {
  file: string;
  folder: string;
  description: string;
  expect: string;
  input: 'text' | 'bytes' | 'http';
  bozo_rule: string;
  path: string;
  canonical_path: string;
  canonical_candidates: (string | number)[][];
  path_parts: (string | number)[];
  op: string;
  value: unknown;
  http?: { url: string; content_type?: string; headers: Record<string, string> };
  python3_codec_available?: boolean;
  requires?: string;
  requires_codec?: string;
}

/** A text construct as Tributary renders it: sanitised HTML, its plain text, and the source type. */
export interface TextValue {
  html: string;
  text: string;
  type: 'text' | 'html' | 'xhtml';
  /** The markup as the feed gave it, before sanitising (for judging which text was harmless). */
  raw?: string;
}

/** What a path resolves to in Tributary's output. `equals` overrides plain comparison for that field. */
export type Resolved =
  | { kind: 'value'; value: unknown; equals?: (expected: unknown) => boolean }
  | { kind: 'text'; text: TextValue }
  | { kind: 'absent'; why?: string }
  | { kind: 'skip'; reason: string };

/** Looks a path (canonical parts) up in Tributary's output. */
export type Lookup = (parts: readonly (string | number)[]) => Resolved;

/** A row's verdict; `cause` groups failures in the report and `detail` shows what differed. */
export type Verdict =
  | { verdict: 'pass' }
  | { verdict: 'skip'; reason: string }
  | { verdict: 'fail'; cause: string; detail: string };

/** The path a row asserts on, as parts: the first canonical candidate, else the literal path. */
export function rowParts(row: ExpectationRow): (string | number)[] {
  return row.canonical_candidates[0] ?? row.path_parts;
}

/** The path with list indices blanked (`entries[].summary`), for grouping failures. */
export function pathFamily(parts: readonly (string | number)[]): string {
  if (parts.length === 0) return '<result>';
  return parts.map((p, i) => (typeof p === 'number' ? '[]' : i === 0 ? p : `.${p}`)).join('');
}

/** Loose equality of JSON-ish values: numbers equal their decimal strings, undefined equals null and ''. */
export function looseEqual(actual: unknown, expected: unknown): boolean {
  if (expected === null || expected === '') {
    if (actual === undefined || actual === null || actual === '') return true;
  }
  if (typeof actual === 'number' || typeof expected === 'number') return String(actual) === String(expected);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => looseEqual(actual[i], e));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(([k, v]) => looseEqual(a[k], v));
  }
  return actual === expected;
}

/** Compares an expected HTML/text string with a rendered text construct (canonical HTML, or plain text). */
export function textMatches(expected: string, actual: TextValue): boolean {
  if (sameHtml(actual.html, expected)) return true;
  // RFC 4287 §3.1.1.3: the xhtml:div around XHTML content is not part of it; feedparser keeps it.
  if (actual.type === 'xhtml' && sameHtml(actual.html, unwrapDiv(expected))) return true;
  if (actual.type === 'text' || !hasMarkup(expected)) {
    return collapse(actual.text) === collapse(expected) || collapse(actual.text) === htmlText(expected);
  }
  return false;
}

/** Judges a sanitising row: nothing executable may remain, and the harmless text and resources must. */
export function judgeSanitised(expected: string, actual: TextValue): Verdict {
  const unsafe = unsafeParts(actual.html);
  if (unsafe.length > 0) return { verdict: 'fail', cause: 'unsafe markup kept', detail: unsafe.slice(0, 3).join(', ') };
  // Harmless text: the expected words that the input shows outside script, iframe, object and the like.
  const harmless = new Set(harmlessText(actual.raw ?? expected).split(' '));
  const gotWords = new Set(`${htmlText(actual.html)} ${collapse(actual.text)}`.split(' '));
  const lost = htmlText(expected).split(' ').filter((w) => w !== '' && harmless.has(w) && !gotWords.has(w));
  if (lost.length > 0) {
    return { verdict: 'fail', cause: 'harmless text lost', detail: `lost ${brief(lost.join(' '))} from ${brief(htmlText(actual.html))}` };
  }
  const kept = canonicalHtml(actual.html);
  for (const url of safeResourceUrls(expected)) {
    if (!kept.includes(url.replace(/&/g, '&amp;'))) {
      return { verdict: 'fail', cause: 'harmless resource dropped', detail: `${url} missing from ${brief(actual.html)}` };
    }
  }
  return { verdict: 'pass' };
}

function shown(r: Resolved): string {
  if (r.kind === 'value') return brief(r.value);
  if (r.kind === 'text') return `${r.text.type}:${brief(canonicalHtml(r.text.html))}`;
  return r.kind === 'absent' ? `absent${r.why ? ` (${r.why})` : ''}` : 'skipped';
}

function isTruthy(r: Resolved): boolean {
  if (r.kind === 'text') return r.text.text !== '' || r.text.html !== '';
  if (r.kind !== 'value') return false;
  const v = r.value;
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Seconds since the epoch of an ISO date, or NaN. */
function epochSeconds(v: unknown): number {
  return typeof v === 'string' ? Math.floor(Date.parse(v) / 1000) : NaN;
}

function failed(cause: string, expected: unknown, actual: Resolved): Verdict {
  return { verdict: 'fail', cause, detail: `want ${brief(expected)} got ${shown(actual)}` };
}

/** Evaluates one row's op against the looked-up value; `sanitizing` judges HTML by what must be absent. */
export function evaluateRow(row: ExpectationRow, lookup: Lookup, sanitizing = false): Verdict {
  const actual = lookup(rowParts(row));
  if (actual.kind === 'skip') return { verdict: 'skip', reason: actual.reason };
  const v = row.value;
  const ok = (cond: boolean, cause: string): Verdict => (cond ? { verdict: 'pass' } : failed(cause, v, actual));
  switch (row.op) {
    case 'eq':
    case 'ne': {
      let equal: boolean;
      if (actual.kind === 'absent') equal = v === null || v === '';
      else if (actual.kind === 'text') {
        if (typeof v !== 'string') equal = false;
        else if (sanitizing && row.op === 'eq') return judgeSanitised(v, actual.text);
        else equal = textMatches(v, actual.text);
      } else equal = actual.equals ? actual.equals(v) : looseEqual(actual.value, v);
      if (row.op === 'ne') return ok(!equal, 'equal but must differ');
      const cause = actual.kind === 'absent' ? 'missing' : actual.kind === 'text' ? 'text/HTML differs' : 'value differs';
      return ok(equal, cause);
    }
    case 'eq_time':
      if (actual.kind !== 'value') return failed('date missing', v, actual);
      return ok(epochSeconds(actual.value) === epochSeconds(v) && !Number.isNaN(epochSeconds(v)), 'date differs');
    case 'eq_timedelta':
      return ok(actual.kind === 'value' && Number(actual.value) === Number(v), 'duration differs');
    case 'len_eq': {
      const len = actual.kind === 'value' && Array.isArray(actual.value) ? actual.value.length : undefined;
      return ok(len === v, 'length differs');
    }
    case 'is_null':
      return ok(actual.kind === 'absent' || (actual.kind === 'value' && (actual.value === null || actual.value === undefined)), 'not null');
    case 'has_key':
    case 'lacks_key': {
      const has = actual.kind === 'value' && actual.value !== null && typeof actual.value === 'object' && String(v) in actual.value;
      return row.op === 'has_key' ? ok(has, 'key missing') : ok(!has, 'key present but must not be');
    }
    case 'truthy':
      return ok(isTruthy(actual), 'not truthy');
    case 'falsy':
      return ok(!isTruthy(actual), 'not falsy');
    case 'eq_path': {
      const other = Array.isArray(v) ? lookup(v as (string | number)[]) : ({ kind: 'absent' } as Resolved);
      if (other.kind === 'skip') return { verdict: 'skip', reason: other.reason };
      const same = actual.kind === 'value' && other.kind === 'value' && looseEqual(actual.value, other.value);
      return ok(same, 'paths differ');
    }
    case 'exception_type':
      return ok(actual.kind === 'value' && actual.value === v, 'exception differs');
    default:
      return { verdict: 'fail', cause: `unknown op ${row.op}`, detail: row.expect };
  }
}
