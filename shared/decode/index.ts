/**
 * The decode stage: feed bytes → text. Precedence follows the WHATWG Encoding Standard and RFC 7303:
 * byte-order mark, then the HTTP `charset`, then the XML declaration, then (HTML pages) `<meta>`, then UTF-8;
 * with feedparser's realism on top: valid UTF-8 beats a legacy declaration, and bytes that are not UTF-8
 * despite a UTF-8 declaration fall back to another declaration or a sniffed single-byte encoding.
 */
import { DecodeError } from '../errors';
import { canDecode, decodeAs, tryDecodeUtf8 } from './charsets';
import { charsetFromContentType, detectBom, detectWidePattern, metaDeclaredEncoding, sniffSingleByte, xmlDeclaredEncoding } from './detect';
import { isWideUnicode, resolveEncodingLabel } from './labels';

export { resolveEncodingLabel } from './labels';

/** Where the encoding that was used came from. */
export type EncodingSource = 'bom' | 'http' | 'xml' | 'meta' | 'sniff' | 'default';

/** A feed's text and how its encoding was chosen. */
export interface DecodedText {
  /** The document as a string, without its byte-order mark. */
  text: string;
  /** WHATWG canonical name, lower-case: 'utf-8', 'windows-1251', 'koi8-r', 'utf-16le', … */
  encoding: string;
  source: EncodingSource;
  /** The highest-precedence charset the header or document claimed (label as written, lower-case), when not used. */
  declared?: string;
  /** True when a declared charset was overridden (feedparser's CharacterEncodingOverride bozo). */
  mismatch: boolean;
}

/** One charset claim: where it was made, the label as written, and its canonical encoding if usable here. */
interface Claim {
  source: 'http' | 'xml' | 'meta';
  label: string;
  encoding?: string;
}

/** The same encoding, ignoring UTF-16/32 byte order (which the bytes decide). */
function sameFamily(a: string, b: string): boolean {
  return a === b || (a.slice(0, 6) === b.slice(0, 6) && isWideUnicode(a) && isWideUnicode(b));
}

/** Builds the result, recording the first claim when the encoding used is not what it said. */
function result(text: string, encoding: string, source: EncodingSource, claims: readonly Claim[]): DecodedText {
  const first = claims[0];
  if (first && !(first.encoding && sameFamily(first.encoding, encoding))) {
    return { text, encoding, source, declared: first.label.toLowerCase(), mismatch: true };
  }
  return { text, encoding, source, mismatch: false };
}

/** A claim from `label`, with its encoding only if known and decodable; `asciiCompatible` rejects UTF-16/32 labels. */
function claim(source: Claim['source'], label: string | undefined, asciiCompatible: boolean): Claim[] {
  if (label === undefined) return [];
  const encoding = resolveEncodingLabel(label);
  const usable = encoding !== undefined && canDecode(encoding) && !(asciiCompatible && isWideUnicode(encoding));
  return [usable ? { source, label, encoding } : { source, label }];
}

/** Decodes bytes known to be in an ASCII-compatible encoding, weighing the claims against the bytes. */
function decodeAsciiCompatible(bytes: Uint8Array, claims: readonly Claim[]): DecodedText {
  const primary = claims.find((c) => c.encoding !== undefined);
  const utf8 = tryDecodeUtf8(bytes);
  // Valid UTF-8 decodes to fewer UTF-16 units than bytes exactly when it contains a multi-byte sequence.
  const utf8NonAscii = utf8 !== undefined && utf8.length < bytes.length;

  if (primary?.encoding === undefined) {
    if (utf8 !== undefined) return result(utf8, 'utf-8', 'default', claims);
    const guess = sniffSingleByte(bytes);
    return result(decodeAs(bytes, guess), guess, 'sniff', claims);
  }
  if (primary.encoding === 'utf-8') {
    if (utf8 !== undefined) return result(utf8, 'utf-8', primary.source, claims);
    const other = claims.find((c) => c.encoding !== undefined && c.encoding !== 'utf-8');
    if (other?.encoding) return result(decodeAs(bytes, other.encoding), other.encoding, other.source, claims);
    const guess = sniffSingleByte(bytes);
    return result(decodeAs(bytes, guess), guess, 'sniff', claims);
  }
  if (utf8NonAscii) {
    const saysUtf8 = claims.find((c) => c.encoding === 'utf-8');
    return result(utf8, 'utf-8', saysUtf8?.source ?? 'sniff', claims);
  }
  // Pure ASCII reads the same in every ASCII-compatible encoding except ISO-2022-JP (whose escapes are ASCII).
  const text = utf8 !== undefined && primary.encoding !== 'iso-2022-jp' ? utf8 : decodeAs(bytes, primary.encoding);
  return result(text, primary.encoding, primary.source, claims);
}

/**
 * Turns a feed body into text. `contentType` is the HTTP Content-Type header, if any. Never throws for
 * ordinary input (empty bytes give ''); unknown labels are ignored. Throws DecodeError only if the runtime
 * cannot decode an encoding it claimed to support.
 */
export function decodeFeed(bytes: Uint8Array, contentType?: string): DecodedText {
  const httpLabel = charsetFromContentType(contentType);
  try {
    const bom = detectBom(bytes);
    if (bom) {
      const xmlLabel = bom.encoding === 'utf-8' ? xmlDeclaredEncoding(bytes, bom.bomLength) : undefined;
      const claims = [...claim('http', httpLabel, false), ...claim('xml', xmlLabel, true)];
      return result(decodeAs(bytes, bom.encoding), bom.encoding, 'bom', claims);
    }
    const wide = detectWidePattern(bytes);
    if (wide) return result(decodeAs(bytes, wide), wide, 'sniff', claim('http', httpLabel, false));

    const xmlLabel = xmlDeclaredEncoding(bytes);
    const metaLabel = xmlLabel === undefined ? metaDeclaredEncoding(bytes) : undefined;
    const claims = [...claim('http', httpLabel, true), ...claim('xml', xmlLabel, true), ...claim('meta', metaLabel, true)];
    return decodeAsciiCompatible(bytes, claims);
  } catch (err) {
    throw new DecodeError(`cannot decode ${bytes.length} bytes: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
