/**
 * Finding what a document says about its encoding, and guessing when it says nothing true:
 * byte-order marks, the UTF-16/32 `<?xml` byte patterns (XML 1.0 Appendix F), the HTTP `charset`
 * parameter, the XML declaration, an HTML `<meta>` prescan, and a Cyrillic-or-Western byte sniff.
 */
import { decodeAs } from './charsets';

/** An encoding found from the bytes themselves, and how many leading bytes it consumed (the BOM). */
export interface ByteEvidence {
  encoding: string;
  bomLength: number;
}

/** The encoding announced by a byte-order mark (UTF-32 checked before UTF-16: FF FE 00 00 starts both). */
export function detectBom(b: Uint8Array): ByteEvidence | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf-32be', bomLength: 4 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return { encoding: 'utf-32le', bomLength: 4 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  return undefined;
}

/** True for a non-NUL ASCII byte. */
function ascii(byte: number | undefined): boolean {
  return byte !== undefined && byte > 0 && byte < 0x80;
}

/**
 * UTF-16/UTF-32 without a BOM, recognised by ASCII markup (such as `<?xml`) interleaved with NUL bytes.
 * ASCII-compatible text never contains NUL, so the pattern is unambiguous.
 */
export function detectWidePattern(b: Uint8Array): string | undefined {
  if (b.length < 4) return undefined;
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if (b0 === 0 && b1 === 0 && b2 === 0 && ascii(b3)) return 'utf-32be';
  if (ascii(b0) && b1 === 0 && b2 === 0 && b3 === 0) return 'utf-32le';
  if (b0 === 0 && ascii(b1) && b2 === 0 && ascii(b3)) return 'utf-16be';
  if (ascii(b0) && b1 === 0 && ascii(b2) && b3 === 0) return 'utf-16le';
  return undefined;
}

/** The `charset` parameter of a Content-Type header value (quotes removed), if any. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^;\s]+))/i.exec(contentType);
  const label = m?.[1] ?? m?.[2] ?? m?.[3];
  return label?.trim() || undefined;
}

/** The first `limit` bytes read as Latin-1: enough to find ASCII markup in any ASCII-compatible encoding. */
function asciiHead(b: Uint8Array, start: number, limit: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, Math.max(0, Math.min(b.length - start, limit))).toString('latin1');
}

/** The `encoding` pseudo-attribute of an XML declaration at the start of the document, if any. */
export function xmlDeclaredEncoding(b: Uint8Array, start = 0): string | undefined {
  const head = asciiHead(b, start, 1024);
  const decl = /^\s*<\?xml\s[^>]*?\?>/.exec(head)?.[0];
  if (!decl) return undefined;
  const m = /\sencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(decl);
  return (m?.[1] ?? m?.[2])?.trim() || undefined;
}

/**
 * For an HTML page (not XML), the charset of a `<meta charset>` or `<meta http-equiv="Content-Type" content="…;
 * charset=…">` in the first 1024 bytes, as the WHATWG prescan would find it.
 */
export function metaDeclaredEncoding(b: Uint8Array, start = 0): string | undefined {
  const head = asciiHead(b, start, 1024);
  if (!/^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|meta|title)\b/i.test(head)) return undefined;
  for (const [tag] of head.matchAll(/<meta\b[^>]*>/gi)) {
    const direct = /\scharset\s*=\s*["']?([^"'\s/>;]+)/i.exec(tag)?.[1];
    if (direct) return direct;
    if (/http-equiv\s*=\s*["']?content-type/i.test(tag)) {
      const content = /\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
      const charset = /charset\s*=\s*["']?([^"'\s;]+)/i.exec(content?.[1] ?? content?.[2] ?? '')?.[1];
      if (charset) return charset;
    }
  }
  return undefined;
}

/** Relative frequency (per mille) of Russian letters in running text. */
const RUSSIAN_FREQ: Record<string, number> = {
  о: 110, е: 85, а: 80, и: 74, н: 67, т: 63, с: 55, р: 47, в: 45, л: 44, к: 35, м: 32, д: 30, п: 28, у: 26, я: 20,
  ы: 19, ь: 17, г: 17, з: 17, б: 16, ч: 14, й: 12, х: 10, ж: 9, ш: 7, ю: 6, ц: 5, щ: 4, э: 3, ф: 3, ъ: 0.4, ё: 0.4,
};

/** How much the decoded high bytes look like Russian prose: lower-case letters by frequency, capitals discounted. */
function russianScore(text: string): number {
  let score = 0;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const freq = RUSSIAN_FREQ[lower];
    if (freq !== undefined) score += ch === lower ? freq : freq * 0.2;
  }
  return score;
}

/** How many bytes of a large document the sniffer looks at. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Guesses the single-byte encoding of text that is not UTF-8 and declares nothing usable. Cyrillic prose shows as
 * runs of bytes ≥ 0xC0 (whole words); Western European text as isolated accented bytes. For Cyrillic, windows-1251
 * and KOI8-R (whose lower- and upper-case halves are swapped) are told apart by Russian letter frequencies.
 */
export function sniffSingleByte(b: Uint8Array): 'windows-1251' | 'koi8-r' | 'windows-1252' {
  const sample = b.length > SNIFF_BYTES ? b.subarray(0, SNIFF_BYTES) : b;
  let high = 0;
  let letterRange = 0;
  let inRuns = 0;
  const highBytes: number[] = [];
  for (let i = 0; i < sample.length; i++) {
    const byte = sample[i]!;
    if (byte < 0x80) continue;
    high++;
    if (byte >= 0xc0) letterRange++;
    if ((sample[i - 1] ?? 0) >= 0x80 || (sample[i + 1] ?? 0) >= 0x80) inRuns++;
    highBytes.push(byte);
  }
  if (high === 0 || inRuns / high < 0.5 || letterRange / high < 0.5) return 'windows-1252';
  const highSample = Uint8Array.from(highBytes);
  return russianScore(decodeAs(highSample, 'koi8-r')) > russianScore(decodeAs(highSample, 'windows-1251'))
    ? 'koi8-r'
    : 'windows-1251';
}
