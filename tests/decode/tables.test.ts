import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { canDecode, decodeAs } from '../../shared/decode/charsets';
import { isWhatwgLabel, resolveEncodingLabel } from '../../shared/decode/labels';
import { LEGACY_LABELS, LEGACY_TABLE_ORDER, WHATWG_HIGH_HALVES } from '../../shared/decode/tables-data';
import { BIG5_PATH, buildBig5Source, buildTablesSource, TABLES_PATH, whatwgUnits } from './generate-tables';

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, b) => b);

/** Code points of `text`, as hex, for readable diffs. */
function hex(text: string): string[] {
  return [...text].map((ch) => ch.codePointAt(0)!.toString(16));
}

describe('generated tables', () => {
  it('tables-data.ts and big5-data.ts are what tests/decode/generate-tables.ts builds (re-run it after changing it)', () => {
    expect(readFileSync(TABLES_PATH, 'utf8')).toBe(buildTablesSource(isWhatwgLabel));
    expect(readFileSync(BIG5_PATH, 'utf8')).toBe(buildBig5Source());
  });

  it('decodes every WHATWG single-byte encoding through its table', () => {
    for (const encoding of Object.keys(WHATWG_HIGH_HALVES)) {
      expect(hex(decodeAs(ALL_BYTES, encoding)), encoding).toEqual(whatwgUnits(encoding).map((u) => u.toString(16)));
    }
  });
});

describe('single-byte decoding matches the WHATWG indexes', () => {
  const at = (encoding: string, byte: number): number => decodeAs(Uint8Array.of(byte), encoding).charCodeAt(0);

  it('maps windows-1252 0x80–0x9F (nodejs/node#60888), for every label of windows-1252', () => {
    const expected = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
    const c1 = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    for (const label of ['windows-1252', 'ISO-8859-1', 'latin1', 'ascii', 'us-ascii', 'cp1252', 'l1']) {
      const encoding = resolveEncodingLabel(label)!;
      expect(decodeAs(c1, encoding), label).toBe(expected);
    }
    expect(decodeAs(Uint8Array.of(0xa0, 0xe9, 0xff), 'windows-1252')).toBe('\u00a0éÿ');
  });

  it('gets right the bytes where Node 20 TextDecoder (ICU) differs from the index', () => {
    expect(at('windows-1255', 0xca)).toBe(0x05ba);
    for (const b of [0xdb, 0xdc, 0xdd, 0xde, 0xfc, 0xfd, 0xfe, 0xff]) expect(at('windows-874', b)).toBe(0xfffd);
    for (const b of [0xaa, 0xd2, 0xff]) expect(at('windows-1253', b)).toBe(0xfffd);
    for (const b of [0x1a, 0x1c, 0x7f]) expect(at('ibm866', b)).toBe(b);
    expect([at('macintosh', 0xbd), at('macintosh', 0xdb), at('macintosh', 0xf0)]).toEqual([0x03a9, 0x20ac, 0xf8ff]);
    expect([at('iso-8859-16', 0xa4), at('iso-8859-16', 0xaa), at('iso-8859-16', 0xde)]).toEqual([0x20ac, 0x0218, 0x021a]);
    expect([at('x-user-defined', 0x41), at('x-user-defined', 0x80), at('x-user-defined', 0xff)]).toEqual([0x41, 0xf780, 0xf7ff]);
  });

  it('agrees with TextDecoder everywhere else (where this Node has one)', () => {
    const knownIcuDeviations: Record<string, number[]> = {
      'windows-1252': Array.from({ length: 32 }, (_, i) => 0x80 + i),
      'windows-1255': [0xca],
      'windows-874': [0xdb, 0xdc, 0xdd, 0xde, 0xfc, 0xfd, 0xfe, 0xff],
      'windows-1253': [0xaa],
      ibm866: [0x1a, 0x1c, 0x7f],
    };
    for (const encoding of Object.keys(WHATWG_HIGH_HALVES)) {
      let native: string;
      try {
        native = new TextDecoder(encoding).decode(ALL_BYTES);
      } catch {
        continue; // iso-8859-16 has no TextDecoder on Node 20
      }
      const ours = decodeAs(ALL_BYTES, encoding);
      const differing = [...ALL_BYTES].filter((b) => native.charCodeAt(b) !== ours.charCodeAt(b));
      const allowed = new Set(knownIcuDeviations[encoding] ?? []);
      expect(differing.filter((b) => !allowed.has(b)), encoding).toEqual([]);
    }
  });
});

describe('legacy code pages (formerly decoded by iconv-lite)', () => {
  it('decodes every legacy label exactly as iconv-lite did', () => {
    for (const [table, labels] of Object.entries(LEGACY_LABELS)) {
      if (!LEGACY_TABLE_ORDER.includes(table)) continue;
      for (const label of labels.split(' ')) {
        expect(resolveEncodingLabel(label), label).toBe(label);
        expect(hex(decodeAs(ALL_BYTES, label)), label).toEqual(hex(iconv.decode(Buffer.from(ALL_BYTES), label)));
      }
    }
  });

  it('decodes labels of WHATWG encodings that only iconv-lite knew with the WHATWG table', () => {
    expect(resolveEncodingLabel('ms-ansi')).toBe('ms-ansi');
    expect(decodeAs(Uint8Array.of(0x80, 0x93), 'ms-ansi')).toBe('€“');
    expect(decodeAs(Uint8Array.of(0xca), '1255')).toBe('\u05ba');
    expect(decodeAs(Uint8Array.of(0xc1), 'winbaltrim')).toBe('Į');
    expect(decodeAs(Uint8Array.of(0x80), 'ibm-437')).toBe('Ç');
  });

  it('knows no EBCDIC, UTF-7 or other non-single-byte codec beyond WHATWG', () => {
    for (const label of ['cp500', 'ibm037', 'ebcdic-cp-us', 'utf-7', 'cp1140', 'base64', 'hex', 'binary']) {
      expect(resolveEncodingLabel(label), label).toBeUndefined();
    }
    expect(canDecode('cp437')).toBe(true);
    expect(canDecode('no-such-thing')).toBe(false);
  });
});

describe('multi-byte and UTF-32 decoding', () => {
  it('decodes euc-kr as windows-949 (UHC), matching iconv-lite cp949 outside the user-defined rows', () => {
    const text = '한국어 뉴스: 똠방각하, 햏, 뷁 - abc';
    expect(decodeAs(new Uint8Array(iconv.encode(text, 'cp949')), 'euc-kr')).toBe(text);
    const differing: string[] = [];
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      if (lead === 0xc9 || lead === 0xfe) continue; // user-defined (private use) rows
      for (let trail = 0x41; trail <= 0xfe; trail++) {
        const pair = Uint8Array.of(lead, trail);
        const want = iconv.decode(Buffer.from(pair), 'cp949');
        const got = decodeAs(pair, 'euc-kr');
        if (want !== got && !(want.includes('\uFFFD') && got.includes('\uFFFD'))) differing.push(`${lead.toString(16)}${trail.toString(16)}`);
      }
    }
    expect(differing).toEqual([]);
    expect(decodeAs(Uint8Array.of(0x81, 0x20, 0xb0, 0xa1, 0xc9), 'euc-kr')).toBe('\uFFFD 가\uFFFD');
  });

  it('decodes big5 with the HKSCS and ETEN extensions, matching iconv-lite big5hkscs', () => {
    const text = '香港新聞：佢哋講嘅嘢啲人都冇聽 ① ぁ Ё €';
    expect(decodeAs(new Uint8Array(iconv.encode(text, 'big5hkscs')), 'big5')).toBe(text);
    const differing: string[] = [];
    for (let lead = 0x87; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail > 0x7e && trail < 0xa1) continue;
        const pair = Uint8Array.of(lead, trail);
        const want = iconv.decode(Buffer.from(pair), 'big5hkscs');
        const got = decodeAs(pair, 'big5');
        if (want !== got && !(want.includes('\uFFFD') && got.includes('\uFFFD'))) differing.push(`${lead.toString(16)}${trail.toString(16)}`);
      }
    }
    expect(differing).toEqual([]);
    expect(decodeAs(Uint8Array.of(0x88, 0x62, 0x88, 0x64, 0x88, 0xa3), 'big5')).toBe('\u00ca\u0304\u00ca\u030c\u00ea\u0304');
    expect(decodeAs(Uint8Array.of(0xa4, 0x40, 0x81, 0x41, 0xa4), 'big5')).toBe('一\uFFFDA\uFFFD');
  });

  it('decodes gbk with the gb18030 decoder, four-byte sequences included', () => {
    const text = '中文新闻 € 𠀀 ḿ';
    expect(decodeAs(new Uint8Array(iconv.encode(text, 'gb18030')), 'gbk')).toBe(text);
    expect(decodeAs(new Uint8Array(iconv.encode(text, 'gb18030')), 'gb18030')).toBe(text);
  });

  it('decodes UTF-32 in both byte orders, dropping a BOM and replacing invalid units', () => {
    const text = 'Grüße 😀';
    expect(decodeAs(new Uint8Array(iconv.encode(text, 'utf-32le')), 'utf-32le')).toBe(text);
    expect(decodeAs(new Uint8Array(iconv.encode(text, 'utf-32be')), 'utf-32be')).toBe(text);
    expect(decodeAs(Uint8Array.of(0xff, 0xfe, 0, 0, 0x41, 0, 0, 0), 'utf-32le')).toBe('A');
    expect(decodeAs(Uint8Array.of(0, 0, 0xd8, 0, 0, 0x11, 0, 0, 0, 0), 'utf-32be')).toBe('\uFFFD\uFFFD\uFFFD');
  });
});
