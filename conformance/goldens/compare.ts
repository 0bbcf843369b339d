/** Field comparisons shared by the golden-file suites (rss-parser, gofeed translator). */
import type { ItemDraft, ParsedEntry, Person } from '../../shared/model';
import { canonicalHtml, collapse, hasMarkup, htmlText, unwrapDiv } from '../canonical-html';

/** One compared field: pass, or fail with what differed. */
export type FieldCheck = { ok: true } | { ok: false; detail: string };

const OK: FieldCheck = { ok: true };

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** Pass when `test` holds, else a failure showing expected and actual. */
export function check(test: boolean, expected: unknown, actual: unknown): FieldCheck {
  return test ? OK : { ok: false, detail: `want ${short(expected)} got ${short(actual)}` };
}

/** Text equality up to whitespace, also when the expected side is HTML whose text matches. */
export function sameText(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return collapse(expected) === '';
  const a = collapse(actual);
  return a === collapse(expected) || (hasMarkup(expected) && a === htmlText(expected)) || a === htmlText(expected);
}

/** True when expected markup equals any candidate after canonicalisation, or their texts are equal. */
export function sameMarkup(expected: string, candidates: readonly (string | undefined)[]): boolean {
  // A lone wrapping <div> (Atom's xhtml:div, which RFC 4287 says is not content) is compared both ways.
  const wants = new Set([canonicalHtml(expected), canonicalHtml(unwrapDiv(expected))]);
  const wantText = htmlText(expected);
  return candidates.some((c) => c !== undefined && (wants.has(canonicalHtml(c)) || htmlText(c) === wantText));
}

/** Same instant at second precision (both ISO / RFC strings Date.parse understands). */
export function sameSecond(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return Math.floor(Date.parse(expected) / 1000) === Math.floor(Date.parse(actual) / 1000);
}

/** Same URL after WHATWG parsing (`http://a.org` and `http://a.org/` are one URL); plain equality otherwise. */
export function sameUrl(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  try {
    return new URL(expected.trim()).href === new URL(actual).href;
  } catch {
    return expected.trim() === actual;
  }
}

/** `ref` resolved against `base` (RFC 3986 §5) when it is a relative reference and resolvable, else as given. */
export function resolved(ref: string, base: string): string {
  try {
    return new URL(ref.trim(), base).href;
  } catch {
    return ref;
  }
}

/**
 * The item link as Tributary keeps it (canonical) or as the entry's own link element gave it (before canonicalising;
 * the feed's link even when Tributary prefers the article's canonical URL). A relative golden value (upstream keeps
 * the raw reference) is resolved against the same base Tributary resolves against.
 */
export function sameLink(expected: string, base: string, draft: ItemDraft | undefined, entry: ParsedEntry | undefined): boolean {
  const want = resolved(expected, base);
  return sameUrl(want, draft?.url) || sameUrl(want, entry?.link);
}

/** An upstream author string matches a person by name, e-mail, or the usual "name (email)" / "email (name)" forms. */
export function samePerson(expected: string, people: readonly Person[]): boolean {
  const want = collapse(expected);
  return people.some((p) =>
    [p.name, p.email, p.url, `${p.name} (${p.email})`, `${p.email} (${p.name})`].some((form) => form !== undefined && collapse(form) === want),
  );
}

/** Category lists equal as sets of trimmed names (upstream may repeat a name Tributary deduplicates). */
export function sameCategories(expected: readonly string[], actual: readonly string[]): boolean {
  const want = new Set(expected.map((c) => collapse(c).toLowerCase()).filter(Boolean));
  const got = new Set(actual.map((c) => collapse(c).toLowerCase()));
  return want.size === got.size && [...want].every((c) => got.has(c));
}

/** An enclosure URL/type/length triple matches one of Tributary's enclosures (length compared as a number). */
export function sameEnclosure(expected: { url?: string; type?: string; length?: string | number }, actual: readonly { url: string; type?: string; length?: number }[]): boolean {
  return actual.some((e) =>
    e.url === expected.url?.trim() &&
    (expected.type === undefined || expected.type === '' || e.type === expected.type.toLowerCase()) &&
    (expected.length === undefined || expected.length === '' || Number(expected.length) === 0 || e.length === Number(expected.length)),
  );
}
