/**
 * Single-byte decoding tables, built once per encoding from tables-data.ts: every WHATWG single-byte
 * encoding (Node's TextDecoder gets several of them wrong, see charsets.ts), x-user-defined, and the
 * legacy DOS/Mac/… code pages feeds still declare (cp437, maccenteuro, koi8-t, viscii, …).
 */
import { inflateRawSync } from 'node:zlib';
import { LEGACY_LABELS, LEGACY_TABLE_ORDER, LEGACY_TABLES_DEFLATED, WHATWG_HIGH_HALVES } from './tables-data';

/** Legacy label (normalised) → the table it decodes with (a legacy code page, or a WHATWG encoding name). */
const LEGACY_BY_LABEL: ReadonlyMap<string, string> = new Map(
  Object.entries(LEGACY_LABELS).flatMap(([table, labels]) => labels.split(' ').map((label) => [label, table] as const)),
);

const tables = new Map<string, Uint16Array>();

/** How legacy labels are compared: lower case, a trailing ":yyyy" and everything but letters and digits dropped. */
function normaliseLegacy(label: string): string {
  return label.toLowerCase().replace(/:\d{4}$|[^0-9a-z]/g, '');
}

/** The table a legacy label decodes with, or undefined when the label names no legacy code page. */
export function legacyCodePage(label: string): string | undefined {
  return LEGACY_BY_LABEL.get(normaliseLegacy(label));
}

/** Every legacy code page's 256 code units, inflated on first use (feeds in these encodings are rare). */
let legacyUnits: Uint16Array | undefined;

/** The table of a legacy code page named in LEGACY_TABLE_ORDER. */
function legacyTable(codePage: string): Uint16Array | undefined {
  const index = LEGACY_TABLE_ORDER.indexOf(codePage);
  if (index < 0) return undefined;
  if (!legacyUnits) {
    const bytes = inflateRawSync(Buffer.from(LEGACY_TABLES_DEFLATED, 'base64'));
    legacyUnits = Uint16Array.from({ length: bytes.length / 2 }, (_, i) => bytes[2 * i]! | (bytes[2 * i + 1]! << 8));
  }
  return legacyUnits.slice(index * 256, index * 256 + 256);
}

/** The table of a WHATWG single-byte encoding or x-user-defined. */
function whatwgTable(encoding: string): Uint16Array | undefined {
  if (encoding === 'x-user-defined') return Uint16Array.from({ length: 256 }, (_, b) => (b < 0x80 ? b : 0xf780 + b - 0x80));
  const high = Object.hasOwn(WHATWG_HIGH_HALVES, encoding) ? WHATWG_HIGH_HALVES[encoding] : undefined;
  return high === undefined ? undefined : Uint16Array.from({ length: 256 }, (_, b) => (b < 0x80 ? b : high.charCodeAt(b - 0x80)));
}

/**
 * The 256-entry code-unit table of a single-byte encoding: a WHATWG name, `x-user-defined`, or a legacy label
 * (`cp437`, `ibm-850`, `1252`, …). Undefined when `encoding` is none of these.
 */
export function singleByteTable(encoding: string): Uint16Array | undefined {
  // Legacy labels are cached under their code page, so label spellings cannot grow the cache.
  const name = Object.hasOwn(WHATWG_HIGH_HALVES, encoding) || encoding === 'x-user-defined' ? encoding : legacyCodePage(encoding);
  if (name === undefined) return undefined;
  const cached = tables.get(name);
  if (cached) return cached;
  const table = whatwgTable(name) ?? legacyTable(name);
  if (table) tables.set(name, table);
  return table;
}
