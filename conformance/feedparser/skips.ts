/**
 * Why a feedparser row is skipped. The list is short on purpose: rows upstream skips too, one format
 * Tributary does not read, and field families outside Tributary's item and feed model. Anything else
 * that Tributary lacks is counted as a failure.
 */
import iconv from 'iconv-lite';
import type { ExpectationRow } from './rows';

/** Upstream skips these on Python 3 as well: the codec exists only in Python 2 (csucs4, csunicode, …). */
export const SKIP_PYTHON_ONLY_CODEC = 'Python-only codec (python3_codec_available: false; skipped upstream on Python 3 too)';

/** Upstream skips these without chardet: they need statistical charset guessing, which no spec requires. */
export const SKIP_NEEDS_CHARDET = 'requires chardet (statistical charset guessing; skipped upstream when absent)';

/** EBCDIC and the like: neither the WHATWG Encoding Standard nor iconv-lite has a decoder, so no Node program reads them. */
export const SKIP_CODEC_WITHOUT_DECODER = 'codec with no decoder in Node (not WHATWG, not iconv-lite: EBCDIC family)';

/** Python aliases of codecs iconv-lite does have under another name: these stay counted (a label gap, not a missing codec). */
const PYTHON_ALIASES_WITH_DECODER: Record<string, string> = { cp_is: 'cp861', maccentraleurope: 'maccenteuro' };

/** True when Node can decode the codec: WHATWG TextDecoder, iconv-lite, or a known alias of an iconv-lite codec. */
export function codecDecodable(label: string): boolean {
  if (PYTHON_ALIASES_WITH_DECODER[label.toLowerCase()]) return true;
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return iconv.encodingExists(label);
  }
}

/** Microsoft's Channel Definition Format (1997) is not RSS, Atom or JSON Feed, the formats Tributary reads. */
export const SKIP_CDF = 'CDF (Channel Definition Format): not a format Tributary reads';

/** The feed model keeps title, subtitle, link(s), id, language, updated, authors, rights, one image URL, ttl and hub. */
export const SKIP_CHANNEL_METADATA =
  'channel metadata outside the feed model (generator, publisher, docs, cloud, textInput, Atom 0.3 info, icon, image details, channel categories, channel pubDate)';

/** A field family Tributary deliberately does not keep, and where it applies. */
export interface SkippedFieldFamily {
  reason: string;
  scopes: ('feed' | 'entry')[];
  matches: (key: string) => boolean;
}

const prefixed = (...prefixes: string[]) => (key: string): boolean => prefixes.some((p) => key.startsWith(p));
const named = (...names: string[]) => (key: string): boolean => names.includes(key);

/** Field families outside Tributary's model, each with a one-line justification. */
export const SKIP_FIELD_FAMILIES: readonly SkippedFieldFamily[] = [
  {
    reason: 'extension metadata not kept (iTunes, Media RSS, GeoRSS, Podlove chapters, threading, wfw, licence): items keep enclosures and a thumbnail only',
    scopes: ['feed', 'entry'],
    matches: (k) => prefixed('itunes_', 'media_', 'psc_', 'thr_', 'wfw_', 'georss')(k) || named('where', 'license')(k),
  },
  {
    reason: 'contributors not kept: items and feeds keep authors only',
    scopes: ['feed', 'entry'],
    matches: prefixed('contributors'),
  },
  {
    reason: 'dates other than published/updated (created, expired, validity) not kept: items sort and display by those two',
    scopes: ['feed', 'entry'],
    matches: prefixed('created', 'expired', 'validity'),
  },
  {
    reason: SKIP_CHANNEL_METADATA,
    scopes: ['feed'],
    matches: (k) =>
      prefixed('generator', 'publisher', 'info', 'published')(k) || named('docs', 'cloud', 'textinput', 'icon', 'logo', 'tags', 'category')(k),
  },
  {
    reason: 'entry metadata outside the item model (entry rights, publisher, and unknown elements feedparser copies verbatim)',
    scopes: ['entry'],
    matches: (k) => prefixed('rights', 'publisher')(k) || named('abcdefg', 'madeup_element')(k),
  },
];

/** The row-level reason to skip a row before looking at its field, if any. */
export function rowSkipReason(row: ExpectationRow): string | undefined {
  if (row.python3_codec_available === false) return SKIP_PYTHON_ONLY_CODEC;
  if (row.requires?.startsWith('chardet')) return SKIP_NEEDS_CHARDET;
  if (row.requires_codec && !codecDecodable(row.requires_codec)) return SKIP_CODEC_WITHOUT_DECODER;
  if (row.folder.endsWith('/cdf')) return SKIP_CDF;
  return undefined;
}

/** True for rows judged by what sanitising must remove: files under sanitize/ or descriptions about it. */
export function isSanitizingRow(row: ExpectationRow): boolean {
  return row.folder.includes('/sanitize') || /saniti[sz]|unsafe|\bscript\b|xss/i.test(row.description);
}
