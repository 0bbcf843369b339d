/**
 * Generates shared/decode/tables-data.ts and big5-data.ts from iconv-lite (a devDependency; never bundled):
 * the WHATWG single-byte tables, the legacy DOS/Mac/… code pages with their labels, and the big5 extensions.
 * Run `node --import tsx tests/decode/generate-tables.ts` after changing anything here;
 * tests/decode/tables.test.ts fails while the committed files differ from what this builds.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { BIG5_EXTENSION_RANGES } from '../../shared/decode/big5';

/** Where the generated single-byte module lives. */
export const TABLES_PATH = fileURLToPath(new URL('../../shared/decode/tables-data.ts', import.meta.url));

/** Where the generated big5 module lives. */
export const BIG5_PATH = fileURLToPath(new URL('../../shared/decode/big5-data.ts', import.meta.url));

/** The WHATWG single-byte encodings that get a table (x-user-defined is computed in code), with iconv-lite's name when it differs. */
const WHATWG_SOURCES: Record<string, string> = {
  ibm866: 'cp866', 'iso-8859-2': 'iso-8859-2', 'iso-8859-3': 'iso-8859-3', 'iso-8859-4': 'iso-8859-4', 'iso-8859-5': 'iso-8859-5',
  'iso-8859-6': 'iso-8859-6', 'iso-8859-7': 'iso-8859-7', 'iso-8859-8': 'iso-8859-8', 'iso-8859-8-i': 'iso-8859-8',
  'iso-8859-10': 'iso-8859-10', 'iso-8859-13': 'iso-8859-13', 'iso-8859-14': 'iso-8859-14', 'iso-8859-15': 'iso-8859-15',
  'iso-8859-16': 'iso-8859-16', 'koi8-r': 'koi8-r', 'koi8-u': 'koi8-u', macintosh: 'macintosh', 'windows-874': 'windows-874',
  'windows-1250': 'windows-1250', 'windows-1251': 'windows-1251', 'windows-1252': 'windows-1252', 'windows-1253': 'windows-1253',
  'windows-1254': 'windows-1254', 'windows-1255': 'windows-1255', 'windows-1256': 'windows-1256', 'windows-1257': 'windows-1257',
  'windows-1258': 'windows-1258', 'x-mac-cyrillic': 'maccyrillic',
};

/**
 * Bytes where the WHATWG index (encoding.spec.whatwg.org/index-*.txt) differs from iconv-lite's table, besides the
 * unassigned windows-* bytes 0x80–0x9F, which WHATWG maps to the C1 control of the same value.
 */
const WHATWG_FIXES: Record<string, Record<number, number>> = {
  macintosh: { 0xbd: 0x03a9, 0xdb: 0x20ac, 0xf0: 0xf8ff },
  'x-mac-cyrillic': { 0xa2: 0x0490, 0xb6: 0x0491, 0xff: 0x20ac },
};

/** iconv-lite codecs that are (a non-WHATWG spelling of) a WHATWG encoding: their labels decode with its table. */
const WHATWG_EQUIVALENTS: Record<string, string> = {
  ascii: 'windows-1252', iso88591: 'windows-1252', windows1252: 'windows-1252', iso88599: 'windows-1254', windows1254: 'windows-1254',
  windows1250: 'windows-1250', windows1251: 'windows-1251', windows1253: 'windows-1253', windows1255: 'windows-1255',
  windows1256: 'windows-1256', windows1257: 'windows-1257', windows1258: 'windows-1258', windows874: 'windows-874',
  iso885911: 'windows-874', tis620: 'windows-874', iso88592: 'iso-8859-2', iso88593: 'iso-8859-3', iso88594: 'iso-8859-4',
  iso88595: 'iso-8859-5', iso88596: 'iso-8859-6', iso88597: 'iso-8859-7', iso88598: 'iso-8859-8', iso885910: 'iso-8859-10',
  iso885913: 'iso-8859-13', iso885914: 'iso-8859-14', iso885915: 'iso-8859-15', iso885916: 'iso-8859-16', koi8r: 'koi8-r',
  koi8u: 'koi8-u', cp866: 'ibm866', macintosh: 'macintosh', macroman: 'macintosh', maccyrillic: 'x-mac-cyrillic',
};

const ALL_BYTES = Buffer.from(Uint8Array.from({ length: 256 }, (_, b) => b));

/** iconv-lite's label normalisation (lower case, a trailing ":yyyy" and all but letters and digits removed). */
function normalise(label: string): string {
  return label.toLowerCase().replace(/:\d{4}$|[^0-9a-z]/g, '');
}

type CodecDef = string | number | { type?: string };

/** iconv-lite's codec table, loaded. */
function iconvEncodings(): Record<string, CodecDef> {
  iconv.getCodec('ascii');
  return (iconv as unknown as { encodings: Record<string, CodecDef> }).encodings;
}

/** The single-byte codec a label leads to in iconv-lite (following its aliases), if any. */
function sbcsCodecOf(encodings: Record<string, CodecDef>, label: string): string | undefined {
  let key = normalise(label);
  for (let hops = 0; hops < 10; hops++) {
    const def = encodings[key];
    if (def === undefined) return undefined;
    if (typeof def !== 'object') key = normalise(String(def));
    else return def.type === '_sbcs' ? key : undefined;
  }
  return undefined;
}

/** The 256 code units iconv-lite decodes a codec's bytes to. */
function iconvUnits(codec: string): number[] {
  const text = iconv.decode(ALL_BYTES, codec);
  if (text.length !== 256) throw new Error(`${codec}: ${text.length} code units for 256 bytes`);
  return Array.from({ length: 256 }, (_, b) => text.charCodeAt(b));
}

/** The WHATWG table of `encoding`: iconv-lite's, with the index fixes applied. */
export function whatwgUnits(encoding: string): number[] {
  const units = iconvUnits(WHATWG_SOURCES[encoding] ?? encoding);
  for (let b = 0x80; b <= 0x9f; b++) if (units[b] === 0xfffd && encoding.startsWith('windows-')) units[b] = b;
  for (const [byte, unit] of Object.entries(WHATWG_FIXES[encoding] ?? {})) units[Number(byte)] = unit;
  for (let b = 0; b < 0x80; b++) if (units[b] !== b) throw new Error(`${encoding}: byte ${b} is not ASCII`);
  return units;
}

/** Legacy labels by the table they decode with (a legacy codec name, or a WHATWG encoding name). */
export function legacyLabels(isResolvedElsewhere: (label: string) => boolean): Map<string, string[]> {
  const encodings = iconvEncodings();
  const byTable = new Map<string, string[]>();
  for (const label of Object.keys(encodings).sort()) {
    const codec = sbcsCodecOf(encodings, label);
    if (codec === undefined || isResolvedElsewhere(label)) continue;
    const table = WHATWG_EQUIVALENTS[codec] ?? codec;
    byTable.set(table, [...(byTable.get(table) ?? []), normalise(label)]);
  }
  return byTable;
}

/** iconv-lite's big5hkscs code point for each pointer of the big5 extension ranges (U+0000 where it has none or two). */
function big5Extensions(): string {
  let text = '';
  for (const [start, end] of BIG5_EXTENSION_RANGES) {
    for (let p = start; p < end; p++) {
      const trail = p % 157 < 63 ? (p % 157) + 0x40 : (p % 157) + 0x62;
      const chars = [...iconv.decode(Buffer.from([Math.floor(p / 157) + 0x81, trail]), 'big5hkscs')];
      text += chars.length === 1 && chars[0] !== '\uFFFD' ? chars[0] : '\u0000';
    }
  }
  return text;
}

/** `text` as UTF-16LE, raw-deflated, base64, in lines of 120 characters. */
function deflatedLines(text: string): string[] {
  const blob = deflateRawSync(Buffer.from(text, 'utf16le'), { level: 9 }).toString('base64');
  return (blob.match(/.{1,120}/g) ?? []).map((chunk) => `  '${chunk}',`);
}

/** A JavaScript string literal, escaping everything but visible non-combining characters. */
function literal(units: number[]): string {
  const body = units.map((u) => {
    const ch = String.fromCharCode(u);
    if (ch === "'" || ch === '\\') return `\\${ch}`;
    return u !== 0xfffd && /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) && !/\p{M}/u.test(ch) ? ch : `\\u${u.toString(16).toUpperCase().padStart(4, '0')}`;
  });
  return `'${body.join('')}'`;
}

/** The source text of shared/decode/tables-data.ts; `isResolvedElsewhere` says which labels the WHATWG label table already takes. */
export function buildTablesSource(isResolvedElsewhere: (label: string) => boolean): string {
  const legacy = legacyLabels(isResolvedElsewhere);
  const legacyCodecs = [...legacy.keys()].filter((t) => !Object.hasOwn(WHATWG_SOURCES, t));
  const legacyText = String.fromCharCode(...legacyCodecs.flatMap((codec) => iconvUnits(codec)));
  const lines = [
    '/**',
    ' * GENERATED by tests/decode/generate-tables.ts from iconv-lite and the WHATWG index fixes listed there. Do not edit.',
    ' * Single-byte decoding tables: the WHATWG encodings (readable) and legacy code pages iconv-lite knew (deflated).',
    ' */',
    '',
    '/** Bytes 0x80–0xFF of each WHATWG single-byte encoding, as code units (U+FFFD where the index has none); 0x00–0x7F are ASCII. */',
    'export const WHATWG_HIGH_HALVES: Readonly<Record<string, string>> = {',
    ...Object.keys(WHATWG_SOURCES).map((name) => `  '${name}': ${literal(whatwgUnits(name).slice(128))},`),
    '};',
    '',
    '/** Labels (normalised: lower case, letters and digits only) of legacy code pages, by the table they decode with. */',
    'export const LEGACY_LABELS: Readonly<Record<string, string>> = {',
    ...[...legacy].map(([table, labels]) => `  '${table}': '${labels.join(' ')}',`),
    '};',
    '',
    '/** The legacy code pages with a table in LEGACY_TABLES_DEFLATED, in its order. */',
    `export const LEGACY_TABLE_ORDER: readonly string[] = '${legacyCodecs.join(' ')}'.split(' ');`,
    '',
    '/** 256 UTF-16LE code units per legacy code page, raw-deflated, base64. */',
    'export const LEGACY_TABLES_DEFLATED = [',
    ...deflatedLines(legacyText),
    "].join('');",
    '',
  ];
  return lines.join('\n');
}

/** The source text of shared/decode/big5-data.ts. */
export function buildBig5Source(): string {
  const lines = [
    '/** GENERATED by tests/decode/generate-tables.ts from iconv-lite (big5hkscs). Do not edit. */',
    '',
    '/** One code point (U+0000: none) per pointer of BIG5_EXTENSION_RANGES (big5.ts), as UTF-16LE, raw-deflated, base64. */',
    'export const BIG5_EXTENSIONS_DEFLATED = [',
    ...deflatedLines(big5Extensions()),
    "].join('');",
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { isWhatwgLabel } = await import('../../shared/decode/labels');
  writeFileSync(TABLES_PATH, buildTablesSource(isWhatwgLabel));
  writeFileSync(BIG5_PATH, buildBig5Source());
  console.log(`wrote ${TABLES_PATH} and ${BIG5_PATH}`);
}
